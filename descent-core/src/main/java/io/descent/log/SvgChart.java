package io.descent.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A line chart drawn as SVG markup, for inlining in an HTML page (the report must work offline,
 * so charts are drawn here rather than by a script library): a title, a legend, axes with
 * {@link NiceScale} ticks and grid lines, axis labels, and one line per series. The y axis may
 * be logarithmic (learning rates, update ratios).
 *
 * <p>Points that cannot be drawn (NaN or infinite, or not positive on a log axis) break the
 * line rather than being joined over, so a diverged or missing stretch shows as a gap. Short
 * series (up to {@value #MARKERS_UP_TO} points, typically one per evaluation) get a marker on
 * each point; long ones a marker only on points left alone between gaps. A series longer than
 * the chart is wide is reduced to the first, lowest, highest and last point of each pixel
 * column, which draws the same picture with a bounded number of points.
 *
 * <p>The markup has no {@code xmlns} attribute: inside HTML5 the parser supplies the SVG
 * namespace, and the page then holds no URL at all.
 */
public final class SvgChart {
    static final int MARKERS_UP_TO = 60;
    /** Matplotlib's "tab10" colours, distinct for the first ten series. */
    private static final String[] PALETTE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int BOTTOM = 48;
    private static final int LEGEND_ROW = 18;
    private static final double CHAR_WIDTH = 7; // of the 12 px sans-serif legend text, for laying it out

    private record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    public SvgChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = Objects.requireNonNull(title, "title");
        this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
        this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
        this.logY = logY;
    }

    /** Adds a series; the arrays are copied and must be of equal length. */
    public SvgChart add(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "name");
        if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    public String title() {
        return title;
    }

    /** The SVG element, {@code width} × {@code height} user units (it scales with its box). */
    public String toSvg(int width, int height) {
        StringBuilder b = new StringBuilder(4096);
        b.append(String.format(Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"%s\">\n",
                width, height, width, height, Html.escape(title)));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", LEFT, Html.escape(title)));
        int top = 28 + legend(b, width) + 10;
        int x0 = LEFT;
        int x1 = width - RIGHT;
        int y0 = top;
        int y1 = height - BOTTOM;

        double[] range = dataRange();
        if (range == null) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", x0, y0, x1 - x0, y1 - y0));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n", (x0 + x1) / 2, (y0 + y1) / 2));
            return b.append("</svg>").toString();
        }
        // x is a step count: start at 0 so the charts of one run line up
        NiceScale.Axis xa = NiceScale.linear(Math.min(0, range[0]), range[1], 8);
        NiceScale.Axis ya = logY ? NiceScale.log(range[2], range[3]) : NiceScale.linear(range[2], range[3], 6);
        Plot p = new Plot(xa, ya, x0, x1, y0, y1);

        for (int i = 0; i < ya.ticks().length; i++) {
            double y = p.py(ya.ticks()[i]);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", x0, y, x1, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#333\">%s</text>\n",
                    x0 - 6, y, Html.escape(ya.labels().get(i))));
        }
        for (int i = 0; i < xa.ticks().length; i++) {
            double x = p.px(xa.ticks()[i]);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>", x, y0, x, y1));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n",
                    x, y1 + 16, Html.escape(xa.labels().get(i))));
        }
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", x0, y0, x1 - x0, y1 - y0));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n", (x0 + x1) / 2, height - 10, Html.escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n",
                (y0 + y1) / 2, Html.escape(yLabel + (logY ? " (log scale)" : ""))));

        for (int s = 0; s < series.size(); s++) drawSeries(b, series.get(s), PALETTE[s % PALETTE.length], p);
        return b.append("</svg>").toString();
    }

    /** Lays the legend out in rows under the title; returns the height it takes. */
    private int legend(StringBuilder b, int width) {
        if (series.isEmpty()) return 0;
        double x = LEFT;
        int row = 0;
        for (int s = 0; s < series.size(); s++) {
            String name = series.get(s).name();
            double w = 28 + CHAR_WIDTH * name.length();
            if (x + w > width - RIGHT && x > LEFT) {
                x = LEFT;
                row++;
            }
            double y = 28 + row * LEGEND_ROW + 8;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>",
                    x, y, x + 18, y, PALETTE[s % PALETTE.length]));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"middle\" fill=\"#333\">%s</text>\n", x + 22, y, Html.escape(name)));
            x += w + 8;
        }
        return (row + 1) * LEGEND_ROW;
    }

    /** {xmin, xmax, ymin, ymax} over the drawable points of all series, or null when there is none. */
    private double[] dataRange() {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        boolean any = false;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!drawable(s.x()[i], s.y()[i])) continue;
                any = true;
                r[0] = Math.min(r[0], s.x()[i]);
                r[1] = Math.max(r[1], s.x()[i]);
                r[2] = Math.min(r[2], s.y()[i]);
                r[3] = Math.max(r[3], s.y()[i]);
            }
        }
        return any ? r : null;
    }

    private boolean drawable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /** Pixel positions of the plot area. */
    private record Plot(NiceScale.Axis xa, NiceScale.Axis ya, int x0, int x1, int y0, int y1) {
        double px(double x) {
            return x0 + xa.fraction(x) * (x1 - x0);
        }

        double py(double y) {
            return y1 - ya.fraction(y) * (y1 - y0);
        }
    }

    private void drawSeries(StringBuilder b, Series s, String color, Plot p) {
        List<List<double[]>> segments = new ArrayList<>();
        List<double[]> current = null;
        int drawableCount = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (!drawable(s.x()[i], s.y()[i])) {
                current = null;
                continue;
            }
            if (current == null) segments.add(current = new ArrayList<>());
            current.add(new double[] {p.px(s.x()[i]), p.py(s.y()[i])});
            drawableCount++;
        }
        StringBuilder d = new StringBuilder();
        StringBuilder markers = new StringBuilder();
        for (List<double[]> seg : segments) {
            List<double[]> pts = seg.size() > 2 * (p.x1() - p.x0()) ? perPixelColumn(seg) : seg;
            if (pts.size() > 1) {
                for (int i = 0; i < pts.size(); i++) {
                    d.append(i == 0 ? 'M' : 'L').append(String.format(Locale.ROOT, "%.1f %.1f", pts.get(i)[0], pts.get(i)[1]));
                }
            }
            if (drawableCount <= MARKERS_UP_TO || pts.size() == 1) {
                for (double[] pt : pts) {
                    markers.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", pt[0], pt[1], color));
                }
            }
        }
        if (!d.isEmpty()) {
            b.append("<path fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.8\" stroke-linejoin=\"round\" d=\"").append(d).append("\"/>\n");
        }
        if (!markers.isEmpty()) b.append(markers).append('\n');
    }

    /** The first, lowest, highest and last point of each pixel column, in their original order. */
    private static List<double[]> perPixelColumn(List<double[]> seg) {
        List<double[]> out = new ArrayList<>();
        int start = 0;
        while (start < seg.size()) {
            long column = Math.round(seg.get(start)[0]);
            int end = start;
            int lo = start;
            int hi = start;
            while (end < seg.size() && Math.round(seg.get(end)[0]) == column) {
                if (seg.get(end)[1] < seg.get(lo)[1]) lo = end;
                if (seg.get(end)[1] > seg.get(hi)[1]) hi = end;
                end++;
            }
            for (int i : new TreeSet<>(List.of(start, lo, hi, end - 1))) out.add(seg.get(i));
            start = end;
        }
        return out;
    }
}
