package io.descent.cli;

import io.descent.autograd.GradMode;
import io.descent.io.Safetensors;
import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent infer}: an eval-mode forward pass of the tensor stored under key {@code x},
 * written under key {@code y}, so that anyone can compare Descent with PyTorch from the shell.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run a model (eval mode) on the tensor 'x' of a safetensors file; write 'y'.")
public final class InferCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "Weights: .safetensors or .pth/.pt.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "X.safetensors", description = "Holds the input under key 'x' ([N, C, H, W]).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.safetensors", description = "Receives the output under key 'y'.")
    Path output;

    @Override
    public Integer call() throws Exception {
        modelOptions.defaultsFrom(weights);
        Map<String, Tensor> in = Safetensors.read(input);
        Tensor x = in.get("x");
        if (x == null) throw new IllegalArgumentException(input + " has no tensor under key 'x' (keys: " + in.keySet() + ")");
        Models.Config cfg = modelOptions.resolve(Weights.shapes(weights), x.dim() == 4 ? x.size(2) : 0);
        String name = modelOptions.model(null);
        Module model = Models.load(name, cfg, weights);
        model.eval();
        Tensor y;
        try (var ng = GradMode.noGrad()) {
            y = model.forward(x);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("y", y);
        Safetensors.write(output, out);
        System.out.printf("%s: %s -> %s, written to %s%n", name, Shape.str(x.shape()), Shape.str(y.shape()), output);
        return 0;
    }
}
