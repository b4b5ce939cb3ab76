package io.descent.log;

import io.descent.io.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lays a run out as a report: which logged scalar goes on which chart, with what axis. Tags are
 * grouped by what they measure, whatever split they belong to ({@code train_loss},
 * {@code val_loss} and {@code train/loss} all go on "Loss"):
 *
 * <ul>
 *   <li>"Loss": tags containing {@code loss};
 *   <li>"Accuracy": {@code acc}, {@code accuracy}, {@code top1}, {@code top5_acc}, ...;
 *   <li>"Mean average precision": a detector's {@code map}, {@code map50}, {@code map75};
 *   <li>"Learning rate": {@code lr}, {@code lr/group1}, {@code lr_head}, ...;
 *   <li>"Momentum": tags containing {@code momentum} or {@code beta1};
 *   <li>"Gradient norm": tags containing {@code grad_norm};
 *   <li>"Update ratio": tags containing {@code update_ratio} (|Δw| / |w| per parameter group);
 *   <li>anything else (PSNR, ...): one chart per name once the split prefix is removed.
 * </ul>
 *
 * The learning rate, gradient norm and update ratio charts switch to a log axis when their
 * positive values span two decades or more (a warm-up from 1e-5, ratios of layers that differ
 * tenfold), where a linear axis would flatten all but the largest values. {@code epoch} and
 * {@code step} are axes, not charts.
 */
final class RunReport {
    private enum Family {
        LOSS("Loss", "loss", false),
        ACCURACY("Accuracy", "accuracy", false),
        MAP("Mean average precision", "COCO mAP", false),
        LR("Learning rate", "learning rate", true),
        MOMENTUM("Momentum", "momentum", false),
        GRAD_NORM("Gradient norm", "global gradient L2 norm", true),
        UPDATE_RATIO("Update ratio", "update norm / weight norm", true);

        final String title;
        final String yLabel;
        final boolean logWhenWide;

        Family(String title, String yLabel, boolean logWhenWide) {
            this.title = title;
            this.yLabel = yLabel;
            this.logWhenWide = logWhenWide;
        }
    }

    private static final Pattern SPLIT_PREFIX = Pattern.compile("^(train|val|valid|validation|test|eval)[_/ .-]");
    private static final Pattern ACCURACY = Pattern.compile("acc|top-?\\d");
    private static final Pattern MAP = Pattern.compile("^map(\\d+)?$");
    private static final Pattern LR = Pattern.compile("^lr($|[_/ .-])|[_/ .-]lr$|learning_rate");
    /** Two decades: from here on a log axis reads better than a linear one. */
    private static final double WIDE_RATIO = 100;

    private RunReport() {}

    /**
     * A report builder with the run's charts, final metrics (the last evaluation row's numeric
     * values; text cells that parse as numbers count, as read back from metrics.csv) and
     * configuration (nested objects flattened to dotted keys).
     */
    static HtmlReport.Builder builder(String title, RunHistory history, Map<String, ?> lastEvaluation, Map<String, ?> config) {
        HtmlReport.Builder b = HtmlReport.builder(title);
        Map<String, List<String>> charts = new LinkedHashMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        for (Family f : Family.values()) charts.put(f.title, new ArrayList<>());
        for (String tag : history.tags()) {
            String lower = tag.toLowerCase(Locale.ROOT);
            if (lower.equals("epoch") || lower.equals("step")) continue;
            String base = SPLIT_PREFIX.matcher(lower).replaceFirst("");
            Family f = family(base);
            String chart = f == null ? base : f.title;
            if (f != null) families.put(chart, f);
            charts.computeIfAbsent(chart, c -> new ArrayList<>()).add(tag);
        }
        charts.forEach((chart, tags) -> {
            if (tags.isEmpty()) return;
            Family f = families.get(chart);
            boolean log = f != null && f.logWhenWide && wide(history, tags);
            b.chart(chart, "step", f == null ? chart : f.yLabel, log);
            for (String tag : tags) b.series(chart, tag, history.steps(tag), history.values(tag));
        });
        Map<String, Double> metrics = new LinkedHashMap<>();
        lastEvaluation.forEach((k, v) -> {
            Double d = number(v);
            if (d != null) metrics.put(k, d);
        });
        b.finalMetrics(metrics);
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", config, flat);
        b.config(flat);
        return b;
    }

    /**
     * Several runs side by side: a chart per logged tag (in the order the runs first logged
     * them), a line per run named by its folder, and a table of each run's last evaluation.
     */
    static HtmlReport.Builder compare(String title, List<RunFolder> runs) {
        HtmlReport.Builder b = HtmlReport.builder(title);
        Set<String> seen = new LinkedHashSet<>();
        for (RunFolder r : runs) seen.addAll(r.history().tags());
        seen.removeIf(t -> t.equalsIgnoreCase("epoch") || t.equalsIgnoreCase("step"));
        // losses first, then accuracies, the lr, ... as in a run's report; the rest last
        List<String> tags = seen.stream().sorted(Comparator.comparingInt(t -> {
            Family f = family(SPLIT_PREFIX.matcher(t.toLowerCase(Locale.ROOT)).replaceFirst(""));
            return f == null ? Family.values().length : f.ordinal();
        })).toList();
        for (String tag : tags) {
            Family f = family(SPLIT_PREFIX.matcher(tag.toLowerCase(Locale.ROOT)).replaceFirst(""));
            List<double[]> values = new ArrayList<>();
            for (RunFolder r : runs) values.add(r.history().values(tag));
            b.chart(tag, "step", f == null ? tag : f.yLabel, f != null && f.logWhenWide && wide(values));
            for (RunFolder r : runs) {
                if (r.history().tags().contains(tag)) b.series(tag, r.name(), r.history().steps(tag), r.history().values(tag));
            }
        }
        Map<String, String> last = new LinkedHashMap<>();
        for (RunFolder r : runs) {
            StringBuilder s = new StringBuilder();
            r.lastEvaluation().forEach((k, v) -> {
                Double d = number(v);
                if (d != null && !k.equals("epoch") && !k.equals("step")) s.append(s.isEmpty() ? "" : ", ").append(k).append(' ').append(Formats.significant(d, 4));
            });
            last.put(r.name(), s.toString());
        }
        b.config(last);
        return b;
    }

    private static Family family(String base) {
        if (base.contains("loss")) return Family.LOSS;
        if (ACCURACY.matcher(base).find()) return Family.ACCURACY;
        if (MAP.matcher(base).matches()) return Family.MAP;
        if (LR.matcher(base).find()) return Family.LR;
        if (base.contains("momentum") || base.contains("beta1")) return Family.MOMENTUM;
        if (base.contains("grad_norm") || base.contains("gradnorm")) return Family.GRAD_NORM;
        if (base.contains("update_ratio")) return Family.UPDATE_RATIO;
        return null;
    }

    /** Whether the positive finite values of these tags span {@link #WIDE_RATIO} or more. */
    private static boolean wide(RunHistory history, List<String> tags) {
        return wide(tags.stream().map(history::values).toList());
    }

    /** Whether these positive finite values span {@link #WIDE_RATIO} or more. */
    private static boolean wide(List<double[]> series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] values : series) {
            for (double v : values) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi > 0 && hi / lo >= WIDE_RATIO;
    }

    private static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private static void flatten(String prefix, Map<String, ?> map, Map<String, String> into) {
        map.forEach((k, v) -> {
            String key = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                Map<String, Object> sub = new LinkedHashMap<>();
                m.forEach((mk, mv) -> sub.put(String.valueOf(mk), mv));
                flatten(key, sub, into);
            } else if (v instanceof String s) {
                into.put(key, s);
            } else {
                into.put(key, display(v));
            }
        });
    }

    /** Lists and numbers as JSON writes them; anything JSON cannot hold (NaN, an enum) as its string. */
    private static String display(Object v) {
        try {
            return Json.write(v);
        } catch (IllegalArgumentException notJson) {
            return String.valueOf(v);
        }
    }
}
