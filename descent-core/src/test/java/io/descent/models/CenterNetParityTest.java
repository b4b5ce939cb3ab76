package io.descent.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.Golden;
import io.descent.autograd.GradMode;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertArrayEquals(new int[] {2, 3 + 4, 8, 8}, y.shape());
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
        assertEquals(3 * 2 + 2 + 3 * 4, fresh, "laterals, smooth and three heads' weights and biases");
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
