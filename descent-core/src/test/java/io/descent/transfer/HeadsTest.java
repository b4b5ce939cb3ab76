package io.descent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.descent.models.ResNet;
import io.descent.models.SmallCnn;
import io.descent.nn.Linear;
import io.descent.nn.Sequential;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadsTest {
    @Test
    void findsTheHeadOfRegistryModels() {
        assertEquals("fc", Heads.path(TransferFixtures.resnet(1)));
        assertEquals("9", Heads.path(TransferFixtures.cnn(1)));
        assertEquals(512, Heads.inFeatures(TransferFixtures.resnet(1), "fc"));
    }

    @Test
    void linearHeadSwapKeepsEveryOtherWeight() {
        ResNet m = TransferFixtures.resnet(2);
        Map<String, Tensor> before = m.stateDict();
        Map<String, float[]> values = new java.util.LinkedHashMap<>();
        before.forEach((k, v) -> values.put(k, v.toArray()));
        Heads.replaceLinear(m, 7, new Rng(9));
        Map<String, Tensor> after = m.stateDict();
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            if (k.startsWith("fc.")) continue;
            assertArrayEquals(values.get(k), after.get(k).toArray(), k);
        }
        assertArrayEquals(new int[] {7, 512}, after.get("fc.weight").shape());
        assertArrayEquals(new int[] {2, 7}, m.forward(Tensor.zeros(2, 1, 8, 8)).shape());
    }

    @Test
    void mlpHeadWithDropout() {
        SmallCnn m = TransferFixtures.cnn(3);
        String p = Heads.replaceMlp(m, 32, 5, 0.5f, new Rng(4));
        assertEquals("9", p);
        assertInstanceOf(Sequential.class, m.get("9"));
        assertInstanceOf(Linear.class, m.get("9.3"));
        assertEquals(128, Heads.inFeatures(m, "9"));
        m.eval();
        assertArrayEquals(new int[] {3, 5}, m.forward(Tensor.zeros(3, 1, 8, 8)).shape());
    }

    @Test
    void backboneGivesTheHeadsInput() {
        SmallCnn m = TransferFixtures.cnn(5);
        m.eval();
        Tensor x = Tensor.zeros(2, 1, 8, 8);
        x.data()[3] = 1f;
        Tensor f = Heads.backbone(m).apply(x);
        assertArrayEquals(m.forward(x).toArray(), m.get("9").forward(f).toArray(), 0f);
        ResNet r = TransferFixtures.resnet(6);
        r.eval();
        assertArrayEquals(new int[] {2, 512}, Heads.backbone(r).apply(Tensor.zeros(2, 1, 8, 8)).shape());
    }
}
