package io.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.ArrayDataset;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.nn.Activation;
import io.descent.nn.Dropout;
import io.descent.nn.Linear;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.optim.Adam;
import io.descent.optim.Optimizer;
import io.descent.optim.SGD;
import io.descent.optim.schedule.Cosine;
import io.descent.optim.schedule.ReduceLROnPlateau;
import io.descent.optim.schedule.Scheduler;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    /** n examples of 6 features in 3 classes that a small MLP can separate. */
    static ArrayDataset data(int n, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 6; j++) x[i * 6 + j] = (float) (r.nextGaussian() * 0.5 + (j % 3 == y[i] ? 1.5 : 0));
        }
        return new ArrayDataset(x, new int[] {6}, y, List.of());
    }

    static Module mlp(long seed, boolean dropout) {
        Rng r = new Rng(seed);
        Sequential s = new Sequential(new Linear(6, 16, true, r), Activation.relu());
        if (dropout) s.add(new Dropout(0.3f, r.fork()));
        return s.add(new Linear(16, 3, true, r));
    }

    static DataLoader loader(ArrayDataset d, int batch, boolean shuffle) {
        return new DataLoader(d, LoaderOptions.DEFAULT.withBatchSize(batch).withShuffle(shuffle).withSeed(5));
    }

    static List<float[]> weights(Module m) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : m.stateDict().values()) out.add(t.toArray());
        return out;
    }

    static void assertClose(List<float[]> a, List<float[]> b, float tol) {
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) assertEquals(a.get(i)[j], b.get(i)[j], tol, "tensor " + i + " element " + j);
        }
    }

    @Test
    void accumulationOfKMicroBatchesEqualsOneBigBatchIncludingAPartialLastWindow() {
        ArrayDataset d = data(36, 1); // batch 16: 16, 16, 4 — micro-batch 4 x accumulate 4: windows of 4, 4 and 1 micro-batches
        Module big = mlp(7, false), small = mlp(7, false);
        try (DataLoader lb = loader(d, 16, false); DataLoader ls = loader(d, 4, false)) {
            new Trainer(big, new SGD(big.namedParameters(), 0.2), new Task.Classification(), TrainConfig.defaults().withEpochs(2)).fit(lb, null);
            new Trainer(small, new SGD(small.namedParameters(), 0.2), new Task.Classification(), TrainConfig.defaults().withEpochs(2).withAccumulate(4)).fit(ls, null);
        }
        assertClose(weights(big), weights(small), 2e-6f);
    }

    @Test
    void clippingBoundsTheUpdateAndLogsTheNormBeforeClipping() {
        ArrayDataset d = data(24, 2);
        Module m = mlp(3, false);
        try (DataLoader l = loader(d, 24, false)) {
            var rows = new Trainer(m, new SGD(m.namedParameters(), 0.1), new Task.Classification(), TrainConfig.defaults().withClipNorm(1e-3)).fit(l, l);
            assertTrue(rows.get(0).get("grad_norm") > 1e-3, "the logged norm is the one before clipping");
        }
        Tensor w = Tensor.of(3f, 4f).requiresGrad(true);
        w.setGrad(Tensor.of(3f, 4f));
        assertEquals(5.0, GradClip.clipNorm(List.of(w), 1.0), 1e-9);
        assertEquals(1.0, GradClip.globalNorm(List.of(w)), 1e-5);
        GradClip.clipValue(List.of(w), 0.5);
        assertArrayEquals(new float[] {0.5f, 0.5f}, w.grad().toArray(), 1e-6f);
    }

    @Test
    void nonFiniteLossHaltsWithTheStepOrIsSkipped() {
        ArrayDataset d = data(24, 3);
        Module m = mlp(4, false);
        try (DataLoader l = loader(d, 8, false)) {
            var e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(m, new SGD(m.namedParameters(), 1e30), new Task.Classification(), TrainConfig.defaults().withEpochs(3)).fit(l, null));
            assertTrue(e.getMessage().startsWith("non-finite "), e.getMessage());
            assertTrue(e.getMessage().contains("at optimizer step "), e.getMessage());
            Module m2 = mlp(4, false);
            Trainer t = new Trainer(m2, new SGD(m2.namedParameters(), 1e30), new Task.Classification(),
                    TrainConfig.defaults().withEpochs(3).withNonFinite(TrainConfig.NonFinite.SKIP));
            t.fit(l, null);
            assertTrue(t.skippedSteps() > 0);
        }
    }

    @Test
    void earlyStoppingRestoresTheBestWeights(@TempDir Path dir) throws Exception {
        ArrayDataset d = data(30, 4);
        Module m = mlp(5, false);
        List<List<float[]>> snapshots = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        try (DataLoader l = loader(d, 10, true)) {
            // a min delta no later epoch can beat: the first evaluation stays the best, the run stops 2 later
            Trainer t = new Trainer(m, new SGD(m.namedParameters(), 0.3), new Task.Classification(), TrainConfig.defaults().withEpochs(12))
                    .earlyStopping(new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 2, 1e9))
                    .runDir(dir)
                    .callback(new Callback() {
                        @Override
                        public void onValidationEnd(Trainer tr, Map<String, Double> row) {
                            snapshots.add(weights(tr.model()));
                            losses.add(row.get("val_loss"));
                        }
                    });
            t.fit(l, l);
        }
        assertEquals(3, losses.size(), "stops after patience 2");
        assertTrue(losses.get(2) < losses.get(0), "training went on improving");
        assertClose(snapshots.get(0), weights(m), 0f);
        assertTrue(Files.exists(dir.resolve("best.safetensors")) && Files.exists(dir.resolve("last.safetensors")));
    }

    @Test
    void aWatchedMetricThatIsNeverLoggedIsRefusedBeforeTraining() throws Exception {
        ArrayDataset d = data(30, 4);
        Module m = mlp(5, false);
        List<float[]> before = weights(m);
        try (DataLoader l = loader(d, 10, true)) {
            SGD sgd = new SGD(m.namedParameters(), 0.3);
            Trainer early = new Trainer(m, sgd, new Task.Classification(), TrainConfig.defaults().withEpochs(2))
                    .earlyStopping(new EarlyStopping("val_f1", EarlyStopping.Mode.MAX, 2, 0));
            var e = assertThrows(IllegalArgumentException.class, () -> early.fit(l, l));
            assertEquals("early stopping watches 'val_f1', which is not logged (logged: [epoch, step, lr, train_loss, val_loss, val_acc, val_top5, grad_norm, update_ratio])", e.getMessage());
            // without validation data, val_loss is not logged either
            Trainer plateau = new Trainer(m, sgd, new Task.Classification(), TrainConfig.defaults()).plateau(new ReduceLROnPlateau(sgd), "val_loss");
            e = assertThrows(IllegalArgumentException.class, () -> plateau.fit(l, null));
            assertTrue(e.getMessage().startsWith("ReduceLROnPlateau watches 'val_loss', which is not logged"), e.getMessage());
        }
        assertClose(before, weights(m), 0f);
    }

    /** Trains 3 epochs with Adam, a cosine schedule, dropout and shuffling, optionally stopping and resuming after one. */
    private static List<float[]> run(Path dir, boolean resume) throws Exception {
        ArrayDataset d = data(30, 6);
        try (DataLoader l = loader(d, 8, true)) {
            Module m = mlp(8, true);
            Optimizer opt = new Adam(m.namedParameters(), 0.01);
            Trainer t = new Trainer(m, opt, new Task.Classification(), TrainConfig.defaults().withEpochs(3))
                    .scheduler(new Scheduler(opt).set("lr", new Cosine(0.01, 12, 0)))
                    .ema(new Ema(m, 0.9, true, 1));
            if (!resume) {
                t.fit(l, l);
                return weights(m);
            }
            Trainer first = new Trainer(m, opt, new Task.Classification(), TrainConfig.defaults().withEpochs(1))
                    .scheduler(new Scheduler(opt).set("lr", new Cosine(0.01, 12, 0))).ema(new Ema(m, 0.9, true, 1)).runDir(dir);
            first.fit(l, l);
            // fresh objects, as a new process would build them
            Module m2 = mlp(99, true);
            Optimizer opt2 = new Adam(m2.namedParameters(), 0.01);
            Trainer second = new Trainer(m2, opt2, new Task.Classification(), TrainConfig.defaults().withEpochs(3))
                    .scheduler(new Scheduler(opt2).set("lr", new Cosine(0.01, 12, 0))).ema(new Ema(m2, 0.9, true, 1));
            second.resume(dir.resolve("checkpoint").resolve("state.safetensors"));
            assertEquals(1, second.epoch());
            second.fit(l, l);
            return weights(m2);
        }
    }

    @Test
    void resumeContinuesBitIdentically(@TempDir Path dir) throws Exception {
        List<float[]> straight = run(dir.resolve("a"), false), resumed = run(dir.resolve("b"), true);
        for (int i = 0; i < straight.size(); i++) assertArrayEquals(straight.get(i), resumed.get(i), "tensor " + i);
    }

    @Test
    void maxStepsStopsMidEpoch() {
        ArrayDataset d = data(40, 7);
        Module m = mlp(9, false);
        try (DataLoader l = loader(d, 4, false)) {
            Trainer t = new Trainer(m, new SGD(m.namedParameters(), 0.1), new Task.Classification(), TrainConfig.defaults().withEpochs(5).withMaxSteps(13));
            t.fit(l, null);
            assertEquals(13, t.step());
            assertEquals(1, t.epoch(), "stopped inside the second epoch");
        }
    }

    @Test
    void emaFollowsTheFormula() {
        Linear l = new Linear(1, 1, false, new Rng(0));
        l.weight.data()[0] = 0f;
        Ema ema = new Ema(l, 0.5, false, 1);
        l.weight.data()[0] = 1f;
        ema.afterStep(1);
        assertEquals(0.5f, ema.stateDict().get("weight").data()[0]);
        l.weight.data()[0] = 3f;
        ema.afterStep(2);
        assertEquals(1.75f, ema.stateDict().get("weight").data()[0]);
        ema.swap();
        assertEquals(1.75f, l.weight.data()[0]);
        ema.swap();
        assertEquals(3f, l.weight.data()[0]);
        Ema warm = new Ema(l, 0.999, true, 1);
        assertEquals(0.1, warm.currentDecay(), 1e-12, "(1 + 0) / (10 + 0)");
        assertThrows(IllegalArgumentException.class, () -> new Ema(l, 1.0, false, 1));
    }

    @Test
    void sanityChecks() {
        ArrayDataset d = data(12, 8);
        Module m = mlp(10, false);
        try (DataLoader l = loader(d, 12, false)) {
            var batch = l.epoch(0).iterator().next();
            var init = SanityChecks.initialLoss(m, new Task.Classification(), batch, 3);
            assertEquals(Math.log(3), init.expected(), 1e-12);
            assertTrue(init.plausible(), init.message());
            var fit = SanityChecks.overfitOneBatch(m, new Task.Classification(), new Adam(m.namedParameters(), 0.05), batch, 300);
            assertTrue(fit.success(), "a 16-unit MLP must overfit 12 examples: " + fit);
            assertEquals(1.0, fit.accuracy());
        }
        assertFalse(new EarlyStopping("val_acc", EarlyStopping.Mode.MAX, 1, 0).shouldStop());
        assertEquals(EarlyStopping.Mode.MAX, EarlyStopping.parse("val_acc:5").mode());
        for (String higher : new String[] {"val_acc", "ema_val_top5", "val_psnr", "val_map", "val_map50", "map"}) assertTrue(EarlyStopping.higherIsBetter(higher), higher);
        for (String lower : new String[] {"val_loss", "val_heatmap_loss", "train_loss", "val_mape", "grad_norm"}) assertFalse(EarlyStopping.higherIsBetter(lower), lower);
        assertEquals(EarlyStopping.Mode.MAX, EarlyStopping.parse("val_map:3").mode());
    }
}
