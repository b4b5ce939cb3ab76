package io.descent.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.Golden;
import io.descent.autograd.GradMode;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import io.descent.io.Weights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * centernet-resnet18 against the same network in PyTorch on torchvision's resnet18
 * (tools/golden/gen_centernet.py), and a pretrained classifier's weights as its backbone.
 */
class CenterNetParityTest {
    private static final Models.Config CFG = new Models.Config(3, 3, 64, ResNet.Stem.IMAGENET, 16, 0);

    @Test
    void evalForwardMatchesPyTorch() {
        Map<String, Tensor> f = Golden.load("model_centernet");
        Module m = Models.create("centernet-resnet18", CFG);
        FormulaWeights.fill(m);
        m.eval();
        Tensor y;
        try (var ng = GradMode.noGrad()) {
            y = m.forward(Golden.get(f, "x"));
        }
        assertArrayEquals(new int[] {2, 3 + 4, 16, 16}, y.shape());
        ModelParityTest.assertAsAccurateAsPyTorch("centernet-resnet18 output", Golden.get(f, "ref").data(), Golden.get(f, "torch32").data(), y.data());
    }

    @Test
    void aClassifiersStateDictIsItsBackbone() {
        Module classifier = Models.create("resnet18", new Models.Config(1000, 3, 224, ResNet.Stem.IMAGENET, 16, 1));
        CenterNet detector = (CenterNet) Models.create("centernet-resnet18", CFG);
        Map<String, Tensor> state = classifier.stateDict();
        List<String> left = new ArrayList<>();
        Map<String, Tensor> backbone = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("fc.")) left.add(k);
            else backbone.put(k, v);
        });
        assertEquals(List.of("fc.weight", "fc.bias"), left, "only the classifier is left over");
        detector.loadStateDict(backbone, false);
        Map<String, Tensor> loaded = detector.stateDict();
        backbone.forEach((k, v) -> assertArrayEquals(v.data(), loaded.get(k).data(), k));
        long fresh = loaded.keySet().stream().filter(k -> !backbone.containsKey(k)).count();
        assertTrue(loaded.keySet().stream().filter(k -> !backbone.containsKey(k)).allMatch(k -> k.startsWith("neck.") || k.startsWith("head.")));
        assertEquals(4 * 2 + 2 + 3 * 4, fresh, "the pyramid's four laterals and one output conv, three heads: weights and biases");
    }

    /** A state dict's names and shapes as tools/golden/gen_centernet.py listed them, zero-filled, in order. */
    private static LinkedHashMap<String, Tensor> keyList(String name) throws IOException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream in = CenterNetParityTest.class.getResourceAsStream("/golden/" + name + ".txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                out.put(f[0], Tensor.zeros(f.length < 2 || f[1].isEmpty() ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray()));
            }
        }
        return out;
    }

    private static boolean headOrStatistic(String key) {
        return key.startsWith("head.") || key.endsWith("num_batches_tracked");
    }

    /**
     * torchvision's detection backbone — a resnet18 with frozen batch norm and torchvision's own
     * FeaturePyramidNetwork, under the names of its detectors' state dicts (backbone.body.*,
     * backbone.fpn.*) — loads into centernet-resnet18 by {@link CenterNet#torchvisionName}, and
     * the pyramid's output is torchvision's FPN level '0', as accurately as PyTorch's float32.
     */
    @Test
    void aTorchvisionDetectorsBackboneAndPyramidLoadAndAgree(@TempDir Path dir) throws IOException {
        LinkedHashMap<String, Tensor> state = keyList("torchvision_fpn_keys");
        FormulaWeights.fill(state);
        Path file = dir.resolve("fpn.safetensors");
        io.descent.io.Safetensors.write(file, state);
        CenterNet m = (CenterNet) Models.create("centernet-resnet18", CFG);
        assertTrue(CenterNet.isTorchvisionDetection(state.keySet()));
        Weights.load(m, file, true, m::torchvisionName, CenterNetParityTest::headOrStatistic);
        assertArrayEquals(state.get("backbone.fpn.inner_blocks.3.0.weight").data(), m.stateDict().get("neck.inner_blocks.3.0.weight").data());
        Map<String, Tensor> f = Golden.load("torchvision_fpn");
        m.eval();
        Tensor y;
        try (var ng = GradMode.noGrad()) {
            y = m.pyramid(Golden.get(f, "x"));
        }
        assertArrayEquals(new int[] {1, 128, 8, 10}, y.shape());
        ModelParityTest.assertAsAccurateAsPyTorch("torchvision FPN level 0", Golden.get(f, "ref").data(), Golden.get(f, "torch32").data(), y.data());
    }

    /**
     * Every backbone and pyramid tensor of torchvision's fasterrcnn_resnet50_fpn (its COCO
     * weights' names and shapes: frozen batch norm, no num_batches_tracked) has its place in
     * centernet-resnet50; only the detector's own heads and the pyramid's coarser outputs are left.
     */
    @Test
    void fasterRcnnResnet50FpnWeightsFitCenternetResnet50() throws IOException {
        CenterNet m = (CenterNet) Models.create("centernet-resnet50", new Models.Config(91, 3, 224, ResNet.Stem.IMAGENET, 16, 0));
        Map<String, Tensor> own = m.stateDict();
        List<String> left = new ArrayList<>();
        java.util.Set<String> covered = new java.util.HashSet<>();
        keyList("fasterrcnn_resnet50_fpn_keys").forEach((k, t) -> {
            String mine = m.torchvisionName(k);
            if (mine == null) {
                left.add(k);
                return;
            }
            assertTrue(own.containsKey(mine), k + " -> " + mine);
            assertArrayEquals(own.get(mine).shape(), t.shape(), k);
            covered.add(mine);
        });
        assertTrue(left.stream().allMatch(k -> k.startsWith("rpn.") || k.startsWith("roi_heads.") || k.matches("backbone\\.fpn\\.layer_blocks\\.[123]\\..*")), left.toString());
        assertEquals(6 + 8 + 6, left.size(), "rpn's 6, roi_heads' 8, three coarser output convs' 6");
        List<String> uncovered = own.keySet().stream().filter(k -> !covered.contains(k)).toList();
        assertTrue(uncovered.stream().allMatch(CenterNetParityTest::headOrStatistic), uncovered.toString());
        CenterNet small = (CenterNet) Models.create("centernet-resnet50", new Models.Config(91, 3, 28, ResNet.Stem.SMALL, 16, 0));
        assertEquals(null, small.torchvisionName("backbone.fpn.inner_blocks.1.0.weight"), "below the small stem's output stage");
        assertEquals("neck.inner_blocks.2.0.weight", small.torchvisionName("backbone.fpn.inner_blocks.2.0.weight"));
        assertEquals("neck.layer_blocks.2.0.bias", small.torchvisionName("backbone.fpn.layer_blocks.2.0.bias"));
    }

    @Test
    void theSmallStemGivesStrideFourAndBadNamesAreRefused() {
        CenterNet small = (CenterNet) Models.create("centernet-resnet18", new Models.Config(2, 1, 28, ResNet.Stem.SMALL, 16, 0));
        assertEquals(4, small.stride());
        try (var ng = GradMode.noGrad()) {
            assertArrayEquals(new int[] {1, 6, 7, 7}, small.forward(Tensor.zeros(1, 1, 28, 28)).shape());
        }
        assertTrue(Models.isDetector("centernet-resnet50"));
        var e = assertThrows(IllegalArgumentException.class, () -> Models.create("centernet-resnet19", CFG));
        assertTrue(e.getMessage().startsWith("unknown model 'centernet-resnet19'"), e.getMessage());
    }
}
