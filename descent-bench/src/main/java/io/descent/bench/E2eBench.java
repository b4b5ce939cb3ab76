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
     * One workload's figures. {@code pytorch} is the faster PyTorch measured (only 1.13 here;
     * DJL is not run, so {@code pytorch_djl} stays null); null figures mean "not measured".
     */
    public record Row(E2eWorkload workload, int threads, int runs, E2eResult descent, E2eResult pytorch113, String pytorchNote) {
        public Double pytorch() {
            return pytorch113 == null ? null : pytorch113.imagesPerSecond();
        }

        public Double ratio() {
            return pytorch113 == null ? null : descent.imagesPerSecond() / pytorch113.imagesPerSecond();
        }

        /** Whether the row has tape figures (W5). */
        public boolean measuresTape() {
            return descent.savedBytes() >= 0;
        }

        /**
         * The contract's fields ({@code workload, descent, pytorch, pytorch_1_13, pytorch_djl}),
         * then the ratio, accuracies (null for random inputs), step times, and for W5 the peak
         * MiB saved for backward.
         */
        public String toJson() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "{\"workload\": \"%s\", \"descent\": %s, \"pytorch\": %s, \"pytorch_1_13\": %s, \"pytorch_djl\": null, \"ratio\": %s, "
                            + "\"descent_acc\": %s, \"pytorch_acc\": %s, \"threads\": %d, \"runs\": %d, \"steps\": %d, \"batch\": %d, "
                            + "\"descent_step_ms\": %s, \"pytorch_step_ms\": %s",
                    workload.name(), num(descent.imagesPerSecond(), ipsFormat(descent.imagesPerSecond())), num(pytorch(), ipsFormat(pytorch())),
                    num(pytorch(), ipsFormat(pytorch())), num(ratio(), "%.3f"),
                    num(descent.testAccuracy(), "%.4f"), num(pytorch113 == null ? null : pytorch113.testAccuracy(), "%.4f"), threads, runs, descent.steps(),
                    workload.batch(), num(descent.stepMs(workload.batch()), "%.1f"), num(pytorch113 == null ? null : pytorch113.stepMs(workload.batch()), "%.1f")));
            if (measuresTape()) {
                sb.append(String.format(Locale.ROOT, ", \"descent_saved_mib\": %s, \"pytorch_saved_mib\": %s",
                        num(mib(descent.savedBytes()), "%.1f"), num(pytorch113 == null ? null : mib(pytorch113.savedBytes()), "%.1f")));
            }
            return sb.append('}').toString();
        }
    }

    private E2eBench() {}

    /** Runs each workload {@code runs} times per framework; {@code log} hears progress lines. */
    public static List<Row> run(List<? extends E2eWorkload> workloads, int threads, int runs, Path dataDir, Consumer<String> log) {
        String setup = PyTorchSetup.ensure(workloads.stream().anyMatch(w -> w instanceof Workload), workloads.stream().anyMatch(E2eWorkload::needsTorchvision));
        if (setup != null) log.accept(setup);
        List<Row> rows = new ArrayList<>();
        for (E2eWorkload w : workloads) {
            List<E2eResult> d = new ArrayList<>(), p = new ArrayList<>();
            String note = null;
            for (int r = 0; r < runs; r++) {
                E2eResult dr = w.descent(threads, r, dataDir);
                d.add(dr);
                log.accept(w.name() + " run " + (r + 1) + " descent: " + summary(dr, w.batch()));
                E2eResult pr = PyTorchE2e.run(w, threads, dataDir);
                if (pr == null) {
                    note = PyTorchE2e.lastProblem();
                    log.accept(w.name() + " run " + (r + 1) + " pytorch: not measured (" + note + ")");
                } else {
                    p.add(pr);
                    log.accept(w.name() + " run " + (r + 1) + " " + pr.version() + ": " + summary(pr, w.batch()));
                }
            }
            rows.add(new Row(w, threads, runs, median(d), p.isEmpty() ? null : median(p), p.isEmpty() ? note : null));
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

    /** The images/s table (accuracy n/a for random inputs), W5's step times and tape beside it, then footnotes. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-18s %14s %14s %7s %11s %11s%n",
                "workload", "Descent img/s", "PyTorch img/s", "ratio", "Descent acc", "PyTorch acc"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-18s %14s %14s %7s %11s %11s%n", r.workload().name(), cell(r.descent().imagesPerSecond(), ipsFormat(r.descent().imagesPerSecond())),
                    cell(r.pytorch(), ipsFormat(r.pytorch())), cell(r.ratio(), "%.2fx"), cell(r.descent().testAccuracy(), "%.4f"),
                    cell(r.pytorch113() == null ? null : r.pytorch113().testAccuracy(), "%.4f")));
        }
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
        sb.append("PyTorch = Debian python3-torch 1.13 (PyTorch via DJL not run)")
                .append(rows.isEmpty() ? "" : "; " + rows.get(0).threads() + (rows.get(0).threads() == 1 ? " thread" : " threads")).append('\n');
        if (rows.stream().anyMatch(r -> r.workload() instanceof Workload)) {
            sb.append("W1-W3: images/s after ").append(Workload.WARMUP_STEPS).append(" warm-up steps, batch ").append(Workload.BATCH).append('\n');
        }
        return sb.toString();
    }

    /** Images/s to 0.1, or to 0.001 below 100 (W4 trains at a few images/s). */
    private static String ipsFormat(Double v) {
        return v != null && Math.abs(v) < 100 ? "%.3f" : "%.1f";
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
