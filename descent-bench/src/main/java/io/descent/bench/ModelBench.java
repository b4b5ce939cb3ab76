package io.descent.bench;

import io.descent.autograd.GradMode;
import io.descent.kernels.Parallel;
import io.descent.kernels.ParallelProfile;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.ops.Losses;
import io.descent.optim.SGD;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whole-model throughput: eval-mode forward, forward + backward, and a whole training step
 * (forward + backward + SGD step) of torchvision-sized models (1000 classes) on seeded random
 * RGB images, in images per second. {@code bench models} prints the first two; the e2e bench's
 * W4 rows ({@link ModelWorkload}) time the forward and the training step through
 * {@link #secondsPerIteration}.
 */
public final class ModelBench {
    /** What one timed iteration does. */
    public enum Pass {
        /** Eval mode, no grad. */
        FORWARD("forward"),
        /** Train mode: forward, cross-entropy, backward, gradients cleared. */
        FORWARD_BACKWARD("forward+backward"),
        /** Train mode: zeroGrad, forward, cross-entropy, backward, SGD step (lr 0.01, momentum 0.9). */
        TRAIN("train");

        private final String label;

        Pass(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

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
                Module m = create(name, 224);
                Tensor x = input(batch, 224);
                int[] y = labels(batch);
                for (Pass pass : List.of(Pass.FORWARD, Pass.FORWARD_BACKWARD)) {
                    double s = secondsPerIteration(m, pass, x, y, seconds, 1, 3);
                    rows.add(new Row(name, pass.label(), batch, threads, s, batch / s));
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        return rows;
    }

    /** A torchvision model by name with 1000 classes for RGB images of {@code imageSize} px, seed 0. */
    public static Module create(String model, int imageSize) {
        return Models.create(model, new Models.Config(1000, 3, imageSize, ResNet.Stem.IMAGENET, 32, 0));
    }

    /** Random images N(0, 1), always the same for a given shape. */
    public static Tensor input(int batch, int imageSize) {
        return Tensor.randn(new Rng(1), batch, 3, imageSize, imageSize);
    }

    /** Labels 0, 1, 2, ... (mod 1000). */
    public static int[] labels(int batch) {
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 1000;
        return y;
    }

    /**
     * Median seconds of one iteration of {@code pass} on {@code m}, by {@link Timing#medianSeconds}
     * ({@code seconds} 0: exactly {@code warmups} untimed and {@code reps} timed iterations).
     * Leaves {@code m} in the mode the pass needs and its gradients cleared.
     */
    public static double secondsPerIteration(Module m, Pass pass, Tensor x, int[] y, double seconds, int warmups, int reps) {
        double s = Timing.medianSeconds(work(m, pass, x, y), seconds, warmups, reps);
        m.zeroGrad();
        return s;
    }

    /** One iteration of {@code pass} on {@code m}, which it puts in the mode the pass needs. */
    private static Runnable work(Module m, Pass pass, Tensor x, int[] y) {
        Runnable work;
        switch (pass) {
            case FORWARD -> {
                m.eval();
                work = () -> {
                    try (var ng = GradMode.noGrad()) {
                        m.forward(x);
                    }
                };
            }
            case FORWARD_BACKWARD -> {
                m.train();
                work = () -> {
                    Losses.crossEntropy(m.forward(x), y).backward();
                    m.zeroGrad();
                };
            }
            case TRAIN -> {
                m.train();
                SGD opt = new SGD(m.namedParameters(), 0.01, 0.9, 0, 0, false);
                work = () -> {
                    opt.zeroGrad();
                    Losses.crossEntropy(m.forward(x), y).backward();
                    opt.step();
                };
            }
            default -> throw new AssertionError(pass);
        }
        return work;
    }

    /**
     * A row's time projected onto {@code threads} cores from the critical path of its ops
     * ({@link ParallelProfile}): {@code seconds} if each op lasts as long as its longest chunk,
     * {@code balancedSeconds} if its work were spread evenly, of which {@code serialSeconds} is
     * the calling thread's own work outside the team; {@code wallSeconds} is what the profiled
     * iterations took on this machine.
     */
    public record Projected(String model, String pass, int batch, int threads, double seconds, double balancedSeconds, double serialSeconds, double wallSeconds,
                            double callerAllocatedMb, List<String> waits) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"model\": \"%s\", \"pass\": \"%s\", \"batch\": %d, \"threads\": %d, \"projected_seconds_per_iter\": %.4f, "
                    + "\"balanced_seconds_per_iter\": %.4f, \"serial_seconds_per_iter\": %.4f, \"wall_seconds_per_iter\": %.4f, \"caller_allocated_mb_per_iter\": %.1f, \"cores_here\": %d}",
                    model, pass, batch, threads, seconds, balancedSeconds, serialSeconds, wallSeconds, callerAllocatedMb, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Forward and forward+backward of each model with {@code threads} kernel threads, however
     * many cores this machine has: {@code iterations} profiled after {@link #WARMUPS} untimed ones
     * (and at least {@link #WARMUP_SECONDS} of them), projected
     * onto {@code threads} cores (see {@link Projected}).
     */
    /** Untimed iterations before a projection, at least this many and for at least this long. */
    private static final int WARMUPS = 3;
    private static final double WARMUP_SECONDS = 8;

    /** Sites listed per projected row, most waiting first. */
    private static final int WAITS_SHOWN = 8;

    public static List<Projected> project(List<String> models, int batch, int threads, int iterations) {
        return project(models, batch, threads, iterations, WARMUP_SECONDS);
    }

    /** {@link #project(List, int, int, int)} with {@code warmupSeconds} of untimed iterations at least. */
    static List<Projected> project(List<String> models, int batch, int threads, int iterations, double warmupSeconds) {
        if (iterations < 1) throw new IllegalArgumentException("bench models: iterations to project must be positive, got " + iterations);
        List<Projected> rows = new ArrayList<>();
        Timing.withThreads(threads, () -> {
            for (String name : models) {
                Module m = create(name, 224);
                Tensor x = input(batch, 224);
                int[] y = labels(batch);
                for (Pass pass : List.of(Pass.FORWARD, Pass.FORWARD_BACKWARD)) {
                    Runnable work = work(m, pass, x, y);
                    // untimed until the JIT has compiled the kernels that run once per pass (a
                    // classifier's GEMM still in the Vector API's Java fallback ran 70x slower)
                    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                    for (int i = 0; i < WARMUPS || System.nanoTime() < warmEnd; i++) work.run();
                    long t0 = System.nanoTime();
                    ParallelProfile.start();
                    for (int i = 0; i < iterations; i++) work.run();
                    ParallelProfile.Projection p = ParallelProfile.stop();
                    double wall = (System.nanoTime() - t0) / 1e9 / iterations;
                    List<String> waits = ParallelProfile.byWaiting(p).stream().limit(WAITS_SHOWN)
                            .map(site -> String.format(Locale.ROOT, "%7.1f ms waiting, %6.1f ms work, %4d ops: %s", site.waitNanos(threads) / 1e6 / iterations,
                                    site.workNanos() / 1e6 / iterations, site.ops() / iterations, site.where()))
                            .toList();
                    rows.add(new Projected(name, pass.label(), batch, threads, p.seconds() / iterations, p.balancedSeconds() / iterations,
                            p.serialNanos() / 1e9 / iterations, wall, p.callerAllocatedBytes() / 1e6 / iterations, waits));
                    m.zeroGrad();
                }
            }
            return null;
        });
        return rows;
    }

    public static String projectedJson(List<Projected> rows) {
        return Timing.jsonList(rows.stream().map(Projected::toJson).toList());
    }

    public static String projectedTable(List<Projected> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %-17s %5s %7s %12s %12s %9s %12s %9s%n",
                "model", "pass", "batch", "threads", "projected s", "balanced s", "serial s", "wall s here", "images/s"));
        for (Projected r : rows) {
            sb.append(String.format(Locale.ROOT, "%-10s %-17s %5d %7d %12.3f %12.3f %9.3f %12.3f %9.2f%n",
                    r.model(), r.pass(), r.batch(), r.threads(), r.seconds(), r.balancedSeconds(), r.serialSeconds(), r.wallSeconds(), r.batch() / r.seconds()));
        }
        for (Projected r : rows) {
            sb.append(String.format(Locale.ROOT, "where threads wait, %s %s on %d (per iteration; the calling thread allocated %.0f MB):%n",
                    r.model(), r.pass(), r.threads(), r.callerAllocatedMb()));
            for (String w : r.waits()) sb.append("  ").append(w).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "projected onto 'threads' cores from each op's longest chunk (CPU time), measured on %d cores here;"
                + " memory bandwidth and hand-offs left out: a lower bound, not a measurement%n", Runtime.getRuntime().availableProcessors()));
        return sb.toString();
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
