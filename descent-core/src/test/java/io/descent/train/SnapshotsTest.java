package io.descent.train;

import static io.descent.train.TrainerTest.data;
import static io.descent.train.TrainerTest.loader;
import static io.descent.train.TrainerTest.mlp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.DataLoader;
import io.descent.io.Safetensors;
import io.descent.nn.Module;
import io.descent.optim.SGD;
import io.descent.optim.schedule.Cosine;
import io.descent.optim.schedule.CosineWarmRestarts;
import io.descent.optim.schedule.Schedule;
import io.descent.optim.schedule.Scheduler;
import io.descent.optim.schedule.Warmup;
import io.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {
    @Test
    void savesTheWeightsAtTheEndOfEveryCosineCycle(@TempDir Path dir) throws Exception {
        // 3 epochs of 3 batches = 9 updates; restarts every 3: cycles end after updates 3, 6 and 9
        Map<Long, Map<String, float[]>> atStep = new LinkedHashMap<>();
        Snapshots snapshots = train(dir, new CosineWarmRestarts(0.3, 3, 1, 0), atStep);
        assertEquals(List.of(dir.resolve("snapshot-3.safetensors"), dir.resolve("snapshot-6.safetensors"), dir.resolve("snapshot-9.safetensors")),
                snapshots.saved());
        for (long step : new long[] {3, 6, 9}) {
            Map<String, Tensor> file = Safetensors.read(dir.resolve("snapshot-" + step + ".safetensors"));
            atStep.get(step).forEach((k, v) -> assertArrayEquals(v, file.get(k).toArray(), "update " + step + ": " + k));
        }
    }

    @Test
    void namesAreZeroPaddedSoThatTheyListInTrainingOrder(@TempDir Path dir) throws Exception {
        // 4 epochs = 12 updates: two digits
        Snapshots s = train(dir, new CosineWarmRestarts(0.3, 3, 1, 0), new LinkedHashMap<>(), 4);
        List<String> names = s.saved().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("snapshot-03.safetensors", "snapshot-06.safetensors", "snapshot-09.safetensors", "snapshot-12.safetensors"), names);
        assertEquals(names.stream().sorted().toList(), names);
    }

    @Test
    void aWarmUpIsNotACycleAndTheLastUpdateEndsTheDescent(@TempDir Path dir) throws Exception {
        Schedule warmCosine = Warmup.linear(new Cosine(0.3, 7, 0), 2, 0.1);
        Snapshots s = train(dir, warmCosine, new LinkedHashMap<>());
        assertEquals(List.of(dir.resolve("snapshot-9.safetensors")), s.saved());
        assertFalse(new Snapshots(warmCosine, 9, dir).endsDescent(1), "the warm-up's top is not a snapshot");
        assertTrue(new Snapshots(new CosineWarmRestarts(1, 4, 2, 0), 100, dir).endsDescent(3), "before the first restart");
        assertTrue(new Snapshots(new CosineWarmRestarts(1, 4, 2, 0), 100, dir).endsDescent(11), "before the second (T_1 = 8)");
        assertFalse(new Snapshots(new CosineWarmRestarts(1, 4, 2, 0), 100, dir).endsDescent(7));
    }

    private static Snapshots train(Path dir, Schedule lr, Map<Long, Map<String, float[]>> atStep) throws Exception {
        return train(dir, lr, atStep, 3);
    }

    /** An MLP trained for {@code epochs} of 3 updates under {@code lr}, snapshots on; the weights after every update into {@code atStep}. */
    private static Snapshots train(Path dir, Schedule lr, Map<Long, Map<String, float[]>> atStep, int epochs) throws Exception {
        Module m = mlp(3, false);
        SGD sgd = new SGD(m.namedParameters(), 0.3);
        Scheduler scheduler = new Scheduler(sgd);
        scheduler.set("lr", lr);
        Snapshots snapshots = new Snapshots(lr, 3L * epochs, dir);
        try (DataLoader l = loader(data(30, 4), 10, true)) {
            new Trainer(m, sgd, new Task.Classification(), TrainConfig.defaults().withEpochs(epochs)).scheduler(scheduler)
                    .callback(snapshots)
                    .callback(new Callback() {
                        @Override
                        public void onBatchEnd(Trainer t, int b, double loss, boolean updated) {
                            Map<String, float[]> w = new LinkedHashMap<>();
                            t.model().stateDict().forEach((k, v) -> w.put(k, v.toArray()));
                            atStep.put(t.step(), w);
                        }
                    })
                    .fit(l, null);
        }
        return snapshots;
    }
}
