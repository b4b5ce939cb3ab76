package io.descent.cli;

import io.descent.autograd.GradMode;
import io.descent.data.Batch;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.TrainVal;
import io.descent.io.AtomicFiles;
import io.descent.io.Safetensors;
import io.descent.io.Weights;
import io.descent.models.Autoencoder;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent encode}: an autoencoder's bottleneck codes for every example of a data set
 * (dimensionality reduction), as CSV ({@code label,z0,z1,...}) or safetensors ({@code codes}
 * [N, D] and {@code labels} [N]), chosen by the output's extension.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Write an autoencoder's bottleneck codes of a data set (CSV or safetensors).")
public final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The trained autoencoder's weights.")
    Path weights;

    @Option(names = "--output", required = true, paramLabel = "FILE.csv|FILE.safetensors", description = "Where the codes go.")
    Path output;

    @Option(names = "--split", defaultValue = "val", paramLabel = "train|val", description = "Which split to encode (default ${DEFAULT-VALUE}).")
    String split;

    @Override
    public Integer call() throws Exception {
        modelOptions.defaultsFrom(weights);
        dataOptions.normalization.defaultFrom(weights, Weights.shapes(weights));
        TrainVal tv = dataOptions.open(modelOptions, 0);
        var data = switch (split) {
            case "train" -> tv.train();
            case "val" -> tv.val();
            default -> throw new IllegalArgumentException("--split must be train or val, got '" + split + "'");
        };
        int[] shape = data.get(0).shape();
        Models.Config cfg = modelOptions.forData(shape, 10, 0);
        Module m = Models.create(modelOptions.model(null), cfg);
        if (!(m instanceof Autoencoder ae)) throw new IllegalArgumentException("encode needs an autoencoder model (autoencoder, conv-autoencoder), got " + modelOptions.model(null));
        Weights.load(ae, weights);
        ae.eval();
        List<float[]> codes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int dim = 0;
        try (DataLoader loader = new DataLoader(data, LoaderOptions.DEFAULT.withBatchSize(256).withNumWorkers(dataOptions.workers));
             var ng = GradMode.noGrad()) {
            for (Batch b : loader.epoch(0)) {
                Tensor z = ae.encode(b.inputs());
                dim = z.size(1);
                float[] zd = z.data();
                for (int i = 0; i < b.size(); i++) {
                    codes.add(java.util.Arrays.copyOfRange(zd, i * dim, (i + 1) * dim));
                    labels.add(b.labels()[i]);
                }
            }
        }
        String name = output.getFileName().toString();
        if (name.endsWith(".safetensors")) {
            float[] all = new float[codes.size() * dim], ls = new float[codes.size()];
            for (int i = 0; i < codes.size(); i++) {
                System.arraycopy(codes.get(i), 0, all, i * dim, dim);
                ls[i] = labels.get(i);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("codes", Tensor.wrap(all, codes.size(), dim));
            out.put("labels", Tensor.wrap(ls, codes.size()));
            Safetensors.write(output, out);
        } else if (name.endsWith(".csv")) {
            int d = dim;
            AtomicFiles.write(output, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                w.write("label");
                for (int j = 0; j < d; j++) w.write(",z" + j);
                w.newLine();
                for (int i = 0; i < codes.size(); i++) {
                    w.write(Integer.toString(labels.get(i)));
                    for (float v : codes.get(i)) w.write("," + v);
                    w.newLine();
                }
                w.flush();
            });
        } else {
            throw new IllegalArgumentException("--output must end in .csv or .safetensors, got " + output);
        }
        System.out.printf("encoded %d examples into %d-dimensional codes: %s%n", codes.size(), dim, output);
        return 0;
    }
}
