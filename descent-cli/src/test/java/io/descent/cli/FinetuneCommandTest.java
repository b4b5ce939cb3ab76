package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Safetensors;
import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
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

    /**
     * Weights laid out as torchvision's resnet18 (3 channels, 7×7 stem, 1000 classes) on the
     * grey 32-px shapes data, with no --in-channels or --stem: the weights decide both, and the
     * grey images are repeated for the 3-channel stem (before, evaluate failed in the first
     * convolution and finetune built a 1-channel small stem that the weights did not fit).
     */
    @Test
    void imagenetResNetWeightsRunOnGreySmallImagesWithoutInputFlags(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("resnet18.safetensors");
        Module imagenet = Models.create("resnet18", new Models.Config(1000, 3, 224, ResNet.Stem.IMAGENET, 32, 5));
        Weights.save(imagenet, weights);

        Cli.Run e = Cli.run("evaluate", "--model", "resnet18", "--weights", weights.toString(), "--classes", "0,1");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains(" acc "), e.out());

        Cli.Run f = Cli.run("finetune", "--model", "resnet18", "--weights", weights.toString(), "--strategy", "features",
                "--classes", "0,1", "--shots", "8", "--epochs", "1", "--batch", "8", "--runs-dir", dir.toString(), "--run", "ft");
        assertEquals(0, f.code(), f.err());
        Map<String, Tensor> after = Safetensors.read(dir.resolve("ft").resolve("model.safetensors"));
        assertArrayEquals(new int[] {2, 512}, after.get("fc.weight").shape());
        assertArrayEquals(imagenet.stateDict().get("conv1.weight").toArray(), after.get("conv1.weight").toArray(), 0f, "the frozen stem");
    }

    /** A torch.save'd state dict (PyTorch's own file) loads in place around a new head. */
    @Test
    void torchSavedWeightsFinetuneWithANewHead(@TempDir Path dir) throws Exception {
        Path pth = Cli.CORE_RESOURCES.resolve("golden").resolve("small_cnn12.pth");
        Cli.Run f = Cli.run("finetune", "--model", "small-cnn", "--weights", pth.toString(), "--strategy", "finetune", "--image-size", "12",
                "--classes", "0,1,2", "--shots", "8", "--epochs", "1", "--batch", "8", "--runs-dir", dir.toString(), "--run", "pth");
        assertEquals(0, f.code(), f.err());
        Map<String, Tensor> torch = Weights.read(pth), after = Safetensors.read(dir.resolve("pth").resolve("model.safetensors"));
        assertArrayEquals(new int[] {3, 128}, after.get("9.weight").shape());
        assertArrayEquals(torch.get("0.weight").toArray(), after.get("0.weight").toArray(), 0f, "the frozen first conv is PyTorch's");
        assertTrue(!java.util.Arrays.equals(torch.get("7.weight").toArray(), after.get("7.weight").toArray()), "the last hidden layer trained");
    }

    @Test
    void badStrategyIsAOneLineError(@TempDir Path dir) {
        Cli.Run r = Cli.run("finetune", "--model", "small-cnn", "--weights", "x.safetensors", "--strategy", "all", "--runs-dir", dir.toString());
        assertEquals(1, r.code());
        assertEquals("descent: --strategy must be features, finetune, discriminative or gradual, got 'all'", r.err().strip());
    }
}
