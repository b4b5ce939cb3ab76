package io.descent.log;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small line chart written as a PNG with {@code java.awt} (headless): one or more panels
 * stacked vertically over a shared x axis (linear or log scale), each with its own y axis,
 * series and optional vertical markers. Enough for learning-rate curves and LR range tests.
 */
public final class LinePlot {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One line: {@code y[i]} over {@code x[i]}; non-finite points break the line. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("LinePlot: series '" + name + "' has " + x.length + " x values and " + y.length + " y values");
        }
    }

    /** A vertical marker line at {@code x}, labelled. */
    public record Marker(String label, double x) {}

    /** A chart area with its y-axis label, its series and markers. */
    public record Panel(String yLabel, List<Series> series, List<Marker> markers) {
        public Panel(String yLabel, Series... series) {
            this(yLabel, List.of(series), List.of());
        }
    }

    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189)};
    private static final int WIDTH = 900, PANEL_HEIGHT = 320, LEFT = 90, RIGHT = 30, TOP = 40, GAP = 50, BOTTOM = 60;

    private LinePlot() {}

    /** Draws the panels and writes {@code file} (PNG); parent folders are created. */
    public static void write(Path file, String title, String xLabel, boolean logX, List<Panel> panels) throws IOException {
        if (panels.isEmpty()) throw new IllegalArgumentException("LinePlot: nothing to draw");
        int height = TOP + panels.size() * PANEL_HEIGHT + (panels.size() - 1) * GAP + BOTTOM;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            centered(g, title, WIDTH / 2, 24);
            double[] xr = range(panels, true, logX);
            for (int p = 0; p < panels.size(); p++) {
                int top = TOP + p * (PANEL_HEIGHT + GAP);
                drawPanel(g, panels.get(p), xr, logX, top, p == panels.size() - 1 ? xLabel : null);
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("LinePlot: no PNG writer available");
    }

    private static void drawPanel(Graphics2D g, Panel panel, double[] xr, boolean logX, int top, String xLabel) {
        int x0 = LEFT, x1 = WIDTH - RIGHT, y0 = top + PANEL_HEIGHT, y1 = top;
        double[] yr = range(List.of(panel), false, false);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : ticks(yr[0], yr[1])) {
            int y = (int) Math.round(map(t, yr, y0, y1, false));
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x0, y, x1, y);
            g.setColor(Color.DARK_GRAY);
            String s = fmt(t);
            g.drawString(s, x0 - 6 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        for (double t : logX ? logTicks(xr) : ticks(xr[0], xr[1])) {
            int x = (int) Math.round(map(t, xr, x0, x1, logX));
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x, y0, x, y1);
            g.setColor(Color.DARK_GRAY);
            centered(g, fmt(t), x, y0 + fm.getAscent() + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        centered(r, panel.yLabel(), -(y0 + y1) / 2, 20);
        r.dispose();
        if (xLabel != null) centered(g, xLabel, (x0 + x1) / 2, y0 + 2 * fm.getHeight() + 6);
        g.setClip(x0, y1, x1 - x0 + 1, y0 - y1 + 1);
        for (Marker m : panel.markers()) {
            if (!Double.isFinite(m.x()) || (logX && m.x() <= 0)) continue;
            int x = (int) Math.round(map(m.x(), xr, x0, x1, logX));
            g.setColor(new Color(214, 39, 40));
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.drawLine(x, y0, x, y1);
            g.drawString(m.label(), Math.min(x + 4, x1 - fm.stringWidth(m.label()) - 4), y1 + fm.getAscent() + 4);
        }
        int k = 0;
        for (Series s : panel.series()) {
            g.setColor(COLORS[k++ % COLORS.length]);
            g.setStroke(new BasicStroke(1.8f));
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < s.x().length; i++) {
                double xv = s.x()[i], yv = s.y()[i];
                if (!Double.isFinite(xv) || !Double.isFinite(yv) || (logX && xv <= 0)) {
                    pen = false;
                    continue;
                }
                double px = map(xv, xr, x0, x1, logX), py = map(yv, yr, y0, y1, false);
                if (pen) path.lineTo(px, py);
                else path.moveTo(px, py);
                pen = true;
            }
            g.draw(path);
        }
        g.setClip(null);
        if (panel.series().size() > 1) {
            int total = 0;
            for (Series s : panel.series()) total += 24 + fm.stringWidth(s.name()) + 16;
            int lx = x1 - total + 16;
            k = 0;
            for (Series s : panel.series()) {
                g.setColor(COLORS[k++ % COLORS.length]);
                g.fillRect(lx, y1 - 10, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(s.name(), lx + 24, y1 - 5);
                lx += 24 + fm.stringWidth(s.name()) + 16;
            }
        }
    }

    private static double map(double v, double[] r, int p0, int p1, boolean log) {
        double a = log ? Math.log10(r[0]) : r[0], b = log ? Math.log10(r[1]) : r[1], t = log ? Math.log10(v) : v;
        return p0 + (t - a) / (b - a) * (p1 - p0);
    }

    /** Finite min and max over the panels' x (or y) values, padded when flat. */
    private static double[] range(List<Panel> panels, boolean x, boolean log) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (Series s : p.series()) {
                double[] v = x ? s.x() : s.y();
                for (double d : v) {
                    if (!Double.isFinite(d) || (log && d <= 0)) continue;
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        if (lo > hi) return log ? new double[] {1, 10} : new double[] {0, 1};
        if (log) return lo == hi ? new double[] {lo / 2, hi * 2} : new double[] {lo, hi};
        double pad = hi > lo ? (x ? 0 : 0.05 * (hi - lo)) : Math.max(Math.abs(lo) * 0.1, 1e-12);
        return new double[] {lo - pad, hi + pad};
    }

    /** About five round ticks in [lo, hi]. */
    private static List<Double> ticks(double lo, double hi) {
        double span = hi - lo, raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), n = raw / mag;
        double step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        return t;
    }

    /** Powers of ten in the range (or the ends, when the range spans less than a decade). */
    private static List<Double> logTicks(double[] r) {
        List<Double> t = new ArrayList<>();
        for (int e = (int) Math.ceil(Math.log10(r[0]) - 1e-9); e <= Math.floor(Math.log10(r[1]) + 1e-9); e++) t.add(Math.pow(10, e));
        if (t.size() < 2) return List.of(r[0], r[1]);
        return t;
    }

    private static String fmt(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-3 || a >= 1e4) return String.format(Locale.ROOT, "%.1e", v);
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains(".") ? s.replaceAll("\\.?0+$", "") : s;
    }

    private static void centered(Graphics2D g, String s, int x, int y) {
        g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y);
    }
}
