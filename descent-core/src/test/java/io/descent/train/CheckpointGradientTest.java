package io.descent.train;

import static io.descent.train.CheckpointTesting.assertSameBuffers;
import static io.descent.train.CheckpointTesting.assertSameGrads;
import static io.descent.train.CheckpointTesting.labels;
import static io.descent.train.CheckpointTesting.step;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.ops.Losses;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpointed training computes exactly what training without checkpointing computes. */
class CheckpointGradientTest {
    @Test
    void mlpWithDropoutReplaysMasksAndMatchesBitForBit() {
        Sequential plain = CheckpointTesting.mlpWithDropout(5, 3);
        Sequential base = CheckpointTesting.mlpWithDropout(5, 3);
        Module ckpt = Checkpointing.checkpointSequential(base, 4);
        Rng data = new Rng(11);
        for (int it = 0; it < 3; it++) { // later steps check that the recomputation left the generators where they were
            Tensor x = Tensor.randn(data, 16, 32);
            int[] y = labels(16, 10);
            assertEquals(step(plain, x, y), step(ckpt, x, y), "loss at step " + it);
            assertSameGrads(plain, ckpt);
        }
    }

    @Test
    void inputGradientMatches() {
        Sequential plain = CheckpointTesting.mlpWithDropout(3, 5);
        Module ckpt = Checkpointing.checkpointSequential(CheckpointTesting.mlpWithDropout(3, 5), 3);
        Tensor x = Tensor.randn(new Rng(2), 8, 32);
        Tensor xa = x.copy().requiresGrad(true), xb = x.copy().requiresGrad(true);
        step(plain, xa, labels(8, 10));
        step(ckpt, xb, labels(8, 10));
        assertArrayEquals(xa.grad().data(), xb.grad().data());
        assertSameGrads(plain, ckpt);
    }

    @Test
    void batchNormStatisticsMoveOnceAndGradientsMatch() {
        Sequential plain = CheckpointTesting.cnnWithBatchNorm(7);
        Module ckpt = Checkpointing.checkpointSequential(CheckpointTesting.cnnWithBatchNorm(7), 3);
        Rng data = new Rng(5);
        CheckpointTesting.warmUp(CheckpointTesting.cnnWithBatchNorm(1), Tensor.randn(new Rng(0), 4, 3, 8, 8), labels(4, 5));
        for (int it = 0; it < 2; it++) {
            Tensor x = Tensor.randn(data, 4, 3, 8, 8);
            int[] y = labels(4, 5);
            assertEquals(step(plain, x, y), step(ckpt, x, y));
            assertSameGrads(plain, ckpt);
            assertSameBuffers(plain, ckpt);
        }
        assertEquals(2f, ckpt.stateDict().get("1.num_batches_tracked").item(), "one count per forward, none for the recomputation");
    }

    @Test
    void resnet18StagesCheckpointedMatchBitForBit() {
        Models.Config cfg = new Models.Config(10, 3, 16, ResNet.Stem.SMALL, 32, 4);
        Module plain = Models.create("resnet18", cfg);
        Module ckpt = Checkpointing.apply(Models.create("resnet18", cfg), List.of("layer1", "layer2", "layer3", "layer4"));
        assertTrue(ckpt.get("layer3") instanceof Checkpointed);
        Tensor x = Tensor.randn(new Rng(9), 2, 3, 16, 16);
        int[] y = labels(2, 10);
        CheckpointTesting.warmUp(Models.create("resnet18", cfg), x, y);
        assertEquals(step(plain, x, y), step(ckpt, x, y));
        assertSameGrads(plain, ckpt);
        assertSameBuffers(plain, ckpt);
    }

    @Test
    void centerNetBackboneStagesCheckpointedMatchBitForBitAndSaveLess() {
        Models.Config cfg = new Models.Config(3, 3, 32, ResNet.Stem.IMAGENET, 32, 4);
        Module plain = Models.create("centernet-resnet18", cfg);
        Module ckpt = Checkpointing.checkpoint(Models.create("centernet-resnet18", cfg), 2); // --checkpoint-segments 2: the four stages
        assertTrue(ckpt.get("layer2") instanceof Checkpointed);
        assertEquals(plain.stateDict().keySet(), ckpt.stateDict().keySet());
        Tensor x = Tensor.randn(new Rng(9), 2, 3, 32, 32);
        var boxes = List.of(new io.descent.data.Boxes(new float[] {2, 3, 14, 20}, new int[] {1}),
                new io.descent.data.Boxes(new float[] {10, 10, 30, 28, 0, 0, 8, 8}, new int[] {0, 2}));
        io.descent.data.Batch b = new io.descent.data.Batch(x, new int[2], null, null, new int[2], boxes);
        Task task = new Task.Detection(3);
        long[] peaks = new long[2];
        float[] losses = new float[2];
        Module[] models = {plain, ckpt};
        for (int i = 0; i < 2; i++) {
            models[i].train();
            io.descent.autograd.SavedTensors.resetPeak();
            Tensor loss = task.loss(models[i].forward(x), b);
            peaks[i] = io.descent.autograd.SavedTensors.peakBytes();
            loss.backward();
            losses[i] = loss.item();
        }
        assertEquals(losses[0], losses[1]);
        assertSameGrads(plain, ckpt);
        assertSameBuffers(plain, ckpt);
        assertTrue(peaks[1] < peaks[0] * 0.6, "the tape keeps the stages' inputs only: " + peaks[1] + " vs " + peaks[0] + " bytes");
    }

    @Test
    void resnet18InSegmentsMatchesBitForBit() {
        Models.Config cfg = new Models.Config(10, 3, 16, ResNet.Stem.SMALL, 32, 4);
        Module plain = Models.create("resnet18", cfg);
        Module ckpt = Checkpointing.checkpointSequential(Models.create("resnet18", cfg), 4);
        Tensor x = Tensor.randn(new Rng(9), 2, 3, 16, 16);
        int[] y = labels(2, 10);
        CheckpointTesting.warmUp(Models.create("resnet18", cfg), x, y);
        assertEquals(step(plain, x, y), step(ckpt, x, y));
        assertSameGrads(plain, ckpt);
        assertSameBuffers(plain, ckpt);
    }

    @Test
    void frozenParametersStayWithoutGradient() {
        Sequential plain = CheckpointTesting.mlpWithDropout(2, 8);
        Sequential base = CheckpointTesting.mlpWithDropout(2, 8);
        for (Sequential s : List.of(plain, base)) for (Tensor p : s.get("0").parameters()) p.requiresGrad(false);
        Module ckpt = Checkpointing.checkpointSequential(base, 2);
        Tensor x = Tensor.randn(new Rng(3), 4, 32);
        step(plain, x, labels(4, 10));
        step(ckpt, x, labels(4, 10));
        assertNull(ckpt.stateDict().get("0.weight").grad());
        assertNotNull(ckpt.stateDict().get("3.weight").grad());
        assertArrayEquals(plain.stateDict().get("3.weight").grad().data(), ckpt.stateDict().get("3.weight").grad().data());
    }

    @Test
    void underNoGradNothingIsRecordedAndOutputsMatch() {
        Module plain = CheckpointTesting.cnnWithBatchNorm(2).eval();
        Module ckpt = Checkpointing.checkpointSequential(CheckpointTesting.cnnWithBatchNorm(2), 3).eval();
        Tensor x = Tensor.randn(new Rng(1), 2, 3, 8, 8);
        try (var off = GradMode.noGrad()) {
            Tensor out = ckpt.forward(x);
            assertNull(out.gradFn());
            assertArrayEquals(plain.forward(x).data(), out.data());
        }
    }

    @Test
    void retainedGraphRecomputesAgainWithTheSameResult() {
        Module ckpt = Checkpointing.checkpointSequential(CheckpointTesting.mlpWithDropout(3, 6), 3);
        Tensor loss = Losses.crossEntropy(ckpt.forward(Tensor.randn(new Rng(4), 8, 32)), labels(8, 10));
        loss.backward(Tensor.scalar(1f), true);
        float[] once = ckpt.stateDict().get("0.weight").grad().data().clone();
        ckpt.zeroGrad();
        loss.backward(Tensor.scalar(1f), false);
        assertArrayEquals(once, ckpt.stateDict().get("0.weight").grad().data());
    }
}
