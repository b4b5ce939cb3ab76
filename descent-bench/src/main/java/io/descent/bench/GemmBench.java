package io.descent.bench;

import io.descent.kernels.Gemm;
import io.descent.kernels.Parallel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Descent's {@link Gemm} against OpenBLAS on the shapes that matter for training: square
 * 256³…2048³ and the conv/linear backprop shape m=n=128, k=3136 in its three layouts (NN, TN
 * with A stored k×m, NT with B stored n×k), at each thread count. Each figure is the best of
 * several timed samples after a warm-up, Descent's and OpenBLAS's samples taken in turn;
 * GFLOPS = 2mnk / time. OpenBLAS is called through FFM on native copies of the same data; if no
 * library loads, its figure is null.
 *
 * <p>Run with {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED}, and
 * with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (a forced core type makes OpenBLAS fall back
 * to slower kernels; {@link #main} warns when they are set). {@code --json FILE} also writes the
 * rows as JSON (fields {@code shape, op, threads, gflops, openblas_gflops, fma_peak_gflops}).
 */
public final class GemmBench {
    /** How long the FMA peak is measured at each thread count. */
    private static final long PEAK_NANOS = 300_000_000L;
    private static final int SAMPLES = 7;
    private static final long SAMPLE_NANOS = 60_000_000L, WARMUP_NANOS = 400_000_000L, JIT_WARMUP_NANOS = 150_000_000L;
    /** OpenBLAS workers spin for a while after a call; let them park before timing Descent. */
    private static final long SETTLE_MILLIS = 250;

    /**
     * One measured line: Descent's and OpenBLAS's GFLOPS (null when OpenBLAS is absent), and the
     * FMA peak measured at the same thread count.
     */
    public record Row(String shape, String op, int threads, double gflops, Double openblasGflops, double peakGflops) {}

    /** One benchmarked multiply: C (m×n) = op(A) op(B), op named like BLAS ("TN": A transposed). */
    public record Case(int m, int n, int k, boolean transA, boolean transB) {
        String shape() {
            return m + "x" + n + "x" + k;
        }

        String op() {
            return (transA ? "T" : "N") + (transB ? "T" : "N");
        }

        int lda() {
            return transA ? m : k;
        }

        int ldb() {
            return transB ? k : n;
        }

        double flop() {
            return 2.0 * m * n * k;
        }
    }

    /** The standard set. */
    public static final List<Case> CASES = List.of(
            new Case(256, 256, 256, false, false),
            new Case(512, 512, 512, false, false),
            new Case(1024, 1024, 1024, false, false),
            new Case(2048, 2048, 2048, false, false),
            new Case(128, 128, 3136, false, false),
            new Case(128, 128, 3136, true, false),
            new Case(128, 128, 3136, false, true));

    private GemmBench() {}

    /** Parses shapes written {@code MxNxK} or {@code MxNxK:OP} (OP one of NN, NT, TN, TT; default NN). */
    public static List<Case> parseCases(List<String> specs) {
        List<Case> cases = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.trim().split(":");
            String[] dims = parts[0].split("x");
            String op = parts.length > 1 ? parts[1].toUpperCase(java.util.Locale.ROOT) : "NN";
            if (parts.length > 2 || dims.length != 3 || !op.matches("[NT][NT]")) {
                throw new IllegalArgumentException("gemm shape '" + spec + "': expected MxNxK or MxNxK:OP with OP one of NN, NT, TN, TT");
            }
            int[] d = new int[3];
            for (int i = 0; i < 3; i++) {
                try {
                    d[i] = Integer.parseInt(dims[i]);
                } catch (NumberFormatException e) {
                    d[i] = 0;
                }
                if (d[i] < 1) throw new IllegalArgumentException("gemm shape '" + spec + "': sizes must be positive integers");
            }
            cases.add(new Case(d[0], d[1], d[2], op.charAt(0) == 'T', op.charAt(1) == 'T'));
        }
        return cases;
    }

    /** Measures every case at every thread count; OpenBLAS too when asked and loadable. */
    public static List<Row> run(int[] threadCounts, boolean withOpenBlas) {
        return run(threadCounts, withOpenBlas, CASES);
    }

    /** Measures the given cases at every thread count. */
    public static List<Row> run(int[] threadCounts, boolean withOpenBlas, List<Case> cases) {
        Optional<OpenBlas> blas = withOpenBlas ? OpenBlas.load() : Optional.empty();
        int saved = Parallel.threads();
        List<Row> rows = new ArrayList<>();
        try {
            warmUpJit(threadCounts);
            Map<Integer, Double> peak = new HashMap<>();
            for (int t : threadCounts) peak.computeIfAbsent(t, n -> FmaPeak.gflops(n, PEAK_NANOS));
            for (Case c : cases) {
                for (int t : threadCounts) rows.add(measure(c, t, blas.orElse(null), peak.get(t)));
            }
        } finally {
            Parallel.setThreads(saved);
        }
        return rows;
    }

    /**
     * One row: after a warm-up of each, Descent and OpenBLAS samples alternate, each going first
     * every other time (so both see the same background load on a shared machine), and each
     * figure is the best of its samples (the one least disturbed by other processes). With
     * several threads, Descent's samples wait for OpenBLAS's spinning workers to park.
     */
    static Row measure(Case c, int threads, OpenBlas blas, double peakGflops) {
        Parallel.setThreads(threads);
        Random rnd = new Random(42);
        float[] a = random(rnd, c.m * c.k), b = random(rnd, c.k * c.n), out = new float[c.m * c.n];
        Runnable descent = () -> Gemm.sgemm(c.transA, c.transB, c.m, c.n, c.k, 1f, a, 0, c.lda(), b, 0, c.ldb(), 0f, out, 0, c.n);
        try (Arena arena = Arena.ofConfined()) {
            Runnable openBlas = null;
            if (blas != null) {
                blas.setThreads(threads);
                MemorySegment na = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
                MemorySegment nb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
                MemorySegment nc = arena.allocate(ValueLayout.JAVA_FLOAT, (long) c.m * c.n);
                openBlas = () -> blas.sgemm(c.transA, c.transB, c.m, c.n, c.k, 1f, na, c.lda(), nb, c.ldb(), 0f, nc, c.n);
            }
            int descentBatch = warmUp(descent);
            int blasBatch = openBlas == null ? 0 : warmUp(openBlas);
            double[] mine = new double[SAMPLES], theirs = new double[SAMPLES];
            for (int s = 0; s < SAMPLES; s++) {
                boolean blasFirst = openBlas != null && s % 2 == 1;
                if (blasFirst) theirs[s] = sample(openBlas, blasBatch, c.flop());
                if (openBlas != null && threads > 1) settle();
                mine[s] = sample(descent, descentBatch, c.flop());
                if (openBlas != null && !blasFirst) theirs[s] = sample(openBlas, blasBatch, c.flop());
            }
            return new Row(c.shape(), c.op(), threads, best(mine), openBlas == null ? null : best(theirs), peakGflops);
        }
    }

    /**
     * Runs every case briefly at every thread count, so that all of Gemm's code paths are
     * compiled before the first row is timed (C2 compiles in the background and would
     * otherwise still be working during the first rows).
     */
    private static void warmUpJit(int[] threadCounts) {
        for (int t : threadCounts) {
            Parallel.setThreads(t);
            for (Case c : CASES) {
                float[] a = new float[c.m * c.k], b = new float[c.k * c.n], out = new float[c.m * c.n];
                long start = System.nanoTime();
                do {
                    Gemm.sgemm(c.transA, c.transB, c.m, c.n, c.k, 1f, a, 0, c.lda(), b, 0, c.ldb(), 0f, out, 0, c.n);
                } while (System.nanoTime() - start < JIT_WARMUP_NANOS);
            }
        }
    }

    /** Runs {@code call} for the warm-up time; returns how many calls make one sample. */
    private static int warmUp(Runnable call) {
        long start = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - start < WARMUP_NANOS || calls < 3) {
            call.run();
            calls++;
        }
        long perCall = Math.max(1, (System.nanoTime() - start) / calls);
        return (int) Math.max(1, SAMPLE_NANOS / perCall);
    }

    /** GFLOPS of {@code batch} back-to-back calls. */
    private static double sample(Runnable call, int batch, double flop) {
        long t0 = System.nanoTime();
        for (int i = 0; i < batch; i++) call.run();
        return flop * batch / (System.nanoTime() - t0);
    }

    private static double best(double[] x) {
        return Arrays.stream(x).max().orElseThrow();
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The rows as a JSON array of objects {@code shape, op, threads, gflops, openblas_gflops, fma_peak_gflops}. */
    public static String toJson(List<Row> rows) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append(String.format(Locale.ROOT, "  {\"shape\": \"%s\", \"op\": \"%s\", \"threads\": %d, \"gflops\": %s, \"openblas_gflops\": %s, \"fma_peak_gflops\": %s}",
                    r.shape(), r.op(), r.threads(), number(r.gflops()), r.openblasGflops() == null ? "null" : number(r.openblasGflops()), number(r.peakGflops())));
        }
        return sb.append(rows.isEmpty() ? "]" : "\n]").append('\n').toString();
    }

    private static String number(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f", x) : "null";
    }

    /**
     * A fixed-width table: Descent and OpenBLAS GFLOPS, their ratio, and Descent's share of the
     * measured FMA peak, under a line giving that peak per thread count.
     */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(rows.stream()
                .collect(Collectors.toMap(Row::threads, Row::peakGflops, (x, y) -> x, TreeMap::new)).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%.1f on %d thread%s", e.getValue(), e.getKey(), e.getKey() == 1 ? "" : "s"))
                .collect(Collectors.joining("; ", "FMA peak measured here (GFLOPS): ", "\n")));
        sb.append(String.format(Locale.ROOT, "%-16s %-3s %7s %10s %10s %7s %8s%n",
                "shape", "op", "threads", "descent", "openblas", "ratio", "%peak"));
        for (Row r : rows) {
            Double ob = r.openblasGflops();
            sb.append(String.format(Locale.ROOT, "%-16s %-3s %7d %10.1f %10s %7s %7.0f%%%n", r.shape(), r.op(), r.threads(), r.gflops(),
                    ob == null ? "n/a" : String.format(Locale.ROOT, "%.1f", ob),
                    ob == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", r.gflops() / ob),
                    100 * r.gflops() / r.peakGflops()));
        }
        return sb.toString();
    }

    /** {@code [--json FILE] [--threads 1,2] [--no-openblas]}: runs everything and prints the table. */
    public static void main(String[] args) throws IOException {
        Path json = null;
        int[] threads = {1, 2};
        boolean openBlas = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--threads" -> threads = Arrays.stream(value(args, ++i, "--threads").split(",")).mapToInt(Integer::parseInt).toArray();
                case "--no-openblas" -> openBlas = false;
                default -> throw new IllegalArgumentException("GemmBench: unknown argument " + args[i] + " (expected --json FILE, --threads 1,2, --no-openblas)");
            }
        }
        for (String v : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
            if (System.getenv(v) != null) {
                System.out.println("WARNING: " + v + "=" + System.getenv(v) + " is set; OpenBLAS figures will be low (run with env -u " + v + ")");
            }
        }
        if (openBlas && OpenBlas.load().isEmpty()) {
            System.out.println("OpenBLAS not found (looked for " + OpenBlas.CANDIDATES + "): its column is n/a");
        }
        List<Row> rows = run(threads, openBlas);
        System.out.print(table(rows));
        if (json != null) Files.writeString(json, toJson(rows));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException("GemmBench: " + flag + " needs a value");
        return args[i];
    }
}
