package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** The d attribute of each path, in order. */
    private static List<String> paths(String svg) {
        Matcher m = Pattern.compile("<path [^>]* d=\"([^\"]*)\"").matcher(svg);
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void linearTicksAreRoundAndCoverTheData() {
        NiceScale.Axis steps = NiceScale.linear(0, 4690, 8);
        assertEquals(0, steps.min());
        assertEquals(5000, steps.max());
        assertEquals(List.of("0", "500", "1000", "1500", "2000", "2500", "3000", "3500", "4000", "4500", "5000"), steps.labels());

        NiceScale.Axis acc = NiceScale.linear(0.05, 0.93, 6);
        assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1.0"), acc.labels());
        assertEquals(0.5, acc.fraction(0.5), 1e-12);

        assertEquals(List.of("0", "10k", "20k", "30k", "40k", "50k"), NiceScale.linear(0, 48_000, 6).labels());
        assertEquals(List.of("-0.4", "-0.2", "0", "0.2", "0.4", "0.6"), NiceScale.linear(-0.4, 0.45, 5).labels());
        assertEquals("0.25", NiceScale.linearLabel(0.25, 0.25, 1));
        assertEquals("7.5", NiceScale.linearLabel(7.5, 2.5, 10));
        assertEquals("2.5M", NiceScale.linearLabel(2.5e6, 5e5, 5e6));
        NiceScale.Axis flat = NiceScale.linear(3, 3, 6);
        assertTrue(flat.min() < 3 && flat.max() > 3, "a constant series gets a range around it");
    }

    @Test
    void logTicksSitOnDecadesWithSubdivisionsOnlyWhenFew() {
        NiceScale.Axis lr = NiceScale.log(1.2e-5, 0.09);
        assertEquals(List.of("1e-5", "1e-4", "1e-3", "1e-2", "1e-1"), lr.labels(), "one label style per axis");
        assertEquals(List.of("0.001", "0.002", "0.005", "0.01"), NiceScale.log(0.0015, 0.008).labels());
        assertEquals(0.5, lr.fraction(1e-3), 1e-12);

        assertArrayEquals(new double[] {1e-4, 2e-4, 5e-4, 1e-3}, NiceScale.log(2e-4, 9e-4).ticks(), 1e-18);
        NiceScale.Axis constant = NiceScale.log(1e-3, 1e-3);
        assertEquals(1e-4, constant.min(), 1e-18);
        assertEquals(1e-2, constant.max(), 1e-18);

        NiceScale.Axis wide = NiceScale.log(1e-12, 0.5);
        assertEquals(List.of("1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "1e-2", "1e0"), wide.labels());
        assertEquals("2.5e-5", NiceScale.scientific(2.5e-5));
        assertEquals("1e5", NiceScale.scientific(1e5));
    }

    @Test
    void drawsOneSvgWithTitleLegendAxesAndALinePerSeries() {
        SvgChart chart = new SvgChart("Loss <train & val>", "step", "loss", false)
                .add("train_loss", new double[] {0, 100, 200}, new double[] {2.3, 1.0, 0.5})
                .add("val_loss", new double[] {0, 100, 200}, new double[] {2.2, 1.1, 0.7});
        String svg = chart.toSvg(600, 340);
        assertEquals(1, count(svg, "<svg"));
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
        assertTrue(svg.contains("Loss &lt;train &amp; val&gt;"), "title escaped");
        assertTrue(svg.contains(">train_loss<") && svg.contains(">val_loss<"), "legend");
        assertTrue(svg.contains(">step<") && svg.contains(">loss<"), "axis labels");
        assertEquals(2, paths(svg).size());
        assertEquals(6, count(svg, "<circle"), "short series get a marker per point");
        assertFalse(svg.contains("http"), "no namespace URL: the HTML parser supplies it");
    }

    @Test
    void nanAndNonPositiveOnALogAxisBreakTheLine() {
        double[] x = {0, 1, 2, 3, 4, 5, 6};
        String linear = new SvgChart("c", "step", "y", false).add("s", x, new double[] {1, 2, Double.NaN, 3, 4, Double.POSITIVE_INFINITY, 5}).toSvg(600, 340);
        String d = paths(linear).getFirst();
        assertEquals(2, count(d, "M"), "two drawn stretches: " + d);
        assertEquals(5, count(linear, "<circle"), "every drawable point, the isolated last one included");

        String log = new SvgChart("lr", "step", "lr", true).add("lr", x, new double[] {0, 1e-4, 1e-3, 0, 1e-3, 1e-4, -1}).toSvg(600, 340);
        assertTrue(log.contains("(log scale)"));
        assertEquals(2, count(paths(log).getFirst(), "M"));
    }

    @Test
    void aLongSeriesIsReducedToAFewPointsPerPixelColumn() {
        int n = 200_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.exp(-i / 50_000.0) + 0.1 * Math.sin(i);
        }
        String svg = new SvgChart("Loss", "step", "loss", false).add("train", x, y).toSvg(600, 340);
        String d = paths(svg).getFirst();
        int points = count(d, "L") + count(d, "M");
        assertTrue(points <= 4 * 600 && points > 600, "points drawn: " + points);
        assertEquals(0, count(svg, "<circle"));
        assertTrue(svg.length() < 100_000, "svg size " + svg.length());
    }

    @Test
    void aChartWithNothingDrawableSaysSo() {
        assertTrue(new SvgChart("Empty", "step", "y", false).toSvg(600, 340).contains("no data"));
        assertTrue(new SvgChart("NaN", "step", "y", true).add("s", new double[] {1}, new double[] {Double.NaN}).toSvg(600, 340).contains("no data"));
        assertThrows(IllegalArgumentException.class, () -> new SvgChart("c", "x", "y", false).add("s", new double[2], new double[3]));
    }
}
