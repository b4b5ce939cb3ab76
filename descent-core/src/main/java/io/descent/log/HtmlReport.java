package io.descent.log;

import io.descent.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's {@code report.html}: one self-contained page (no script, stylesheet, font or image
 * fetched from anywhere; charts are inline {@link SvgChart} SVG, images inline PNG data URIs),
 * so it opens from a copied run folder, offline, years later. It shows, in this order: the
 * final metrics, the charts (learning curves, schedules, gradient norms, ...), image grids
 * (an autoencoder's input / corrupted / reconstructed rows) and the run's configuration.
 *
 * <p>Built with {@link #builder}; {@link #write} replaces the file atomically, so a browser
 * refreshing during training never sees half a page.
 */
public final class HtmlReport {
    static final int CHART_WIDTH = 600;
    static final int CHART_HEIGHT = 340;
    /** Images are shown at least this many CSS pixels wide, scaled up by whole factors. */
    private static final int MIN_IMAGE_PIXELS = 64;

    private final String html;

    private HtmlReport(String html) {
        this.html = html;
    }

    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** The page. */
    public String html() {
        return html;
    }

    /** Writes the page to {@code file} atomically, UTF-8. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, html.getBytes(StandardCharsets.UTF_8));
    }

    private record ImageGrid(String title, List<String> rowLabels, List<String> dataUris, int columns, int scale, int w, int h) {}

    /** Collects the sections of a report. Not thread-safe. */
    public static final class Builder {
        private final String title;
        private String subtitle = "";
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, SvgChart> charts = new LinkedHashMap<>();
        private final Map<String, Double> finalMetrics = new LinkedHashMap<>();
        private final List<ImageGrid> grids = new ArrayList<>();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /** A line under the title, e.g. the run folder and when the page was written. */
        public Builder subtitle(String text) {
            this.subtitle = Objects.requireNonNull(text, "subtitle");
            return this;
        }

        /** Configuration entries, shown as a key/value table in the given order. */
        public Builder config(Map<String, String> entries) {
            config.putAll(entries);
            return this;
        }

        /**
         * Declares a chart, which fixes its axis labels, whether its y axis is logarithmic and
         * its place on the page (charts appear in the order they are first named). Declaring an
         * existing chart again does nothing.
         */
        public Builder chart(String chart, String xLabel, String yLabel, boolean logY) {
            charts.putIfAbsent(chart, new SvgChart(chart, xLabel, yLabel, logY));
            return this;
        }

        /** Adds a line to {@code chart}; a chart not declared yet is a linear chart over "step". */
        public Builder series(String chart, String name, double[] x, double[] y) {
            chart(chart, "step", chart, false);
            charts.get(chart).add(name, x, y);
            return this;
        }

        /** Entries of the final metrics table, in the given order. */
        public Builder finalMetrics(Map<String, ? extends Number> metrics) {
            metrics.forEach((k, v) -> finalMetrics.put(k, v.doubleValue()));
            return this;
        }

        /**
         * A grid of images: one row per label, the images in row-major order (all of row 0,
         * then row 1, ...), so their count must be a multiple of the number of rows. Each image
         * is {@code [c,h,w]} floats in {@code [0,1]}, {@code c} 1 or 3.
         */
        public Builder imageGrid(String title, List<String> rowLabels, float[][] images, int c, int h, int w) {
            Objects.requireNonNull(title, "title");
            if (rowLabels.isEmpty() || images.length == 0 || images.length % rowLabels.size() != 0) {
                throw new IllegalArgumentException("image grid " + title + ": " + images.length + " images do not fill " + rowLabels.size() + " rows");
            }
            List<String> uris = new ArrayList<>(images.length);
            for (float[] img : images) uris.add(PngDataUri.of(img, c, h, w));
            int scale = Math.max(1, (MIN_IMAGE_PIXELS + Math.max(h, w) - 1) / Math.max(h, w));
            grids.add(new ImageGrid(title, List.copyOf(rowLabels), uris, images.length / rowLabels.size(), scale, w, h));
            return this;
        }

        public HtmlReport build() {
            StringBuilder b = new StringBuilder(1 << 16);
            b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<title>").append(Html.escape(title)).append("</title>\n")
                    .append(STYLE)
                    .append("</head>\n<body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
            if (!subtitle.isEmpty()) b.append("<p class=\"subtitle\">").append(Html.escape(subtitle)).append("</p>\n");
            if (!finalMetrics.isEmpty()) {
                b.append("<section id=\"metrics\">\n<h2>Final metrics</h2>\n<table>\n");
                finalMetrics.forEach((k, v) -> row(b, k, Formats.compact(v, 6), "num"));
                b.append("</table>\n</section>\n");
            }
            if (!charts.isEmpty()) {
                b.append("<section id=\"charts\">\n<h2>Training curves</h2>\n<div class=\"charts\">\n");
                for (SvgChart c : charts.values()) b.append(c.toSvg(CHART_WIDTH, CHART_HEIGHT)).append('\n');
                b.append("</div>\n</section>\n");
            }
            for (ImageGrid g : grids) images(b, g);
            if (!config.isEmpty()) {
                b.append("<section id=\"config\">\n<h2>Configuration</h2>\n<table>\n");
                config.forEach((k, v) -> row(b, k, v, "text"));
                b.append("</table>\n</section>\n");
            }
            b.append("</body>\n</html>\n");
            return new HtmlReport(b.toString());
        }

        private static void row(StringBuilder b, String key, String value, String valueClass) {
            b.append("<tr><th>").append(Html.escape(key)).append("</th><td class=\"").append(valueClass).append("\">")
                    .append(Html.escape(value)).append("</td></tr>\n");
        }

        private static void images(StringBuilder b, ImageGrid g) {
            b.append("<section class=\"images\">\n<h2>").append(Html.escape(g.title())).append("</h2>\n<table class=\"grid\">\n");
            for (int r = 0; r < g.rowLabels().size(); r++) {
                b.append("<tr><th>").append(Html.escape(g.rowLabels().get(r))).append("</th>");
                for (int col = 0; col < g.columns(); col++) {
                    b.append("<td><img alt=\"\" width=\"").append(g.w() * g.scale()).append("\" height=\"").append(g.h() * g.scale())
                            .append("\" src=\"").append(g.dataUris().get(r * g.columns() + col)).append("\"></td>");
                }
                b.append("</tr>\n");
            }
            b.append("</table>\n</section>\n");
        }
    }

    private static final String STYLE = """
            <style>
            body { font-family: sans-serif; color: #222; margin: 24px auto; max-width: 1260px; padding: 0 16px; }
            h1 { font-size: 24px; margin-bottom: 4px; }
            h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
            .subtitle { color: #666; margin-top: 0; }
            table { border-collapse: collapse; }
            th, td { padding: 3px 12px; border-bottom: 1px solid #eee; text-align: left; }
            th { font-weight: normal; color: #555; }
            td.num { font-family: monospace; text-align: right; }
            td.text { font-family: monospace; }
            .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
            svg.chart { width: 100%; height: auto; border: 1px solid #eee; }
            table.grid td { padding: 2px; border: none; }
            table.grid img { image-rendering: pixelated; display: block; }
            </style>
            """;
}
