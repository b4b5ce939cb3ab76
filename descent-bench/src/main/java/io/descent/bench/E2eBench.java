package io.descent.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code descent bench e2e}: each workload run by Descent and by PyTorch in the same run, with
 * the same data (or random inputs), batch, thread count and schedule, so the ratio is fair on
 * a shared, noisy machine. With several runs each side's images/s is the median, the two sides
 * alternating so that a burst of load elsewhere hits both.
 */
public final class E2eBench {
    /**
     * One workload's figures. Two PyTorch builds may be measured: Debian's 1.13 through Python
     * and 2.7 through DJL ({@link DjlE2e}, W1 and W2, when its runner is built); neither is
     * always the faster (docs/PERFORMANCE.md), so {@code pytorch} and
     * the ratio use the faster of those measured, and Descent is held to the better PyTorch.
     * Null figures mean "not measured"; the notes say why. {@code descentRuns} and
     * {@code pytorch113Runs} are every run's result in the order run (the medians above are
     * among them), so that a noisy machine's spread is on record.
     */
    public record Row(E2eWorkload workload, int threads, int runs, E2eResult descent, E2eResult pytorch113, E2eResult pytorchDjl,
            String pytorchNote, String djlNote, List<E2eResult> descentRuns, List<E2eResult> pytorch113Runs) {
        public Row {
            descentRuns = List.copyOf(descentRuns);
            pytorch113Runs = List.copyOf(pytorch113Runs);
        }

        /** A row of single results (its runs are those results). */
        public Row(E2eWorkload workload, int threads, int runs, E2eResult descent, E2eResult pytorch113, E2eResult pytorchDjl,
                String pytorchNote, String djlNote) {
            this(workload, threads, runs, descent, pytorch113, pytorchDjl, pytorchNote, djlNote, List.of(descent),
                    pytorch113 == null ? List.of() : List.of(pytorch113));
        }

        /** A row without DJL figures. */
        public Row(E2eWorkload workload, int threads, int runs, E2eResult descent, E2eResult pytorch113, String pytorchNote) {
            this(workload, threads, runs, descent, pytorch113, null, pytorchNote, null);
        }

        /** The faster of the PyTorch results measured, or null when there is none. */
        public E2eResult fastestPyTorch() {
            if (pytorchDjl == null || Double.isNaN(pytorchDjl.imagesPerSecond())) return pytorch113;
            if (pytorch113 == null || Double.isNaN(pytorch113.imagesPerSecond())) return pytorchDjl;
            return pytorchDjl.imagesPerSecond() > pytorch113.imagesPerSecond() ? pytorchDjl : pytorch113;
        }

        /** The faster PyTorch's images/s (null: none measured). */
        public Double pytorch() {
            return ips(fastestPyTorch());
        }

        /** Descent's images/s over the faster PyTorch's. */
        public Double ratio() {
            Double p = pytorch();
            return p == null ? null : descent.imagesPerSecond() / p;
        }

        /** Whether the row has tape figures (W5). */
        public boolean measuresTape() {
            return descent.savedBytes() >= 0;
        }

        /**
         * The contract's fields ({@code workload, descent, pytorch, pytorch_1_13, pytorch_djl}),
         * then the ratio (against the faster PyTorch), accuracies (null for random inputs;
         * {@code pytorch_acc} is 1.13's, {@code djl_acc} DJL's), step times (PyTorch's: the
         * faster), for W5 the peak MiB saved for backward, and every run's images/s
         * ({@code descent_runs}, {@code pytorch_1_13_runs}) and test accuracy ({@code descent_acc_runs},
         * {@code pytorch_1_13_acc_runs}; null where there is none).
         */
        public String toJson() {
            E2eResult fast = fastestPyTorch();
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "{\"workload\": \"%s\", \"descent\": %s, \"pytorch\": %s, \"pytorch_1_13\": %s, \"pytorch_djl\": %s, \"ratio\": %s, "
                            + "\"descent_acc\": %s, \"pytorch_acc\": %s, \"djl_acc\": %s, \"threads\": %d, \"runs\": %d, \"steps\": %d, \"batch\": %d, "
                            + "\"descent_step_ms\": %s, \"pytorch_step_ms\": %s",
                    workload.name(), num(descent.imagesPerSecond(), ipsFormat(descent.imagesPerSecond())), num(pytorch(), ipsFormat(pytorch())),
                    num(ips(pytorch113), ipsFormat(ips(pytorch113))), num(ips(pytorchDjl), ipsFormat(ips(pytorchDjl))), num(ratio(), "%.3f"),
                    num(descent.testAccuracy(), "%.4f"), num(acc(pytorch113), "%.4f"), num(acc(pytorchDjl), "%.4f"), threads, runs, descent.steps(),
                    workload.batch(), num(descent.stepMs(workload.batch()), "%.1f"), num(fast == null ? null : fast.stepMs(workload.batch()), "%.1f")));
            if (measuresTape()) {
                sb.append(String.format(Locale.ROOT, ", \"descent_saved_mib\": %s, \"pytorch_saved_mib\": %s",
                        num(mib(descent.savedBytes()), "%.1f"), num(pytorch113 == null ? null : mib(pytorch113.savedBytes()), "%.1f")));
            }
            sb.append(", \"descent_runs\": ").append(runsJson(descentRuns, r -> num(r.imagesPerSecond(), ipsFormat(r.imagesPerSecond()))))
                    .append(", \"pytorch_1_13_runs\": ").append(runsJson(pytorch113Runs, r -> num(r.imagesPerSecond(), ipsFormat(r.imagesPerSecond()))))
                    .append(", \"descent_acc_runs\": ").append(runsJson(descentRuns, r -> num(r.testAccuracy(), "%.4f")))
                    .append(", \"pytorch_1_13_acc_runs\": ").append(runsJson(pytorch113Runs, r -> num(r.testAccuracy(), "%.4f")));
            return sb.append('}').toString();
        }

        private static String runsJson(List<E2eResult> results, java.util.function.Function<E2eResult, String> figure) {
            return results.stream().map(figure).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
    }

    private E2eBench() {}

    /** Runs each workload {@code runs} times per framework; {@code log} hears progress lines. */
    public static List<Row> run(List<? extends E2eWorkload> workloads, int threads, int runs, Path dataDir, Consumer<String> log) {
        String setup = PyTorchSetup.ensure(workloads.stream().anyMatch(w -> w instanceof Workload), workloads.stream().anyMatch(E2eWorkload::needsTorchvision));
        if (setup != null) log.accept(setup);
        List<Row> rows = new ArrayList<>();
        for (E2eWorkload w : workloads) {
            List<E2eResult> d = new ArrayList<>(), p = new ArrayList<>(), j = new ArrayList<>();
            String note = null, djlNote = null;
            for (int r = 0; r < runs; r++) {
                E2eResult dr = w.descent(threads, r, dataDir);
                d.add(dr);
                log.accept(w.name() + " run " + (r + 1) + " descent: " + summary(dr, w.batch()));
                E2eResult pr = PyTorchE2e.run(w, threads, r, dataDir);
                if (pr == null) {
                    note = PyTorchE2e.lastProblem();
                    log.accept(w.name() + " run " + (r + 1) + " pytorch: not measured (" + note + ")");
                } else {
                    p.add(pr);
                    log.accept(w.name() + " run " + (r + 1) + " " + pr.version() + ": " + summary(pr, w.batch()));
                }
                if (!DjlE2e.supports(w)) continue;
                E2eResult jr = DjlE2e.run(w, threads, r, dataDir);
                if (jr == null) {
                    djlNote = DjlE2e.lastProblem();
                    log.accept(w.name() + " run " + (r + 1) + " pytorch via DJL: not measured (" + djlNote + ")");
                } else {
                    j.add(jr);
                    log.accept(w.name() + " run " + (r + 1) + " " + jr.version() + ": " + summary(jr, w.batch()));
                }
            }
            rows.add(new Row(w, threads, runs, median(d), p.isEmpty() ? null : median(p), j.isEmpty() ? null : median(j),
                    p.isEmpty() ? note : null, j.isEmpty() ? djlNote : null, d, p));
        }
        return rows;
    }

    private static String summary(E2eResult r, int batch) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.1f images/s", r.imagesPerSecond()));
        if (!Double.isNaN(r.testAccuracy())) sb.append(String.format(Locale.ROOT, ", test acc %.4f", r.testAccuracy()));
        else sb.append(String.format(Locale.ROOT, ", %.1f ms/step", r.stepMs(batch)));
        if (r.savedBytes() >= 0) sb.append(String.format(Locale.ROOT, ", saved for backward %.1f MiB", mib(r.savedBytes())));
        return sb.toString();
    }

    /** The result with the median images/s (the lower middle for an even count). */
    static E2eResult median(List<E2eResult> results) {
        E2eResult[] s = results.toArray(E2eResult[]::new);
        Arrays.sort(s, (a, b) -> Double.compare(a.imagesPerSecond(), b.imagesPerSecond()));
        return s[(s.length - 1) / 2];
    }

    public static String toJson(List<Row> rows) {
        return Timing.jsonList(rows.stream().map(Row::toJson).toList());
    }

    /**
     * The images/s table (both PyTorch builds, the ratio against the faster; accuracy n/a for
     * random inputs), W5's step times and tape beside it, then footnotes.
     */
    public static String table(List<Row> rows) {
        String fmt = "%-18s %14s %13s %13s %7s %11s %11s %11s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, fmt,
                "workload", "Descent img/s", "PT1.13 img/s", "PT DJL img/s", "ratio", "Descent acc", "PT1.13 acc", "PT DJL acc"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.workload().name(), cell(r.descent().imagesPerSecond(), ipsFormat(r.descent().imagesPerSecond())),
                    cell(ips(r.pytorch113()), ipsFormat(ips(r.pytorch113()))), cell(ips(r.pytorchDjl()), ipsFormat(ips(r.pytorchDjl()))),
                    cell(r.ratio(), "%.2fx"), cell(r.descent().testAccuracy(), "%.4f"), cell(acc(r.pytorch113()), "%.4f"), cell(acc(r.pytorchDjl()), "%.4f")));
        }
        sb.append(runsTable(rows));
        List<Row> tape = rows.stream().filter(Row::measuresTape).toList();
        if (!tape.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%-18s %15s %15s %17s %17s%n", "checkpointing", "Descent step ms", "PyTorch step ms", "Descent saved MiB", "PyTorch saved MiB"));
            for (Row r : tape) {
                E2eResult p = r.pytorch113();
                sb.append(String.format(Locale.ROOT, "%-18s %15s %15s %17s %17s%n", r.workload().name(), cell(r.descent().stepMs(r.workload().batch()), "%.1f"),
                        cell(p == null ? null : p.stepMs(r.workload().batch()), "%.1f"), cell(mib(r.descent().savedBytes()), "%.1f"),
                        cell(p == null ? null : mib(p.savedBytes()), "%.1f")));
            }
            sb.append("saved MiB = peak bytes saved for backward during one step (every save counted, parameters not)\n");
        }
        for (Row r : rows) sb.append(r.workload().name()).append(": ").append(r.workload().description()).append('\n');
        for (Row r : rows) if (r.pytorchNote() != null) sb.append(r.workload().name()).append(": PyTorch not measured: ").append(r.pytorchNote()).append('\n');
        rows.stream().map(Row::djlNote).filter(n -> n != null).distinct().forEach(n -> sb.append("PyTorch via DJL not measured: ").append(n).append('\n'));
        String djl = rows.stream().map(Row::pytorchDjl).filter(r -> r != null).map(E2eResult::version).findFirst().orElse("not run");
        sb.append("PT1.13 = Debian python3-torch 1.13; PT DJL = ").append(djl).append(" (W1, W2); ratio = Descent / the faster PyTorch")
                .append(rows.isEmpty() ? "" : "; " + rows.get(0).threads() + (rows.get(0).threads() == 1 ? " thread" : " threads")).append('\n');
        if (rows.stream().anyMatch(r -> r.workload() instanceof Workload)) {
            sb.append("W1-W3: images/s after ").append(Workload.WARMUP_STEPS).append(" warm-up steps, batch ").append(Workload.BATCH).append('\n');
        }
        return sb.toString();
    }

    /** Above this spread (fastest run over slowest, minus 1) a side's median is flagged as noisy. */
    static final double NOISY_SPREAD = 0.20;

    /**
     * Every run's images/s, Descent's and PyTorch 1.13's in the order run (they alternate), with
     * each side's spread: on a shared machine one run can be a third off the others, and a
     * ratio of medians hides that. Below each, the test accuracies' mean and sample standard
     * deviation (each run has its own seed on both sides): "within noise" is read there. Empty
     * when no row has more than one run.
     */
    static String runsTable(List<Row> rows) {
        if (rows.stream().allMatch(r -> r.descentRuns().size() < 2)) return "";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n%-18s %s%n", "runs", "Descent img/s | PT1.13 img/s, in the order run (spread = fastest / slowest - 1)"));
        List<String> noisy = new ArrayList<>();
        for (Row r : rows) {
            if (r.descentRuns().size() < 2) continue;
            double d = spread(r.descentRuns()), p = spread(r.pytorch113Runs());
            sb.append(String.format(Locale.ROOT, "%-18s %s | %s   spread %s | %s%n", r.workload().name(), runs(r.descentRuns()),
                    r.pytorch113Runs().isEmpty() ? "n/a" : runs(r.pytorch113Runs()), cell(100 * d, "%.0f %%"), cell(100 * p, "%.0f %%")));
            if (d > NOISY_SPREAD || p > NOISY_SPREAD) noisy.add(r.workload().name());
            String acc = accuracy(r.descentRuns()), pAcc = accuracy(r.pytorch113Runs());
            if (acc != null) sb.append(String.format(Locale.ROOT, "%-18s test acc %s | %s%n", "", acc, pAcc == null ? "n/a" : pAcc));
        }
        if (!noisy.isEmpty()) {
            sb.append(String.join(", ", noisy)).append(String.format(Locale.ROOT,
                    ": runs spread over %.0f %% (a busy machine, or the JIT still compiling in early runs): read the ratio with care, or take more --runs%n",
                    100 * NOISY_SPREAD));
        }
        return sb.toString();
    }

    private static String runs(List<E2eResult> results) {
        StringBuilder sb = new StringBuilder();
        for (E2eResult e : results) {
            double v = e.imagesPerSecond();
            sb.append(sb.isEmpty() ? "" : " ").append(cell(v, Math.abs(v) < 100 ? "%.3f" : "%.0f"));
        }
        return sb.toString();
    }

    /** "mean ± sd (n runs)" of the runs' test accuracies, or null with fewer than two. */
    static String accuracy(List<E2eResult> results) {
        double[] a = results.stream().mapToDouble(E2eResult::testAccuracy).filter(v -> !Double.isNaN(v)).toArray();
        if (a.length < 2) return null;
        double mean = Arrays.stream(a).average().orElseThrow(), ss = 0;
        for (double v : a) ss += (v - mean) * (v - mean);
        return String.format(Locale.ROOT, "%.4f ± %.4f (%d runs)", mean, Math.sqrt(ss / (a.length - 1)), a.length);
    }

    /** Fastest over slowest minus 1; NaN for fewer than two runs with figures. */
    static double spread(List<E2eResult> results) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (E2eResult e : results) {
            double v = e.imagesPerSecond();
            if (Double.isNaN(v) || v <= 0) continue;
            min = Math.min(min, v);
            max = Math.max(max, v);
            n++;
        }
        return n < 2 ? Double.NaN : max / min - 1;
    }

    /** Images/s to 0.1, or to 0.001 below 100 (W4 trains at a few images/s). */
    private static String ipsFormat(Double v) {
        return v != null && Math.abs(v) < 100 ? "%.3f" : "%.1f";
    }

    private static Double ips(E2eResult r) {
        return r == null ? null : r.imagesPerSecond();
    }

    private static Double acc(E2eResult r) {
        return r == null ? null : r.testAccuracy();
    }

    private static Double mib(long bytes) {
        return bytes < 0 ? null : bytes / 1048576.0;
    }

    private static String cell(Double v, String fmt) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, fmt, v);
    }

    private static String num(Double v, String fmt) {
        return v == null || v.isNaN() || v.isInfinite() ? "null" : String.format(Locale.ROOT, fmt, v);
    }
}
