package io.descent.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code descent bench e2e}: each workload trained in Descent and in PyTorch in the same run,
 * on the same data with the same batch, thread count and schedule, so the ratio is fair on a
 * shared, noisy machine. With several runs each side's images/s is the median, the two sides
 * alternating so that a burst of load elsewhere hits both.
 */
public final class E2eBench {
    /**
     * One workload's figures. {@code pytorch} is the faster PyTorch measured (only 1.13 here;
     * DJL is not run, so {@code pytorchDjl} stays null); null figures mean "not measured".
     */
    public record Row(Workload workload, int threads, int runs, E2eResult descent, E2eResult pytorch113, String pytorchNote) {
        public Double pytorch() {
            return pytorch113 == null ? null : pytorch113.imagesPerSecond();
        }

        public Double ratio() {
            return pytorch113 == null ? null : descent.imagesPerSecond() / pytorch113.imagesPerSecond();
        }

        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"workload\": \"%s\", \"descent\": %.1f, \"pytorch\": %s, \"pytorch_1_13\": %s, \"pytorch_djl\": null, \"ratio\": %s, "
                            + "\"descent_acc\": %.4f, \"pytorch_acc\": %s, \"threads\": %d, \"runs\": %d, \"steps\": %d}",
                    workload.name(), descent.imagesPerSecond(), num(pytorch(), "%.1f"), num(pytorch(), "%.1f"), num(ratio(), "%.3f"),
                    descent.testAccuracy(), num(pytorch113 == null ? null : pytorch113.testAccuracy(), "%.4f"), threads, runs, descent.steps());
        }
    }

    private E2eBench() {}

    /** Runs each workload {@code runs} times per framework; {@code log} hears progress lines. */
    public static List<Row> run(List<Workload> workloads, int threads, int runs, Path dataDir, Consumer<String> log) {
        String setup = PyTorchSetup.ensure();
        if (setup != null) log.accept(setup);
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            List<E2eResult> d = new ArrayList<>(), p = new ArrayList<>();
            String note = null;
            for (int r = 0; r < runs; r++) {
                E2eResult dr = DescentE2e.run(w, threads, r, dataDir);
                d.add(dr);
                log.accept(String.format(Locale.ROOT, "%s run %d descent: %.1f images/s, test acc %.4f", w, r + 1, dr.imagesPerSecond(), dr.testAccuracy()));
                E2eResult pr = PyTorchE2e.run(w, threads, dataDir);
                if (pr == null) {
                    note = PyTorchE2e.lastProblem();
                    log.accept(w + " run " + (r + 1) + " pytorch: not measured (" + note + ")");
                } else {
                    p.add(pr);
                    log.accept(String.format(Locale.ROOT, "%s run %d %s: %.1f images/s, test acc %.4f", w, r + 1, pr.version(), pr.imagesPerSecond(), pr.testAccuracy()));
                }
            }
            rows.add(new Row(w, threads, runs, median(d), p.isEmpty() ? null : median(p), p.isEmpty() ? note : null));
        }
        return rows;
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

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %14s %14s %7s %11s %11s%n",
                "workload", "Descent img/s", "PyTorch img/s", "ratio", "Descent acc", "PyTorch acc"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-8s %14.1f %14s %7s %11.4f %11s%n", r.workload(), r.descent().imagesPerSecond(),
                    cell(r.pytorch(), "%.1f"), cell(r.ratio(), "%.2fx"), r.descent().testAccuracy(),
                    cell(r.pytorch113() == null ? null : r.pytorch113().testAccuracy(), "%.4f")));
        }
        for (Row r : rows) sb.append(r.workload()).append(": ").append(r.workload().description()).append('\n');
        for (Row r : rows) if (r.pytorchNote() != null) sb.append(r.workload()).append(": PyTorch not measured: ").append(r.pytorchNote()).append('\n');
        sb.append("PyTorch = Debian python3-torch 1.13 (PyTorch via DJL not run); ")
                .append(rows.isEmpty() ? "" : rows.get(0).threads() + " threads, ")
                .append("images/s after ").append(Workload.WARMUP_STEPS).append(" warm-up steps, batch ").append(Workload.BATCH).append('\n');
        return sb.toString();
    }

    private static String cell(Double v, String fmt) {
        return v == null ? "n/a" : String.format(Locale.ROOT, fmt, v);
    }

    private static String num(Double v, String fmt) {
        return v == null ? "null" : String.format(Locale.ROOT, fmt, v);
    }
}
