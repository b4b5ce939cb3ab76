package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    /** A clock the test moves by hand. */
    private static final class FakeClock {
        long nanos = 5_000_000_000L;

        void advanceMillis(long ms) {
            nanos += ms * 1_000_000L;
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final FakeClock clock = new FakeClock();

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> shown(double loss, double lr) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("lr", lr);
        return m;
    }

    @Test
    void withoutATerminalALongEpochPrintsTenPlainLines() {
        ProgressBar bar = new ProgressBar(out, false, () -> clock.nanos);
        bar.start("epoch 1/3", 100_000);
        for (int i = 0; i < 100_000; i++) {
            clock.advanceMillis(2);
            bar.step(128, shown(1.0, 1e-3));
        }
        bar.finish(shown(0.5, 1e-3));
        String text = output();
        assertFalse(text.contains("\r"), "no carriage returns in a log file");
        String[] lines = text.split("\n");
        assertEquals(10, lines.length, text); // 10%, 20%, ..., 90% and the closing line
        assertTrue(lines[0].startsWith("epoch 1/3  10% 10000/100000 | 500.0 it/s 64000 img/s | ETA 3:00 | loss 1.000 lr 1.000e-03"), lines[0]);
        assertEquals("epoch 1/3 100% 100000/100000 | 500.0 it/s 64000 img/s | 3:20 | loss 0.5000 lr 1.000e-03", lines[9]);
    }

    @Test
    void theClosingLinesRatesLeaveOutTheEvaluationAfterTheLastStep() {
        ProgressBar bar = new ProgressBar(out, false, () -> clock.nanos);
        bar.start("epoch 1/2", 25);
        for (int i = 0; i < 25; i++) {
            clock.advanceMillis(500);
            bar.step(16, Map.of());
        }
        clock.advanceMillis(35_000); // validation
        bar.finish(Map.of("val_acc", 0.5));
        String[] lines = output().split("\n");
        assertEquals("epoch 1/2 100% 25/25 | 2.0 it/s 32 img/s | 0:48 (0:35 of it evaluating) | val_acc 0.5000", lines[lines.length - 1]);
    }

    @Test
    void withoutATerminalAndATotalItPrintsEveryHalfMinute() {
        ProgressBar bar = new ProgressBar(out, false, () -> clock.nanos);
        bar.start("epoch 1", 0);
        for (int i = 0; i < 300; i++) {
            clock.advanceMillis(1000);
            bar.step(10, Map.of());
        }
        bar.finish(Map.of());
        String[] lines = output().split("\n");
        assertEquals(300 / ProgressBar.PLAIN_INTERVAL_SECONDS + 1, lines.length, output());
        assertEquals("epoch 1 30 steps | 1.0 it/s 10 img/s", lines[0]);
        assertEquals("epoch 1 300 steps | 1.0 it/s 10 img/s | 5:00", lines[lines.length - 1]);
    }

    @Test
    void onATerminalItRedrawsInPlaceAtMostTenTimesASecondAndEndsTheLine() {
        ProgressBar bar = new ProgressBar(out, true, () -> clock.nanos);
        bar.start("epoch 2/3", 50);
        for (int i = 0; i < 50; i++) {
            clock.advanceMillis(20);
            bar.step(64, shown(0.25, 0.01));
        }
        bar.finish(shown(0.25, 0.01));
        String text = output();
        long redraws = text.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 10 && redraws <= 12, "one redraw per 100 ms over 1 s, plus the last: " + redraws);
        assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line break, at the end");
        String last = text.substring(text.lastIndexOf('\r') + 1).stripTrailing();
        assertEquals("epoch 2/3 [####################] 100% 50/50 | 50.0 it/s 3200 img/s | 0:01 | loss 0.2500 lr 0.01000", last);
        assertTrue(text.contains("[####################]"), text);
    }

    @Test
    void aShorterRedrawBlanksTheRestOfTheLongerOne() {
        ProgressBar bar = new ProgressBar(out, true, () -> clock.nanos);
        bar.start("e", 4);
        clock.advanceMillis(200);
        bar.step(1, Map.of("a_long_metric_name", 1.0));
        clock.advanceMillis(200);
        bar.step(1, Map.of());
        String[] draws = output().split("\r");
        assertEquals(draws[1].length(), draws[2].length(), "padded with spaces over the old text");
        assertTrue(draws[2].endsWith("  "), draws[2]);
    }

    @Test
    void rateAndTimeLeftFollowTheClock() {
        ProgressBar bar = new ProgressBar(out, false, () -> clock.nanos);
        bar.start("epoch", 1000);
        for (int i = 0; i < 250; i++) {
            clock.advanceMillis(40); // 25 it/s
            bar.step(32, Map.of());
        }
        // 250 of 1000 done in 10 s: 750 left at 25 it/s is 30 s
        assertEquals("epoch  25% 250/1000 | 25.0 it/s 800 img/s | ETA 0:30", bar.line(clock.nanos, Map.of(), false));
        assertEquals("1:01:01", ProgressBar.duration(3661));
        assertEquals("0:59", ProgressBar.duration(59.4));
    }

    @Test
    void stepsOutsideAnEpochAreRefused() {
        ProgressBar bar = new ProgressBar(out, false, () -> clock.nanos);
        assertThrows(IllegalStateException.class, () -> bar.step(1, Map.of()));
        assertThrows(IllegalStateException.class, () -> bar.finish(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> bar.start("x", -1));
    }
}
