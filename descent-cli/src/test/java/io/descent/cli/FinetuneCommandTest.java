package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Safetensors;
import io.descent.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinetuneCommandTest {
    /** Pretrains a small CNN briefly, then transfers it to two classes with each strategy. */
    @Test
    void everyStrategyRunsFromARunsBestWeights(@TempDir Path dir) throws Exception {
        Cli.Run pre = Cli.run("train", "--max-steps", "6", "--batch", "32", "--runs-dir", dir.toString(), "--run", "pre");
        assertEquals(0, pre.code(), pre.err());
        Path weights = dir.resolve("pre").resolve("best.safetensors");
        Map<String, Tensor> pretrained = Safetensors.read(weights);
        for (String strategy : new String[] {"features", "finetune", "discriminative", "gradual"}) {
            Cli.Run r = Cli.run("finetune", "--model", "small-cnn", "--weights", weights.toString(), "--strategy", strategy,
                    "--classes", "0,1", "--shots", "8", "--epochs", "2", "--batch", "8", "--runs-dir", dir.toString(), "--run", strategy);
            assertEquals(0, r.code(), strategy + ": " + r.err());
            assertTrue(r.out().contains("val_acc"), r.out());
            Path run = dir.resolve(strategy);
            assertTrue(Files.exists(run.resolve("metrics.csv")) && Files.exists(run.resolve("config.json")), strategy);
            Map<String, Tensor> after = Safetensors.read(run.resolve("model.safetensors"));
            assertArrayEquals(new int[] {2, 128}, after.get("9.weight").shape(), strategy);
            if (!strategy.equals("discriminative")) {
                // the first conv is frozen in features and finetune, and still frozen after 2 gradual epochs
                assertArrayEquals(pretrained.get("0.weight").toArray(), after.get("0.weight").toArray(), 0f, strategy + " changed a frozen layer");
            }
        }
        Cli.Run f = Cli.run("finetune", "--model", "small-cnn", "--weights", weights.toString(), "--strategy", "features",
                "--classes", "0,1", "--shots", "8", "--epochs", "2", "--runs-dir", dir.toString(), "--run", "speed");
        assertTrue(f.out().contains("feature cache: 16 x 128 train"), f.out());
    }

    @Test
    void badStrategyIsAOneLineError(@TempDir Path dir) {
        Cli.Run r = Cli.run("finetune", "--model", "small-cnn", "--weights", "x.safetensors", "--strategy", "all", "--runs-dir", dir.toString());
        assertEquals(1, r.code());
        assertEquals("descent: --strategy must be features, finetune, discriminative or gradual, got 'all'", r.err().strip());
    }
}
