package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders a run's report in headless Chromium and looks at the pixels: the charts must really
 * be drawn (string checks cannot tell a page that renders from one that does not). Skipped
 * where {@code /usr/bin/chromium} is absent (Debian: {@code apt-get install chromium}). The
 * screenshot is also copied to {@code target/log-report-screenshot.png} for a person to look at.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 2400;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void theReportRendersItsChartsAndImagesInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is absent, so the report cannot be rendered (apt-get install chromium)");
        Path html;
        try (RunDirectory run = SampleRun.log(dir.resolve("runs/demo"))) {
            run.writeReport(run.report("demo: small-cnn on fashion-mnist")
                    .imageGrid("Denoising (input / corrupted / reconstructed)", List.of("input", "corrupted", "reconstructed"),
                            SampleRun.denoisingImages(), 1, 28, 28)
                    .build());
            html = run.file(RunDirectory.REPORT_FILE);
        }
        Path png = dir.resolve("shot.png");
        screenshot(html, png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(WIDTH, img.getWidth());
        assertEquals(HEIGHT, img.getHeight());
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target/log-report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);

        // the first series of every chart is tab10 blue, the second orange: lines were drawn
        int blue = countNear(img, 0x1f77b4);
        int orange = countNear(img, 0xff7f0e);
        assertTrue(blue > 2000, "blue series pixels: " + blue);
        assertTrue(orange > 1000, "orange series pixels: " + orange);
        // the chart area (below the metrics table, two charts a row) is far from blank
        double inked = nonWhiteFraction(img, 0, 300, WIDTH, 1100);
        assertTrue(inked > 0.03, "non-white fraction of the chart area: " + inked);
    }

    private void screenshot(Path html, Path png) throws IOException, InterruptedException {
        Path profile = Files.createDirectory(dir.resolve("chromium-profile"));
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, html.toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s; its output: " + Files.readString(log));
        }
        assertTrue(Files.exists(png), "chromium wrote no screenshot (exit " + p.exitValue() + "): " + Files.readString(log));
    }

    private static int countNear(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                int d = Math.abs(((c >> 16) & 255) - ((rgb >> 16) & 255)) + Math.abs(((c >> 8) & 255) - ((rgb >> 8) & 255)) + Math.abs((c & 255) - (rgb & 255));
                if (d < 60) n++;
            }
        }
        return n;
    }

    private static double nonWhiteFraction(BufferedImage img, int x0, int y0, int x1, int y1) {
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int c = img.getRGB(x, y);
                if (((c >> 16) & 255) < 240 || ((c >> 8) & 255) < 240 || (c & 255) < 240) n++;
            }
        }
        return (double) n / ((long) (x1 - x0) * (y1 - y0));
    }
}
