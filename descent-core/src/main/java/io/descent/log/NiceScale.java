package io.descent.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An axis for a chart: a range that covers the data and ends on round values, the tick
 * positions inside it, and their labels. Linear axes use Heckbert's "nice numbers"
 * (Graphics Gems, 1990): the tick step is 1, 2, 5 or 10 times a power of ten, chosen so that
 * about the asked number of ticks cover the data. Logarithmic axes (learning rates, update
 * ratios, which span decades) put ticks on powers of ten, adding 2× and 5× ticks when the data
 * spans two decades or less and skipping decades when it spans many; their labels are written
 * out (0.01, 100) when the whole axis lies within 0.001 … 10000, else all in scientific form.
 */
final class NiceScale {
    /** The axis: {@code [min, max]}, its ticks and labels, and whether it is logarithmic. */
    record Axis(double min, double max, double[] ticks, List<String> labels, boolean log) {
        /** Where {@code v} falls on the axis, 0 at {@code min} to 1 at {@code max}. */
        double fraction(double v) {
            return log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) : (v - min) / (max - min);
        }
    }

    private NiceScale() {}

    /** A linear axis covering {@code [lo, hi]} (finite, {@code lo <= hi}) with about {@code maxTicks} ticks. */
    static Axis linear(double lo, double hi, int maxTicks) {
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = nice((hi - lo) / Math.max(1, maxTicks - 1), true);
        double min = Math.floor(lo / step) * step;
        double max = Math.ceil(hi / step) * step;
        int n = (int) Math.round((max - min) / step);
        double magnitude = Math.max(Math.abs(min), Math.abs(max));
        double[] ticks = new double[n + 1];
        List<String> labels = new ArrayList<>(n + 1);
        for (int i = 0; i <= n; i++) {
            ticks[i] = min + i * step;
            if (Math.abs(ticks[i]) < step * 1e-9) ticks[i] = 0; // -0.0 and rounding dust
            labels.add(linearLabel(ticks[i], step, magnitude));
        }
        return new Axis(min, max, ticks, List.copyOf(labels), false);
    }

    /** A logarithmic axis covering {@code [lo, hi]} ({@code 0 < lo <= hi}), bounded by powers of ten. */
    static Axis log(double lo, double hi) {
        int e0 = (int) Math.floor(Math.log10(lo));
        int e1 = (int) Math.ceil(Math.log10(hi));
        if (e1 == e0) {
            e0--;
            e1++;
        }
        int decades = e1 - e0;
        int every = Math.max(1, (int) Math.ceil(decades / 6.0));
        e1 = e0 + (decades + every - 1) / every * every; // so the last tick is the top of the axis
        List<Double> ticks = new ArrayList<>();
        for (int e = e0; e <= e1; e += every) {
            ticks.add(Math.pow(10, e));
            if (decades <= 2 && e < e1) {
                ticks.add(2 * Math.pow(10, e));
                ticks.add(5 * Math.pow(10, e));
            }
        }
        double[] t = ticks.stream().mapToDouble(Double::doubleValue).toArray();
        boolean plain = e0 >= -3 && e1 <= 4; // one style per axis: 0.001 … 1000, or 1e-5 … 1e-1
        List<String> labels = ticks.stream().map(v -> plain ? trim(v, v) : scientific(v)).toList();
        return new Axis(Math.pow(10, e0), Math.pow(10, e1), t, labels, true);
    }

    /** The nice number (1, 2, 5 or 10 times a power of ten) nearest {@code x} ({@code round}) or at least {@code x}. */
    static double nice(double x, boolean round) {
        double exp = Math.floor(Math.log10(x));
        double f = x / Math.pow(10, exp);
        double nf;
        if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nf * Math.pow(10, exp);
    }

    /**
     * A tick label with as many decimals as the step needs (0.25 and 0.5, 2.5 and 5); on an axis
     * reaching {@code magnitude} of 10,000 or more in steps of 1,000 or more, thousands or
     * millions (5k, 10k, 15k); scientific for steps below 1e-4.
     */
    static String linearLabel(double v, double step, double magnitude) {
        if (v == 0) return "0";
        if (magnitude >= 1e4 && step >= 1e3) {
            return magnitude >= 1e6 ? trim(v / 1e6, step / 1e6) + "M" : trim(v / 1e3, step / 1e3) + "k";
        }
        if (step < 1e-4 || magnitude >= 1e6) return scientific(v);
        return trim(v, step);
    }

    private static String trim(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(mantissa - Math.rint(mantissa)) > 1e-6) decimals++;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** {@code 2.5e-5}: two significant digits at most, no '+' or leading zeros in the exponent. */
    static String scientific(double v) {
        String s = String.format(Locale.ROOT, "%.1e", v);
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + exp;
    }
}
