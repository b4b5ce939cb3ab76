package io.descent.cli;

import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.TrainVal;
import io.descent.data.Transform;
import io.descent.data.transforms.Compose;
import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.train.Task;
import io.descent.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code descent evaluate}: loss and metrics of saved weights on a data set's validation (test) split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Print the metrics of saved weights on the validation/test split.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "Weights: .safetensors or .pth/.pt.")
    Path weights;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "classify|reconstruct|denoise",
            description = "Metrics to compute (default ${DEFAULT-VALUE}); denoise: of clean images rebuilt from corrupted ones, as train --task denoise validates.")
    String task;

    @Mixin
    NoiseOptions noiseOptions;

    @Option(names = "--seed", defaultValue = "0", description = "denoise: seed of the corruption (default ${DEFAULT-VALUE}, train's default).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        Task t = switch (task) {
            case "classify" -> new Task.Classification();
            case "reconstruct", "denoise" -> new Task.Reconstruction();
            default -> throw new IllegalArgumentException("--task must be classify, reconstruct or denoise, got '" + task + "'");
        };
        List<Transform> corruption = new ArrayList<>();
        noiseOptions.addCorruption(task, corruption);
        var state = Weights.read(weights);
        TrainVal tv = dataOptions.open(modelOptions.withInputFrom(state), 0);
        int[] shape = tv.val().get(0).shape();
        Models.Config cfg = modelOptions.resolve(state, shape.length > 1 ? shape[1] : 0);
        Module model = Models.load(modelOptions.model(null), cfg, state);
        try (DataLoader val = new DataLoader(tv.val(), LoaderOptions.DEFAULT.withBatchSize(batch).withNumWorkers(dataOptions.workers)
                .withSeed(seed).withTransform(corruption.isEmpty() ? null : new Compose(corruption)))) {
            Map<String, Double> m = Trainer.evaluate(model, val, t, "");
            System.out.printf("%s on %s (%d examples):", weights.getFileName(), dataOptions.data, tv.val().size());
            m.forEach((k, v) -> System.out.printf(" %s %.4f", k, v));
            System.out.println();
        }
        return 0;
    }
}
