package io.descent.bench;

import io.descent.autograd.GradMode;
import io.descent.kernels.Parallel;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.ops.Losses;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whole-model throughput: eval-mode forward, and forward + backward (train mode, cross-entropy)
 * of torchvision-sized models on random 224×224×3 images, in images per second.
 */
public final class ModelBench {
    public record Row(String model, String pass, int batch, int threads, double seconds, double imagesPerSecond) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"model\": \"%s\", \"pass\": \"%s\", \"batch\": %d, \"threads\": %d, \"seconds_per_iter\": %.4f, \"images_per_s\": %.2f}",
                    model, pass, batch, threads, seconds, imagesPerSecond);
        }
    }

    private ModelBench() {}

    /** Forward and forward+backward of each model at the given batch size (224 px, 1000 classes). */
    public static List<Row> run(List<String> models, int batch, int threads, double seconds) {
        List<Row> rows = new ArrayList<>();
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            for (String name : models) {
                Module m = Models.create(name, new Models.Config(1000, 3, 224, ResNet.Stem.IMAGENET, 32, 0));
                Tensor x = Tensor.randn(new Rng(1), batch, 3, 224, 224);
                int[] y = new int[batch];
                for (int i = 0; i < batch; i++) y[i] = i % 1000;
                m.eval();
                double fwd = Timing.medianSeconds(() -> {
                    try (var ng = GradMode.noGrad()) {
                        m.forward(x);
                    }
                }, seconds, 1, 3);
                rows.add(new Row(name, "forward", batch, threads, fwd, batch / fwd));
                m.train();
                double train = Timing.medianSeconds(() -> {
                    Losses.crossEntropy(m.forward(x), y).backward();
                    m.zeroGrad();
                }, seconds, 1, 3);
                rows.add(new Row(name, "forward+backward", batch, threads, train, batch / train));
            }
        } finally {
            Parallel.setThreads(before);
        }
        return rows;
    }

    public static String toJson(List<Row> rows) {
        return Timing.jsonList(rows.stream().map(Row::toJson).toList());
    }

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %-17s %5s %7s %10s %9s%n", "model", "pass", "batch", "threads", "s/iter", "images/s"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-10s %-17s %5d %7d %10.3f %9.2f%n", r.model(), r.pass(), r.batch(), r.threads(), r.seconds(), r.imagesPerSecond()));
        }
        return sb.toString();
    }
}
