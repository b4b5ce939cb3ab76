package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrFindCommandTest {
    @Test
    void sweepsWritesTheCurveAndSuggests(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("lr-find", "--steps", "30", "--batch", "32", "--end-lr", "10", "--out", dir.resolve("cnn").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("suggested lr"), r.out());
        List<String> csv = Files.readAllLines(dir.resolve("cnn.csv"));
        assertTrue(csv.size() > 5, "a header and the sweep's rows: " + csv.size());
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        assertEquals(1e-6, first, 1e-9, "the sweep starts at --start-lr: " + csv.get(1));
        assertTrue(Files.size(dir.resolve("cnn.png")) > 1000);
    }

    @Test
    void everyTaskSweeps(@TempDir Path dir) {
        Cli.Run ae = Cli.run("lr-find", "--task", "denoise", "--model", "conv-autoencoder", "--steps", "5", "--batch", "16", "--out", dir.resolve("ae").toString());
        assertEquals(0, ae.code(), ae.err());
        assertTrue(Files.exists(dir.resolve("ae.csv")));
        Cli.Run det = Cli.run("lr-find", "--task", "detect", "--image-size", "32", "--steps", "4", "--batch", "4", "--out", dir.resolve("det").toString());
        assertEquals(0, det.code(), det.err());
        assertTrue(Files.exists(dir.resolve("det.csv")));
        Cli.Run bad = Cli.run("lr-find", "--task", "segment", "--out", dir.resolve("x").toString());
        assertEquals("descent: --task must be classify, reconstruct, denoise or detect, got 'segment'", bad.err().strip());
    }
}
