package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.Golden;
import io.descent.autograd.GradMode;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(WeightsTest.class.getResource("/golden/" + name).toURI());
    }

    @Test
    void torchSavedSmallCnnLoadsInPlaceGivesPyTorchsLogitsAndKeepsANewHead() throws Exception {
        Module m = Models.create("small-cnn", new Models.Config(10, 1, 12, ResNet.Stem.SMALL, 16, 0));
        float[] conv = m.stateDict().get("0.weight").data();
        Weights.load(m, resource("small_cnn12.pth"));
        assertTrue(conv == m.stateDict().get("0.weight").data(), "the model keeps its own arrays");
        Map<String, Tensor> f = Golden.load("small_cnn12_logits");
        m.eval();
        try (var ng = GradMode.noGrad()) {
            Golden.assertClose("logits", Golden.get(f, "logits"), m.forward(Golden.get(f, "x")), 1e-5, 1e-4);
        }

        Module five = Models.create("small-cnn", new Models.Config(5, 1, 12, ResNet.Stem.SMALL, 16, 2));
        float[] head = five.stateDict().get("9.weight").toArray(), body = five.stateDict().get("0.weight").toArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(five, resource("small_cnn12.pth")));
        assertTrue(e.getMessage().contains("size mismatch for '9.weight': checkpoint has [10, 128], model has [5, 128]"), e.getMessage());
        assertArrayEquals(body, five.stateDict().get("0.weight").data(), "nothing read before the refusal");
        Weights.load(five, resource("small_cnn12.pth"), true, List.of("9."));
        assertArrayEquals(m.stateDict().get("0.weight").data(), five.stateDict().get("0.weight").data());
        assertArrayEquals(head, five.stateDict().get("9.weight").data(), "the new head keeps its own weights");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {10, 128}, Weights.shapes(resource("small_cnn12.pth")).get("9.weight"));
    }

    @Test
    void safetensorsRoundTripIsBitIdentical(@TempDir Path dir) throws Exception {
        Module a = Models.create("resnet18", new Models.Config(5, 1, 28, ResNet.Stem.SMALL, 16, 1));
        Module b = Models.create("resnet18", new Models.Config(5, 1, 28, ResNet.Stem.SMALL, 16, 2));
        a.stateDict().get("bn1.num_batches_tracked").data()[0] = 7;
        Path file = dir.resolve("r18.safetensors");
        Weights.save(a, file);
        Weights.load(b, file);
        for (var e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.stateDict().get(e.getKey()).data(), e.getKey());
        }
    }

    @Test
    void loadingInPlaceReadsTheFileIntoTheModelsArraysAndRefusesAMismatchFirst(@TempDir Path dir) throws Exception {
        Module a = Models.create("resnet18", new Models.Config(5, 1, 28, ResNet.Stem.SMALL, 16, 1));
        a.stateDict().get("bn1.num_batches_tracked").data()[0] = 7;
        Path file = dir.resolve("r18.safetensors");
        Weights.save(a, file, Map.of("descent.model", "resnet18"));
        Module b = Models.create("resnet18", new Models.Config(5, 1, 28, ResNet.Stem.SMALL, 16, 2));
        float[] arrayBefore = b.stateDict().get("conv1.weight").data();
        Weights.load(b, file);
        assertTrue(arrayBefore == b.stateDict().get("conv1.weight").data(), "the model keeps its own arrays");
        for (var e : a.stateDict().entrySet()) assertArrayEquals(e.getValue().data(), b.stateDict().get(e.getKey()).data(), e.getKey());
        org.junit.jupiter.api.Assertions.assertEquals(Map.of("descent.model", "resnet18"), Weights.metadata(file));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {5, 512}, Weights.shapes(file).get("fc.weight"));

        Module c = Models.create("resnet18", new Models.Config(3, 1, 28, ResNet.Stem.SMALL, 16, 3));
        float[] before = c.stateDict().get("conv1.weight").toArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(c, file));
        org.junit.jupiter.api.Assertions.assertEquals("loadStateDict into ResNet: size mismatch for 'fc.weight': checkpoint has [5, 512], model has [3, 512]; "
                + "size mismatch for 'fc.bias': checkpoint has [5], model has [3]", e.getMessage());
        assertArrayEquals(before, c.stateDict().get("conv1.weight").data(), "nothing read into the model");
    }

    @Test
    void headCanBeSkippedWhenLoadingIntoANewTask(@TempDir Path dir) throws Exception {
        Module src = Models.create("small-cnn", new Models.Config(10, 1, 12, ResNet.Stem.SMALL, 16, 1));
        Module dst = Models.create("small-cnn", new Models.Config(5, 1, 12, ResNet.Stem.SMALL, 16, 2));
        Path file = dir.resolve("w.safetensors");
        Weights.save(src, file);
        var e = assertThrows(IllegalArgumentException.class, () -> Weights.load(dst, file));
        assertTrue(e.getMessage().contains("size mismatch for '9.weight': checkpoint has [10, 128], model has [5, 128]"), e.getMessage());
        float[] head = dst.stateDict().get("9.weight").toArray();
        Weights.Loaded loaded = Weights.load(dst, file, true, List.of("9."));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("9.weight", "9.bias"), loaded.leftOut());
        org.junit.jupiter.api.Assertions.assertEquals(List.of("9.weight", "9.bias"), loaded.kept());
        org.junit.jupiter.api.Assertions.assertEquals("6 tensors loaded; left out of the file: 9.* (2); the model's own: 9.* (2)", loaded.summary());
        assertArrayEquals(src.stateDict().get("0.weight").data(), dst.stateDict().get("0.weight").data());
        assertArrayEquals(head, dst.stateDict().get("9.weight").data(), "the new head keeps its own weights");

        Module part = Models.create("small-cnn", new Models.Config(5, 1, 12, ResNet.Stem.SMALL, 16, 3));
        Path first = dir.resolve("first.safetensors");
        Safetensors.write(first, Map.of("0.weight", src.stateDict().get("0.weight"), "extra", Tensor.zeros(2)));
        var missing = assertThrows(IllegalArgumentException.class, () -> Weights.load(part, first));
        assertTrue(missing.getMessage().startsWith("loadStateDict into SmallCnn: missing key '0.bias'"), missing.getMessage());
        Weights.load(part, first, false, List.of());
        assertArrayEquals(src.stateDict().get("0.weight").data(), part.stateDict().get("0.weight").data(), "not strict: the keys both have");

        // saved from a DataParallel-wrapped module: every key under "module."
        Map<String, Tensor> wrapped = new java.util.LinkedHashMap<>();
        src.stateDict().forEach((k, t) -> wrapped.put("module." + k, t));
        Path ddp = dir.resolve("ddp.safetensors");
        Safetensors.write(ddp, wrapped);
        Module fromDdp = Models.create("small-cnn", new Models.Config(5, 1, 12, ResNet.Stem.SMALL, 16, 4));
        Weights.load(fromDdp, ddp, true, List.of("9."));
        assertArrayEquals(src.stateDict().get("3.weight").data(), fromDdp.stateDict().get("3.weight").data(), "'module.' dropped");
    }
}
