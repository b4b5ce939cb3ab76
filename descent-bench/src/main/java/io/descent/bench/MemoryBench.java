package io.descent.bench;

import io.descent.data.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code descent bench memory}: what training a workload needs, Descent beside PyTorch. For
 * Descent, the smallest {@code -Xmx} at which a fresh JVM ({@link ChildJvm} running
 * {@link MemoryProbe}) trains {@code steps} steps of the workload, found by {@link HeapSearch}
 * between {@link #MIN_MIB} and {@link #MAX_MIB} MiB to within {@link #RESOLUTION_MIB} MiB, and
 * that JVM's peak resident set at that heap. For PyTorch, the peak resident set of the same
 * steps ({@code pytorch_e2e.py --memory}). Memory per step is steady after the first few steps
 * (the optimizer's state is allocated at the first), so a short run tells.
 *
 * <p>"Completes" means: trains all steps without an {@code OutOfMemoryError}, within
 * {@link #SLOWDOWN}× the time the run took at the largest heap plus a minute. A heap so small
 * that the collector runs most of the time is not one anybody would train with.
 */
public final class MemoryBench {
    public static final long MIN_MIB = 32, MAX_MIB = 4096, RESOLUTION_MIB = 16;
    /** A probe slower than this many times the run at {@link #MAX_MIB} counts as not completing. */
    static final double SLOWDOWN = 4;

    /**
     * One workload's figures; null = not measured. {@code descentMinXmxMib} is -1 when even
     * {@link #MAX_MIB} did not suffice, and equals {@link #MIN_MIB} when that already did.
     */
    public record Row(Workload workload, int steps, int threads, long descentMinXmxMib, Double descentPeakRssMib, Double pytorchPeakRssMib, String pytorchNote) {
        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"workload\": \"%s\", \"descent_min_xmx_mib\": %s, \"pytorch_peak_rss_mib\": %s, \"descent_peak_rss_mib\": %s, \"steps\": %d, \"threads\": %d}",
                    workload.name(), descentMinXmxMib < 0 ? "null" : Long.toString(descentMinXmxMib), num(pytorchPeakRssMib), num(descentPeakRssMib), steps, threads);
        }
    }

    private MemoryBench() {}

    /** Measures each workload; {@code log} hears each probe. */
    public static List<Row> run(List<Workload> workloads, int threads, int steps, Path dataDir, Consumer<String> log) {
        if (steps < 1) throw new IllegalArgumentException("bench memory: --steps must be positive, got " + steps);
        String setup = PyTorchSetup.ensure(true, false);
        if (setup != null) log.accept(setup);
        FashionMnist.train(dataDir); // missing data: the usual message here, not a failed child JVM
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            Prober prober = new Prober(w, steps, threads, dataDir, log);
            long xmx = HeapSearch.smallest(MIN_MIB, MAX_MIB, RESOLUTION_MIB, prober::fits);
            Double rss = xmx < 0 ? null : prober.rssKib(xmx) == null ? null : prober.rssKib(xmx) / 1024.0;
            Map<String, Object> p = PyTorchE2e.runScript("pytorch_e2e.py", pytorchArgs(w, threads, steps, dataDir), threads);
            Double torchRss = p == null ? null : PyTorchE2e.num(p, "peak_rss_mib");
            String note = p == null ? PyTorchE2e.lastProblem() : null;
            log.accept(String.format(Locale.ROOT, "%s: Descent needs -Xmx%s (peak RSS %s MiB); PyTorch peak RSS %s MiB%s", w,
                    xmx < 0 ? " > " + MAX_MIB + "m" : xmx + "m", num(rss), num(torchRss), note == null ? "" : " (" + note + ")"));
            rows.add(new Row(w, steps, threads, xmx, rss, torchRss, note));
        }
        return rows;
    }

    static List<String> pytorchArgs(Workload w, int threads, int steps, Path dataDir) {
        List<String> args = new ArrayList<>(w.pytorchArgs(threads, dataDir));
        args.addAll(List.of("--memory", Integer.toString(steps)));
        return args;
    }

    /** Runs the probes of one workload, remembering each completed probe's peak RSS and the reference time. */
    private static final class Prober {
        private final Workload w;
        private final int steps, threads;
        private final Path dataDir;
        private final Consumer<String> log;
        private final Map<Long, Long> rssKib = new java.util.HashMap<>();
        private double referenceSeconds;

        Prober(Workload w, int steps, int threads, Path dataDir, Consumer<String> log) {
            this.w = w;
            this.steps = steps;
            this.threads = threads;
            this.dataDir = dataDir;
            this.log = log;
        }

        Long rssKib(long xmxMib) {
            return rssKib.get(xmxMib);
        }

        boolean fits(long xmxMib) {
            double timeout = referenceSeconds == 0 ? 0 : SLOWDOWN * referenceSeconds + 60;
            ChildJvm.Result r;
            try {
                r = ChildJvm.run(ChildJvm.command(xmxMib + "m", MemoryProbe.class, MemoryProbe.args(w, steps, threads, dataDir)), null, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("bench memory: interrupted", e);
            }
            boolean ok = r.outcome() == ChildJvm.Outcome.COMPLETED;
            if (ok) {
                if (referenceSeconds == 0) referenceSeconds = r.seconds();
                Long rss = MemoryProbe.reportedRssKib(r.output());
                if (rss != null) rssKib.put(xmxMib, rss);
            }
            log.accept(String.format(Locale.ROOT, "  %s -Xmx%dm: %s (%.1f s%s)", w, xmxMib, switch (r.outcome()) {
                case COMPLETED -> "trained " + steps + " steps";
                case OUT_OF_MEMORY -> "OutOfMemoryError";
                case TIMED_OUT -> "too slow, stopped";
            }, r.seconds(), ok && rssKib.get(xmxMib) != null ? String.format(Locale.ROOT, ", peak RSS %d MiB", rssKib.get(xmxMib) / 1024) : ""));
            return ok;
        }
    }

    public static String toJson(List<Row> rows) {
        return Timing.jsonList(rows.stream().map(Row::toJson).toList());
    }

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %6s %17s %21s %21s%n",
                "workload", "steps", "Descent min -Xmx", "Descent peak RSS MiB", "PyTorch peak RSS MiB"));
        for (Row r : rows) {
            String xmx = r.descentMinXmxMib() < 0 ? "> " + MAX_MIB + " MiB" : (r.descentMinXmxMib() == MIN_MIB ? "<= " : "") + r.descentMinXmxMib() + " MiB";
            sb.append(String.format(Locale.ROOT, "%-8s %6d %17s %21s %21s%n", r.workload(), r.steps(), xmx, cell(r.descentPeakRssMib()), cell(r.pytorchPeakRssMib())));
        }
        for (Row r : rows) if (r.pytorchNote() != null) sb.append(r.workload()).append(": PyTorch not measured: ").append(r.pytorchNote()).append('\n');
        sb.append(String.format(Locale.ROOT, "min -Xmx: smallest heap (to %d MiB) at which a fresh JVM (G1, 4 MiB regions) trains the steps without OutOfMemoryError,%n"
                + "  within %.0fx the time it takes at %d MiB; peak RSS: VmHWM of that JVM / getrusage of the python process (both include the runtime itself)%n",
                RESOLUTION_MIB, SLOWDOWN, MAX_MIB));
        return sb.toString();
    }

    private static String cell(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String num(Double v) {
        return v == null ? "null" : String.format(Locale.ROOT, "%.1f", v);
    }
}
