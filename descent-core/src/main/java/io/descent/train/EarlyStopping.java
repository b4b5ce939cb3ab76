package io.descent.train;

/**
 * Stops when a logged metric has not improved by more than {@code minDelta} for
 * {@code patience} evaluations (Keras' EarlyStopping; min for losses, max for accuracies).
 * The trainer restores the best weights when it stops.
 */
public final class EarlyStopping {
    public enum Mode { MIN, MAX }

    private final String metric;
    private final Mode mode;
    private final int patience;
    private final double minDelta;
    private double best;
    private int bad;

    public EarlyStopping(String metric, Mode mode, int patience, double minDelta) {
        if (metric == null || metric.isBlank()) throw new IllegalArgumentException("early stopping needs a metric name");
        if (patience < 1) throw new IllegalArgumentException("early stopping patience must be >= 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early stopping min delta must be >= 0, got " + minDelta);
        this.metric = metric;
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /**
     * Whether a higher value of {@code metric} is better: accuracies ("acc", "top5"), PSNR and a
     * detector's mean average precision ("map", "map50", with any split prefix); losses and
     * anything else are better lower.
     */
    public static boolean higherIsBetter(String metric) {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        return m.contains("acc") || m.contains("psnr") || m.contains("top") || m.matches("(.*[_/])?map\\d*");
    }

    /** Parses {@code metric:patience} (e.g. {@code val_acc:5}); the mode is MAX where {@link #higherIsBetter}, else MIN. */
    public static EarlyStopping parse(String spec) {
        String[] p = spec.split(":");
        if (p.length < 1 || p.length > 3) throw new IllegalArgumentException("--early-stop must be METRIC[:PATIENCE[:MIN_DELTA]], got '" + spec + "'");
        String m = p[0].trim();
        Mode mode = higherIsBetter(m) ? Mode.MAX : Mode.MIN;
        try {
            int patience = p.length > 1 ? Integer.parseInt(p[1].trim()) : 5;
            double delta = p.length > 2 ? Double.parseDouble(p[2].trim()) : 0;
            return new EarlyStopping(m, mode, patience, delta);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--early-stop must be METRIC[:PATIENCE[:MIN_DELTA]], got '" + spec + "'");
        }
    }

    public String metric() {
        return metric;
    }

    public Mode mode() {
        return mode;
    }

    /** Records an evaluation; returns true when it is a new best. */
    public boolean update(double value) {
        if (Double.isNaN(value)) {
            bad++;
            return false;
        }
        boolean better = mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
        if (better) {
            best = value;
            bad = 0;
        } else {
            bad++;
        }
        return better;
    }

    public boolean shouldStop() {
        return bad >= patience;
    }

    public double best() {
        return best;
    }

    public int badEvaluations() {
        return bad;
    }

    /** Restores the counters (resume). */
    public void restore(double best, int bad) {
        this.best = best;
        this.bad = bad;
    }
}
