package io.descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.SavedTensors;
import io.descent.nn.Module;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The tape's peak saved bytes with s segments is what the theory of Chen et al. (2016) says:
 * the inputs of the s − 1 checkpointed segments plus the activations of one segment, instead
 * of the activations of every layer.
 */
class CheckpointMemoryTest {
    static final int DEPTH = 16, WIDTH = 256, BATCH = 256;

    @Test
    void peakSavedBytesFollowsTheory() {
        Tensor x = Tensor.randn(new Rng(1), BATCH, WIDTH);
        long plain = measure(CheckpointTesting.deepMlp(DEPTH, WIDTH, 2), x);
        assertEquals(theory(1), plain, "plain run: every layer's saved tensors");
        for (int s : new int[] {2, 4, 8}) {
            long peak = measure(Checkpointing.checkpointSequential(CheckpointTesting.deepMlp(DEPTH, WIDTH, 2), s), x);
            long expected = theory(s);
            System.out.printf("segments %d: peak %d bytes, theory %d, plain %d%n", s, peak, expected, plain);
            assertTrue(peak < plain, s + " segments: " + peak + " >= plain " + plain);
            assertTrue(Math.abs(peak - expected) <= 0.02 * expected, s + " segments: measured " + peak + " vs theory " + expected);
        }
        // √16 = 4 segments of 4 layers: 3 checkpoints + 4 layers' 8 activations = 11 of the plain run's 32
        assertTrue(measure(Checkpointing.checkpointSequential(CheckpointTesting.deepMlp(DEPTH, WIDTH, 2), 4), x) < plain * 12 / 32);
    }

    /** Peak bytes on the tape during one forward and backward, above what it held before. */
    private static long measure(Module m, Tensor x) {
        settle();
        long base = SavedTensors.currentBytes();
        SavedTensors.resetPeak();
        Tensor out = m.forward(x);
        out.backward(Tensor.ones(out.shape()));
        return SavedTensors.peakBytes() - base;
    }

    /** Lets the collector free graphs other tests never ran backward on, so the base does not move mid-measurement. */
    private static void settle() {
        long before;
        int tries = 0;
        do {
            before = SavedTensors.currentBytes();
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } while (SavedTensors.currentBytes() != before && ++tries < 10);
    }

    /**
     * The tape's figure for {@code segments} segments of the 2·DEPTH steps (Linear, ReLU, ...),
     * counted as the ops count it: a Linear saves its input (its weight is a parameter, not
     * counted); a ReLU saves its output; a checkpoint saves its input. After forward the tape
     * holds s − 1 checkpoints and the last segment; while segment k (from 0) is recomputed it
     * holds checkpoints 0..k and segment k.
     */
    static long theory(int segments) {
        long act = 4L * BATCH * WIDTH;
        int steps = 2 * DEPTH;
        int[] b = new int[segments + 1];
        for (int k = 0; k <= segments; k++) b[k] = k * steps / segments;
        if (segments == 1) return segmentBytes(0, steps, false);
        long peak = (segments - 1) * act + segmentBytes(b[segments - 1], steps, true);
        for (int k = segments - 2; k >= 0; k--) peak = Math.max(peak, (k + 1) * act + segmentBytes(b[k], b[k + 1], k > 0));
        return peak;
    }

    private static long segmentBytes(int from, int to, boolean inputRequiresGrad) {
        // each step saves one activation; weights are parameters, which the tape does not count
        return 4L * BATCH * WIDTH * (to - from);
    }

    @Test
    void theoryOfThePlainRunIsEveryLayer() {
        // 16 Linear inputs + 16 ReLU outputs (the weights are parameters: not counted)
        long act = 4L * BATCH * WIDTH;
        assertEquals(16 * act + 16 * act, theory(1));
    }
}
