package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizeOptionsTest {
    private static String resolved(String flag, Path weights, Map<String, int[]> shapes) throws Exception {
        NormalizeOptions o = new NormalizeOptions();
        o.normalize = flag;
        o.defaultFrom(weights, shapes);
        return o.name();
    }

    /** torchvision's files (PyTorch, a 3-channel input layer) get ImageNet's statistics unless told otherwise; others none. */
    @Test
    void pytorchFilesOfRgbModelsDefaultToImagenet(@TempDir Path dir) throws Exception {
        Map<String, int[]> rgb = Map.of("conv1.weight", new int[] {64, 3, 7, 7}), grey = Map.of("conv1.weight", new int[] {64, 1, 7, 7});
        assertEquals("imagenet", resolved(null, dir.resolve("resnet18.pth"), rgb));
        assertEquals("imagenet", resolved(null, dir.resolve("fasterrcnn.pth"), Map.of("backbone.body.conv1.weight", new int[] {64, 3, 7, 7})));
        assertEquals("none", resolved(null, dir.resolve("grey.pth"), grey));
        assertEquals("none", resolved(null, dir.resolve("resnet18.safetensors"), rgb), "a safetensors file records what it needs");
        assertEquals("none", resolved("none", dir.resolve("resnet18.pth"), rgb), "the flag wins");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> resolved("imagent", dir.resolve("x.pth"), rgb));
        assertEquals("--normalize must be imagenet or none, got 'imagent'", e.getMessage());
    }

    /**
     * A run trained on normalised inputs records it in its weights, and evaluate applies it again:
     * the evaluation reproduces the run's val_loss; told not to normalise, it does not.
     */
    @Test
    void evaluateNormalisesAsTheRunDid(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("train", "--model", "small-cnn", "--in-channels", "3", "--normalize", "imagenet", "--max-steps", "6", "--batch", "32",
                "--runs-dir", dir.toString(), "--run", "norm");
        assertEquals(0, r.code(), r.err());
        Path best = dir.resolve("norm").resolve("best.safetensors");
        assertEquals("imagenet", Weights.metadata(best).get("descent.normalize"));
        assertTrue(Files.readString(dir.resolve("norm").resolve("config.json")).contains("\"normalize\":\"imagenet\""));
        String runLoss = List.of(Files.readAllLines(dir.resolve("norm").resolve("metrics.csv")).get(1).split(",")).get(4);

        Cli.Run e = Cli.run("evaluate", "--weights", best.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("loss " + String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(runLoss))), runLoss + " vs " + e.out());
        Cli.Run raw = Cli.run("evaluate", "--weights", best.toString(), "--normalize", "none");
        assertEquals(0, raw.code(), raw.err());
        assertNotEquals(e.out(), raw.out());

        Cli.Run plain = Cli.run("train", "--model", "small-cnn", "--in-channels", "3", "--max-steps", "2", "--batch", "32", "--runs-dir", dir.toString(), "--run", "plain");
        assertEquals(0, plain.code(), plain.err());
        Path other = dir.resolve("plain").resolve("best.safetensors");
        Cli.Run mixed = Cli.run("evaluate", "--weights", best + "," + other);
        assertEquals("descent: " + other + " was trained on inputs normalised none, the first weights on imagenet: evaluate them apart, or choose one with --normalize",
                mixed.err().strip());
        assertEquals(0, Cli.run("evaluate", "--weights", best + "," + other, "--normalize", "imagenet").code(), "the flag holds for all");

        Cli.Run grey = Cli.run("train", "--normalize", "imagenet", "--max-steps", "1", "--runs-dir", dir.toString());
        assertEquals("descent: --normalize imagenet is per RGB channel, and --data shapes gives 1-channel images: add --in-channels 3", grey.err().strip());
    }
}
