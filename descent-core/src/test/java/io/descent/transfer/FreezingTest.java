package io.descent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.DataLoader;
import io.descent.models.ResNet;
import io.descent.models.SmallCnn;
import io.descent.nn.BatchNorm;
import io.descent.nn.Module;
import io.descent.optim.Optimizer;
import io.descent.optim.Optimizers;
import io.descent.optim.ParamGroup;
import io.descent.tensor.Tensor;
import io.descent.train.Task;
import io.descent.train.TrainConfig;
import io.descent.train.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreezingTest {
    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    @Test
    void pathsMatchWholeSegments() {
        assertTrue(Freezing.under("layer4.0.conv1.weight", "layer4"));
        assertTrue(Freezing.under("fc.weight", "fc.weight"));
        assertTrue(Freezing.under("anything", ""));
        assertFalse(Freezing.under("layer40.weight", "layer4"));
        assertThrows(IllegalArgumentException.class, () -> Freezing.freeze(TransferFixtures.cnn(1), "nope"));
    }

    @Test
    void freezeAndUnfreezeByPrefix() {
        ResNet m = TransferFixtures.resnet(1);
        Freezing.freeze(m, "");
        assertTrue(Freezing.trainable(m).isEmpty());
        Freezing.unfreeze(m, "layer4", "fc");
        for (var e : m.namedParameters().entrySet()) {
            assertEquals(e.getKey().startsWith("layer4.") || e.getKey().startsWith("fc."), e.getValue().requiresGrad(), e.getKey());
        }
        Freezing.freezeAllButHead(m);
        assertEquals(List.of("fc.weight", "fc.bias"), Freezing.trainable(m));
    }

    /** Every parameter is handed to AdamW with weight decay; only the head may move or get state. */
    @Test
    void frozenParametersGetNoGradNoStateAndNeverChange() {
        SmallCnn m = TransferFixtures.cnn(2);
        Freezing.freezeAllButHead(m);
        Map<String, float[]> before = snapshot(m);
        Optimizer opt = Optimizers.create("adamw", List.of(new ParamGroup(m.namedParameters())),
                new Optimizers.Settings(0.05, null, null, 0.5, null, false));
        try (DataLoader train = TransferFixtures.loader(TransferFixtures.images(60, 3), 16, true)) {
            new Trainer(m, opt, new Task.Classification(), TrainConfig.defaults().withEpochs(3)).fit(train, null);
        }
        for (var e : m.namedParameters().entrySet()) {
            String n = e.getKey();
            if (n.startsWith("9.")) {
                assertNotNull(opt.state(n), n);
                assertFalse(java.util.Arrays.equals(before.get(n), e.getValue().toArray()), n + " should train");
            } else {
                assertNull(opt.state(n), n + " took optimizer state");
                assertNull(e.getValue().grad(), n + " got a gradient");
                assertArrayEquals(before.get(n), e.getValue().toArray(), n + " changed");
            }
        }
    }

    @Test
    void frozenBatchNormStaysInEvalAndKeepsNames() {
        ResNet m = TransferFixtures.resnet(3);
        var keys = List.copyOf(m.stateDict().keySet());
        Freezing.freezeAllBut(m, "layer4", "fc");
        List<String> replaced = Freezing.keepFrozenBatchNormInEval(m);
        assertTrue(replaced.contains("bn1") && replaced.contains("layer3.1.bn2"));
        assertFalse(replaced.stream().anyMatch(p -> p.startsWith("layer4")));
        assertEquals(keys, List.copyOf(m.stateDict().keySet()));
        Map<String, float[]> before = snapshot(m);
        m.train();
        m.forward(batch());
        assertArrayEquals(before.get("bn1.running_mean"), m.stateDict().get("bn1.running_mean").toArray());
        assertArrayEquals(before.get("bn1.num_batches_tracked"), m.stateDict().get("bn1.num_batches_tracked").toArray());
        assertFalse(java.util.Arrays.equals(before.get("layer4.0.bn1.running_mean"), m.stateDict().get("layer4.0.bn1.running_mean").toArray()),
                "trainable batch norm should update its statistics");
        Freezing.thawBatchNorm(m, "");
        assertInstanceOf(BatchNorm.class, m.get("bn1"));
        assertTrue(m.get("bn1").isTraining());
    }

    private static Tensor batch() {
        float[] x = new float[4 * 64];
        for (int i = 0; i < 4; i++) System.arraycopy(TransferFixtures.images(4, 1).get(i).data(), 0, x, i * 64, 64);
        return Tensor.of(x, 4, 1, 8, 8);
    }
}
