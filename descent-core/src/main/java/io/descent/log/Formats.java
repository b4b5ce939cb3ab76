package io.descent.log;

import java.util.Locale;

/** How the console and the report print a metric: so many significant digits, scientific only where plain digits would mislead. */
final class Formats {
    private Formats() {}

    /**
     * {@code v} with {@code digits} significant digits ({@code 0.8712}, {@code 2.303}), in
     * scientific notation below 0.01 and from 1e5 on ({@code 3.000e-04}, the usual way to read a
     * learning rate); NaN and infinities as Java names them.
     */
    static String significant(double v, int digits) {
        if (!Double.isFinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-2 || a >= 1e5)) return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        return String.format(Locale.ROOT, "%." + digits + "g", v);
    }

    /**
     * Like {@link #significant} without padding: integers as integers ({@code 3}, {@code 299}),
     * trailing zeros dropped ({@code 0.3}, {@code 5.99489e-08}); for tables, where a column of
     * {@code 3.00000} and {@code 299.000} would read as measurements.
     */
    static String compact(double v, int digits) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = significant(v, digits);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.indexOf('.') >= 0) mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }
}
