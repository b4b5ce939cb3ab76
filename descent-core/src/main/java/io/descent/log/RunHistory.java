package io.descent.log;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every scalar a run has logged, per tag as (step, value) points in step order: what the report
 * draws. A point at a step at or before the tag's last one replaces the points from that step
 * on, which is how a run resumed from an earlier checkpoint overwrites the steps it redoes (and
 * how a value logged twice at one step, per step and again at the evaluation, is kept once).
 * Not thread-safe.
 */
public final class RunHistory {
    private static final class Series {
        double[] steps = new double[16];
        double[] values = new double[16];
        int size;
    }

    private final Map<String, Series> series = new LinkedHashMap<>();

    /** The history of a run directory's event files, as TensorBoard shows them. */
    static RunHistory of(List<ScalarEvent> events) {
        RunHistory h = new RunHistory();
        for (ScalarEvent e : events) h.add(e.tag(), e.step(), e.value());
        return h;
    }

    public void add(String tag, long step, double value) {
        Series s = series.computeIfAbsent(tag, t -> new Series());
        while (s.size > 0 && s.steps[s.size - 1] >= step) s.size--;
        if (s.size == s.steps.length) {
            s.steps = Arrays.copyOf(s.steps, 2 * s.size);
            s.values = Arrays.copyOf(s.values, 2 * s.size);
        }
        s.steps[s.size] = step;
        s.values[s.size] = value;
        s.size++;
    }

    /** Whether the last point of {@code tag} is exactly ({@code step}, {@code value}). */
    public boolean endsWith(String tag, long step, double value) {
        Series s = series.get(tag);
        return s != null && s.size > 0 && s.steps[s.size - 1] == step && Double.compare(s.values[s.size - 1], value) == 0;
    }

    /** The tags in the order they were first logged. */
    public Set<String> tags() {
        return series.keySet();
    }

    /** The steps of {@code tag}'s points (empty for an unknown tag). */
    public double[] steps(String tag) {
        Series s = series.get(tag);
        return s == null ? new double[0] : Arrays.copyOf(s.steps, s.size);
    }

    /** The values of {@code tag}'s points, matching {@link #steps}. */
    public double[] values(String tag) {
        Series s = series.get(tag);
        return s == null ? new double[0] : Arrays.copyOf(s.values, s.size);
    }
}
