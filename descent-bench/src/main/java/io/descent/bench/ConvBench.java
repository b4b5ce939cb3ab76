package io.descent.bench;

import io.descent.kernels.ConvGeometry;
import io.descent.kernels.ConvKernels;
import io.descent.kernels.Parallel;
import io.descent.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Convolution throughput: the forward pass, the input gradient and the weight gradient of a
 * ResNet-style layer (batch 128, 32→64 channels, 14×14, 3×3, padding 1, stride 1) at 1 and 2
 * threads, in GFLOPS with {@code FLOPs = 2·N·O·H'·W'·(C/groups)·kH·kW} per pass (each pass is
 * the same number of multiply-adds). Each figure is the median of timed repetitions after a
 * warm-up, so one slow outlier (GC, another process) does not move it.
 *
 * <p>{@code main} prints a table, and with {@code --json FILE} writes the rows as a JSON list
 * of {@code {layer, pass, threads, gflops}} (the {@code descent bench conv} contract).
 * Options: {@code --threads 1,2}, {@code --seconds S} (timed time per figure, default 2).
 */
public final class ConvBench {
    /**
     * One measured figure; {@code algorithm} is {@code winograd} or {@code im2col} (GFLOPS always
     * count the direct convolution's multiply-adds, so Winograd's figure is "as fast as a direct
     * convolution at this rate").
     */
    public record Row(String layer, String pass, String algorithm, int threads, double gflops) {
        /** The row as a JSON object. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"layer\": \"%s\", \"pass\": \"%s\", \"algorithm\": \"%s\", \"threads\": %d, \"gflops\": %.2f}",
                    layer, pass, algorithm, threads, gflops);
        }
    }

    /** A pass of a convolution layer on prepared buffers. */
    public enum Pass {
        FORWARD("forward"), INPUT_GRAD("input-grad"), WEIGHT_GRAD("weight-grad");

        final String label;

        Pass(String label) {
            this.label = label;
        }

        /** Runs the pass once. */
        public void run(Layer l) {
            switch (this) {
                case FORWARD -> ConvKernels.forward(l.g, l.x, l.w, l.bias, l.y);
                case INPUT_GRAD -> ConvKernels.backwardData(l.g, l.y, l.w, null, l.dx);
                case WEIGHT_GRAD -> ConvKernels.backwardWeight(l.g, l.x, l.y, l.dw);
            }
        }
    }

    /** A layer's geometry and its input, weight, output and gradient buffers (random values). */
    public static final class Layer {
        final String name;
        final ConvGeometry g;
        final float[] x, w, bias, y, dx, dw;

        public Layer(String name, ConvGeometry g) {
            this.name = name;
            this.g = g;
            Rng rng = new Rng(42);
            x = fill(rng, g.n() * g.imageSize());
            w = fill(rng, g.weightSize());
            bias = fill(rng, g.o());
            y = fill(rng, g.n() * g.outImageSize());
            dx = new float[x.length];
            dw = new float[w.length];
        }

        private static float[] fill(Rng rng, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = rng.nextFloat() - 0.5f;
            return a;
        }
    }

    private ConvBench() {}

    /** The benchmarked layer: N=128, C=32 → O=64, 14×14, 3×3 kernel, padding 1, stride 1. */
    public static Layer resnetLayer() {
        return new Layer("n128-c32-o64-14x14-k3-p1-s1", new ConvGeometry(128, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 14, 14));
    }

    /**
     * A square-kernel layer written {@code N,C,H,W,O,K,P,S} (batch, in channels, height, width,
     * out channels, kernel, padding, stride), e.g. {@code 128,1,28,28,32,3,1,1}.
     */
    public static Layer parseLayer(String spec) {
        String[] f = spec.split(",");
        int[] v = new int[8];
        if (f.length != 8) throw new IllegalArgumentException("conv layer '" + spec + "': expected N,C,H,W,O,K,P,S (8 integers)");
        for (int i = 0; i < 8; i++) {
            try {
                v[i] = Integer.parseInt(f[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("conv layer '" + spec + "': '" + f[i] + "' is not an integer");
            }
            if (v[i] < (i == 6 ? 0 : 1)) throw new IllegalArgumentException("conv layer '" + spec + "': sizes must be positive (padding >= 0)");
        }
        int oh = (v[2] + 2 * v[6] - v[5]) / v[7] + 1, ow = (v[3] + 2 * v[6] - v[5]) / v[7] + 1;
        if (oh < 1 || ow < 1) throw new IllegalArgumentException("conv layer '" + spec + "': the kernel is larger than the padded input");
        String name = String.format(Locale.ROOT, "n%d-c%d-o%d-%dx%d-k%d-p%d-s%d", v[0], v[1], v[4], v[2], v[3], v[5], v[6], v[7]);
        return new Layer(name, new ConvGeometry(v[0], v[1], v[2], v[3], v[4], v[5], v[5], v[7], v[7], v[6], v[6], 1, 1, 1, oh, ow));
    }

    /**
     * Measures every pass of {@code layer} at each thread count, about {@code seconds} each: with
     * the algorithm Descent picks, and when that is Winograd's also with im2col + GEMM. Each
     * algorithm's passes first run untimed for {@code seconds} each on the first thread count:
     * in a fresh JVM the first row otherwise fell inside the JIT's compilation of the kernels
     * (Winograd forward, one thread, measured at 75 GFLOPS against 112–120 warmed).
     */
    public static List<Row> run(Layer layer, int[] threadCounts, double seconds) {
        List<Row> rows = new ArrayList<>();
        int before = Parallel.threads();
        boolean winograd = ConvKernels.winograd();
        try {
            for (boolean allowWinograd : ConvKernels.usesWinograd(layer.g) ? new boolean[] {true, false} : new boolean[] {false}) {
                ConvKernels.setWinograd(allowWinograd);
                Parallel.setThreads(threadCounts[0]);
                for (Pass pass : Pass.values()) Timing.medianSeconds(() -> pass.run(layer), seconds, 1, 1); // JIT warm-up, discarded
                for (int t : threadCounts) {
                    Parallel.setThreads(t);
                    for (Pass pass : Pass.values()) {
                        double s = Timing.medianSeconds(() -> pass.run(layer), seconds, 1, 5);
                        rows.add(new Row(layer.name, pass.label, allowWinograd ? "winograd" : "im2col", t, layer.g.flops() / 1e9 / s));
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
            ConvKernels.setWinograd(winograd);
        }
        return rows;
    }

    /** The rows as a JSON list. */
    public static String toJson(List<Row> rows) {
        return Timing.jsonList(rows.stream().map(Row::toJson).toList());
    }

    /** The rows as an aligned text table. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-30s %-12s %-9s %7s %9s%n", "layer", "pass", "algorithm", "threads", "GFLOPS"));
        for (Row r : rows) sb.append(String.format(Locale.ROOT, "%-30s %-12s %-9s %7d %9.1f%n", r.layer(), r.pass(), r.algorithm(), r.threads(), r.gflops()));
        sb.append("GFLOPS count a direct convolution's multiply-adds (2·N·O·H'·W'·C·kH·kW per pass), whatever the algorithm\n");
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        int[] threads = {1, 2};
        double seconds = 2;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(value(args, ++i).split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                case "--json" -> json = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("ConvBench: unknown option " + args[i] + " (options: --threads 1,2 --seconds S --json FILE)");
            }
        }
        List<Row> rows = run(resnetLayer(), threads, seconds);
        System.out.print(table(rows));
        if (json != null) Files.writeString(json, toJson(rows));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException("ConvBench: " + args[i - 1] + " needs a value");
        return args[i];
    }
}
