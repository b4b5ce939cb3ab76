package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** Everything a page could fetch from elsewhere. */
    static void assertSelfContained(String html) {
        for (String outside : List.of("http://", "https://", "//cdn", "<script", "<link", "url(", "@import", "<iframe")) {
            assertFalse(html.toLowerCase().contains(outside), "the page references " + outside);
        }
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        while (src.find()) assertTrue(src.group(1).startsWith("data:image/png;base64,"), src.group(1));
    }

    @Test
    void aPageWithEverySectionIsSelfContainedWithOneSvgPerChart() throws IOException {
        float[][] images = SampleRun.denoisingImages();
        HtmlReport report = HtmlReport.builder("Run <demo>")
                .subtitle("runs/demo")
                .chart("Loss", "step", "loss", false)
                .series("Loss", "train_loss", new double[] {0, 1, 2}, new double[] {2, 1, 0.5})
                .series("Loss", "val_loss", new double[] {0, 1, 2}, new double[] {2.1, 1.2, 0.7})
                .series("Accuracy", "val_acc", new double[] {0, 1, 2}, new double[] {0.5, 0.7, 0.8})
                .chart("Learning rate", "step", "lr", true)
                .series("Learning rate", "lr", new double[] {0, 1, 2}, new double[] {1e-4, 1e-3, 1e-5})
                .finalMetrics(Map.of("val_acc", 0.8))
                .config(Map.of("model", "small-cnn", "note", "<script>alert(1)</script>"))
                .imageGrid("Denoising", List.of("input", "corrupted", "reconstructed"), images, 1, 28, 28)
                .build();
        String html = report.html();
        assertSelfContained(html);
        assertEquals(3, count(html, "<svg"));
        assertEquals(3, count(html, "</svg>"));
        assertTrue(html.contains("<title>Run &lt;demo&gt;</title>"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "config values are escaped");
        assertTrue(html.contains(">0.8<"), "final metrics without padding zeros");
        assertEquals(24, count(html, "<img "));
        assertTrue(html.indexOf("Final metrics") < html.indexOf("<svg") && html.indexOf("<svg") < html.indexOf("Denoising")
                && html.indexOf("Denoising") < html.indexOf("Configuration"), "sections in order");

        Path file = dir.resolve("report.html");
        report.write(file);
        assertEquals(html, Files.readString(file));
    }

    @Test
    void imagesAreInlinePngsOfTheGivenPixels() throws IOException {
        float[] grey = new float[2 * 3];
        grey[0] = 0.5f;
        grey[1] = 1.5f; // clamped
        grey[2] = Float.NaN; // black
        float[] rgb = new float[3 * 2 * 3];
        rgb[0] = 1f; // red of pixel (0,0)
        rgb[6 + 1] = 1f; // green of pixel (1,0)
        String html = HtmlReport.builder("t").imageGrid("g", List.of("a", "b"), new float[][] {grey, grey}, 1, 2, 3)
                .imageGrid("c", List.of("rgb"), new float[][] {rgb}, 3, 2, 3).build().html();
        Matcher src = Pattern.compile("src=\"data:image/png;base64,([^\"]*)\"").matcher(html);
        assertTrue(src.find());
        BufferedImage g = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.group(1))));
        assertEquals(3, g.getWidth());
        assertEquals(2, g.getHeight());
        assertEquals(128, g.getRaster().getSample(0, 0, 0));
        assertEquals(255, g.getRaster().getSample(1, 0, 0));
        assertEquals(0, g.getRaster().getSample(2, 0, 0));
        src.find();
        assertTrue(src.find());
        BufferedImage c = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.group(1))));
        assertEquals(0xFF0000, c.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, c.getRGB(1, 0) & 0xFFFFFF);
        assertTrue(html.contains("width=\"66\" height=\"44\""), "tiny images are scaled up by a whole factor");
    }

    @Test
    void badImageGridsAreRefused() {
        HtmlReport.Builder b = HtmlReport.builder("t");
        float[] img = new float[4];
        assertThrows(IllegalArgumentException.class, () -> b.imageGrid("g", List.of("a", "b"), new float[][] {img}, 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> b.imageGrid("g", List.of("a"), new float[][] {img}, 2, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> b.imageGrid("g", List.of("a"), new float[][] {img}, 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> b.imageGrid("g", List.of(), new float[][] {}, 1, 2, 2));
    }
}
