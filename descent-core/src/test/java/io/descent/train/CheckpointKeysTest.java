package io.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Identity;
import io.descent.nn.Linear;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checkpointing never changes a state_dict key, and the segment chains compute the models' own forward. */
class CheckpointKeysTest {
    private static final Models.Config SMALL = new Models.Config(10, 3, 16, ResNet.Stem.SMALL, 8, 0);

    private static void assertSameState(Module expected, Module actual) {
        Map<String, Tensor> e = expected.stateDict(), a = actual.stateDict();
        assertEquals(List.copyOf(e.keySet()), List.copyOf(a.keySet()));
        for (var entry : e.entrySet()) assertSame(entry.getValue(), a.get(entry.getKey()), entry.getKey());
        assertEquals(List.copyOf(expected.namedParameters().keySet()), List.copyOf(actual.namedParameters().keySet()));
        assertEquals(List.copyOf(expected.namedBuffers().keySet()), List.copyOf(actual.namedBuffers().keySet()));
    }

    @Test
    void segmentsKeepEveryKeyAndTensor() {
        for (String name : List.of("mlp", "small-cnn", "resnet18", "autoencoder", "conv-autoencoder")) {
            Module model = Models.create(name, SMALL);
            assertSameState(model, Checkpointing.checkpointSequential(model, 2));
        }
    }

    @Test
    void checkpointedStagesKeepEveryKey() {
        Module model = Models.create("resnet18", SMALL);
        List<String> before = List.copyOf(model.stateDict().keySet());
        Checkpointing.apply(model, Checkpointing.stages(model));
        assertEquals(before, List.copyOf(model.stateDict().keySet()));
        assertTrue(before.contains("layer2.0.downsample.1.running_var"));
        Checkpointed layer1 = (Checkpointed) model.get("layer1");
        assertSameState(layer1.module(), layer1);
    }

    @Test
    void weightsLoadStrictlyAcrossCheckpointing() {
        Module source = Models.create("resnet18", new Models.Config(10, 3, 16, ResNet.Stem.SMALL, 8, 1));
        Module target = Checkpointing.checkpointSequential(Models.create("resnet18", SMALL), 3);
        target.loadStateDict(source.stateDict(), true);
        assertArrayEquals(source.stateDict().get("layer3.1.conv2.weight").data(), target.stateDict().get("layer3.1.conv2.weight").data());
        Module staged = Checkpointing.apply(Models.create("resnet18", SMALL), List.of("layer4"));
        staged.loadStateDict(source.stateDict(), true);
        assertArrayEquals(source.stateDict().get("layer4.0.bn1.running_mean").data(), staged.stateDict().get("layer4.0.bn1.running_mean").data());
    }

    @Test
    void chainsComputeTheModelsForward() {
        for (String name : List.of("mlp", "small-cnn", "resnet18", "autoencoder", "conv-autoencoder")) {
            Module model = Models.create(name, new Models.Config(10, 3, 16, ResNet.Stem.SMALL, 8, 0)).eval();
            Tensor x = Tensor.rand(new Rng(3), 2, 3, 16, 16);
            try (var off = GradMode.noGrad()) {
                assertArrayEquals(model.forward(x).data(), Checkpointing.checkpointSequential(model, 1).forward(x).data(), name);
            }
        }
    }

    @Test
    void chainOfAResNetIsStemBlocksPoolFlattenHead() {
        CheckpointSequential c = Checkpointing.checkpointSequential(Models.create("resnet18", SMALL), 2);
        assertEquals(4 + 8 + 3, c.steps().size());
        assertEquals("layer1.0", c.steps().get(4).path());
        assertEquals("fc", c.steps().get(14).path());
        assertEquals(7, c.segmentStart(1));
    }

    @Test
    void frozenParametersStayFrozenAndModesPropagate() {
        Sequential s = CheckpointTesting.mlpWithDropout(1, 1);
        s.get("0").parameters().forEach(p -> p.requiresGrad(false));
        Module c = new Checkpointed(s);
        assertFalse(c.stateDict().get("0.weight").requiresGrad());
        assertTrue(c.stateDict().get("3.weight").requiresGrad());
        c.eval();
        assertFalse(s.isTraining());
        assertFalse(s.get("2").isTraining());
        c.train();
        assertTrue(s.isTraining());
    }

    @Test
    void childReplacedThroughTheWrapperRuns() {
        Sequential s = new Sequential(new Linear(4, 4, true, new Rng(0)), new Linear(4, 2, true, new Rng(1)));
        Checkpointed c = new Checkpointed(s);
        c.set("0", new Identity());
        Tensor x = Tensor.randn(new Rng(2), 3, 4);
        CheckpointSequential r = Checkpointing.checkpointSequential(Models.create("resnet18", SMALL), 2);
        r.set("fc", new Linear(512, 5, true, new Rng(3)));
        try (var off = GradMode.noGrad()) { // no graph left behind for the collector to free during another test
            assertArrayEquals(s.get("1").forward(x).data(), c.forward(x).data());
            assertSame(c.get("0"), s.get("0"));
            assertArrayEquals(new int[] {2, 5}, r.forward(Tensor.randn(new Rng(4), 2, 3, 16, 16)).shape());
        }
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        Module mlp = Models.create("mlp", SMALL);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.checkpointSequential(mlp, 0));
        assertEquals("CheckpointSequential: segments must be between 1 and the 6 steps, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.checkpointSequential(mlp, 7));
        assertTrue(e.getMessage().contains("got 7"), e.getMessage());
        Module custom = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.checkpointSequential(custom, 2));
        assertTrue(e.getMessage().contains("Checkpointing.apply(model, paths)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.apply(mlp, List.of("")));
        assertTrue(e.getMessage().contains("root"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.apply(mlp, List.of("9")));
        assertTrue(e.getMessage().contains("'9' not found"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Checkpointed(new Checkpointed(mlp)));
        assertEquals("Checkpointed: the module is already checkpointed", e.getMessage());
        Module twice = Checkpointing.apply(Checkpointing.apply(mlp, List.of("1")), List.of("1"));
        assertFalse(((Checkpointed) twice.get("1")).module() instanceof Checkpointed);
    }
}
