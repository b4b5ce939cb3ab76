package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.optim.schedule.Cosine;
import io.descent.optim.schedule.OneCycle;
import io.descent.optim.schedule.Warmup;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleCommandTest {
    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        double value(int row, int col) {
            return Double.parseDouble(lines().get(row + 1).split(",")[col]);
        }
    }


    @Test
    void cosineWithWarmupPrintsOneRowPerUpdate() {
        Cli.Run r = Cli.run("schedule", "cosine", "--steps", "100", "--lr", "0.1", "--warmup", "10", "--eta-min", "1e-4");
        assertEquals(0, r.code(), r.err());
        assertEquals("step,lr", r.lines().get(0));
        assertEquals(101, r.lines().size());
        assertEquals("0,0.001", r.lines().get(1));
        var expected = Warmup.linear(new Cosine(0.1, 90, 1e-4), 10, 0.01);
        for (int t = 0; t < 100; t++) assertEquals(expected.at(t), r.value(t, 1), "row " + t);
        assertEquals(0.1, r.value(10, 1));
        assertTrue(r.value(99, 1) < 2e-4, "T_max defaults to the updates after the warm-up: the last row is near eta_min, reached at update 100 as in PyTorch");
    }

    @Test
    void onecycleAndCyclicPrintMomentum() {
        Cli.Run r = Cli.run("schedule", "onecycle", "--steps", "50", "--lr", "0.4", "--pct-start", "0.2");
        assertEquals(0, r.code(), r.err());
        assertEquals("step,lr,momentum", r.lines().get(0));
        OneCycle oc = new OneCycle(0.4, 50, 0.2, OneCycle.Anneal.COS, 25, 1e4, false);
        for (int t = 0; t < 50; t++) {
            assertEquals(oc.at(t), r.value(t, 1));
            assertEquals(oc.momentum(0.85, 0.95).at(t), r.value(t, 2));
        }
        Cli.Run c = Cli.run("schedule", "cyclic", "--steps", "40", "--lr", "0.01", "--max-lr", "0.1", "--step-size-up", "10", "--mode", "triangular2");
        assertEquals(0, c.code(), c.err());
        assertEquals("step,lr,momentum", c.lines().get(0));
        assertEquals(0.1, c.value(10, 1), 1e-15);
        assertEquals(0.8, c.value(10, 2), 1e-15);
        assertEquals(0.055, c.value(30, 1), 1e-15, "triangular2 halves the second cycle");
        Cli.Run no = Cli.run("schedule", "onecycle", "--steps", "20", "--lr", "0.4", "--no-cycle-momentum");
        assertEquals("step,lr", no.lines().get(0));
        Cli.Run lecture = Cli.run("schedule", "onecycle", "--steps", "20", "--lr", "0.4", "--lecture");
        assertEquals(0, lecture.code(), lecture.err());
        assertEquals(0.4 / 25, lecture.value(0, 1), 1e-15);
    }

    @Test
    void everyNamedScheduleRuns() {
        String[][] cases = {
                {"constant"}, {"constant", "--factor", "0.5"}, {"step", "--step-size", "5"}, {"multistep", "--milestones", "5,10", "--gamma", "0.5"},
                {"exponential", "--gamma", "0.9"}, {"exponential", "--decay-percent", "5"}, {"linear", "--end-factor", "0.1"},
                {"polynomial", "--power", "2"}, {"cosine"}, {"inverse-sqrt", "--warmup", "4"}, {"cyclic", "--max-lr", "1", "--step-size-up", "3"},
                {"cosine-restarts", "--t-0", "5", "--t-mult", "2"}, {"onecycle", "--three-phase", "--anneal-strategy", "linear"}};
        for (String[] c : cases) {
            String[] args = new String[c.length + 5];
            args[0] = "schedule";
            System.arraycopy(c, 0, args, 1, c.length);
            System.arraycopy(new String[] {"--steps", "20", "--lr", "0.1"}, 0, args, c.length + 1, 4);
            Cli.Run r = Cli.run(args);
            assertEquals(0, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(21, r.lines().size(), String.join(" ", c));
            for (int t = 0; t < 20; t++) assertTrue(r.value(t, 1) >= 0 && Double.isFinite(r.value(t, 1)), String.join(" ", c));
        }
        assertEquals(0.1 * 0.95 * 0.95, Cli.run("schedule", "exponential", "--steps", "3", "--lr", "0.1", "--decay-percent", "5").value(2, 1), 1e-15);
        assertEquals(0.025, Cli.run("schedule", "inverse-sqrt", "--steps", "8", "--lr", "0.1", "--warmup", "4").value(0, 1), 1e-15);
    }

    @Test
    void plotWritesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("lr.png");
        Cli.Run r = Cli.run("schedule", "onecycle", "--steps", "200", "--lr", "0.1", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 800 && img.getHeight() >= 600, img.getWidth() + "x" + img.getHeight());
        assertTrue(r.err().contains("wrote"), r.err());
        assertEquals(201, r.lines().size(), "stdout stays pure CSV");
    }

    @Test
    void badInputIsOneLine() {
        assertError("descent: unknown schedule 'cosin'; choose one of constant, step, multistep, exponential, linear, polynomial, cosine, "
                + "inverse-sqrt, cyclic, cosine-restarts, onecycle", "schedule", "cosin", "--steps", "5", "--lr", "0.1");
        assertError("descent: --steps must be >= 1, got 0", "schedule", "cosine", "--steps", "0", "--lr", "0.1");
        assertError("descent: --lr must be a number >= 0, got -0.1", "schedule", "cosine", "--steps", "5", "--lr", "-0.1");
        assertError("descent: the step schedule needs --step-size", "schedule", "step", "--steps", "5", "--lr", "0.1");
        assertError("descent: --gamma does not apply to the cosine schedule (it takes --eta-min, --t-max)",
                "schedule", "cosine", "--steps", "5", "--lr", "0.1", "--gamma", "0.5");
        assertError("descent: Cosine: T_max must be >= 1, got 0", "schedule", "cosine", "--steps", "5", "--lr", "0.1", "--t-max", "0");
        assertError("descent: Cyclic: mode must be triangular, triangular2 or exp_range, got 'sine'",
                "schedule", "cyclic", "--steps", "5", "--lr", "0.1", "--max-lr", "1", "--mode", "sine");
        assertError("descent: MultiStep: milestones must be increasing, got [10, 5]",
                "schedule", "multistep", "--steps", "5", "--lr", "0.1", "--milestones", "10,5");
        Cli.Run missing = Cli.run("schedule", "cosine", "--steps", "5");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("descent: Missing required option: '--lr=<lr>'"), missing.err());
    }

    private static void assertError(String expected, String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(1, r.code(), r.out());
        assertEquals(expected, r.err().strip());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertTrue(r.out().isEmpty(), "nothing printed before the error: " + r.out());
    }
}
