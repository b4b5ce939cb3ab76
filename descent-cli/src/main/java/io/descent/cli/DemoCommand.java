package io.descent.cli;

import io.descent.autograd.GradMode;
import io.descent.kernels.Parallel;
import io.descent.ops.Losses;
import io.descent.ops.MatMul;
import io.descent.ops.Reductions;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A self-contained training run on a synthetic data set (three interleaved spirals) with a
 * two-hidden-layer MLP and plain SGD, built directly on the engine: tensors, ops, autograd.
 * Needs no download; shows the loss falling and the accuracy rising.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small MLP on built-in synthetic spirals (no download needed).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the data (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.5", description = "SGD learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden width (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    static final int CLASSES = 3, PER_CLASS = 400;

    @Override
    public Integer call() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (hidden < 1) throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        if (!(lr > 0) || !Float.isFinite(lr)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        Rng rng = new Rng(seed);
        float[][] data = spirals(rng);
        Tensor x = Tensor.wrap(data[0], CLASSES * PER_CLASS, 2);
        int[] y = new int[CLASSES * PER_CLASS];
        for (int i = 0; i < y.length; i++) y[i] = (int) data[1][i];

        List<Tensor> params = List.of(
                kaiming(rng, hidden, 2), Tensor.zeros(hidden),
                kaiming(rng, hidden, hidden), Tensor.zeros(hidden),
                kaiming(rng, CLASSES, hidden), Tensor.zeros(CLASSES));
        params.forEach(p -> p.requiresGrad(true));
        System.out.printf("descent demo: MLP 2-%d-%d-%d on %d synthetic spiral points, SGD lr %.3g, batch %d, %d thread(s)%n",
                hidden, hidden, CLASSES, y.length, lr, batch, Parallel.threads());
        long start = System.nanoTime();
        double acc = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = rng.permutation(y.length);
            double lossSum = 0;
            int steps = 0;
            for (int s = 0; s < order.length; s += batch) {
                int n = Math.min(batch, order.length - s);
                float[] xb = new float[n * 2];
                int[] yb = new int[n];
                for (int i = 0; i < n; i++) {
                    xb[2 * i] = data[0][2 * order[s + i]];
                    xb[2 * i + 1] = data[0][2 * order[s + i] + 1];
                    yb[i] = y[order[s + i]];
                }
                Tensor loss = Losses.crossEntropy(forward(params, Tensor.wrap(xb, n, 2)), yb);
                loss.backward();
                try (var ng = GradMode.noGrad()) {
                    for (Tensor p : params) {
                        io.descent.kernels.VectorOps.axpy(p.numel(), -lr, p.gradArray(), 0, p.data(), 0);
                        p.zeroGrad();
                    }
                }
                lossSum += loss.item();
                steps++;
            }
            acc = accuracy(params, x, y);
            if (epoch == 1 || epoch == epochs || epoch % Math.max(1, epochs / 10) == 0) {
                System.out.printf("epoch %3d  loss %.4f  accuracy %.1f%%%n", epoch, lossSum / steps, 100 * acc);
            }
        }
        System.out.printf("done in %.2f s; final training accuracy %.1f%% (chance is %.1f%%)%n",
                (System.nanoTime() - start) / 1e9, 100 * acc, 100.0 / CLASSES);
        return 0;
    }

    private static Tensor forward(List<Tensor> p, Tensor x) {
        Tensor h = MatMul.linear(x, p.get(0), p.get(1)).relu();
        h = MatMul.linear(h, p.get(2), p.get(3)).relu();
        return MatMul.linear(h, p.get(4), p.get(5));
    }

    private static double accuracy(List<Tensor> p, Tensor x, int[] y) {
        try (var ng = GradMode.noGrad()) {
            float[] pred = Reductions.argmax(forward(p, x), 1, false).data();
            int ok = 0;
            for (int i = 0; i < y.length; i++) if ((int) pred[i] == y[i]) ok++;
            return ok / (double) y.length;
        }
    }

    /** He-uniform init for a [out, in] weight (bound sqrt(6/in)). */
    private static Tensor kaiming(Rng rng, int out, int in) {
        float bound = (float) Math.sqrt(6.0 / in);
        return Tensor.uniform(rng, -bound, bound, out, in);
    }

    /** Three interleaved spirals with noise (CS231n's classic toy set); returns {points, labels}. */
    static float[][] spirals(Rng rng) {
        int n = CLASSES * PER_CLASS;
        float[] pts = new float[2 * n], labels = new float[n];
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                double r = i / (double) PER_CLASS;
                double t = c * 4 + 4 * r + rng.nextGaussian() * 0.2;
                int k = c * PER_CLASS + i;
                pts[2 * k] = (float) (r * Math.sin(t));
                pts[2 * k + 1] = (float) (r * Math.cos(t));
                labels[k] = c;
            }
        }
        return new float[][] {pts, labels};
    }
}
