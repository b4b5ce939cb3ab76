package io.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.descent.nn.Activation;
import io.descent.nn.BatchNorm;
import io.descent.nn.Conv2d;
import io.descent.nn.Dropout;
import io.descent.nn.Flatten;
import io.descent.nn.Linear;
import io.descent.nn.MaxPool2d;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.ops.Losses;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Small models and comparisons shared by the checkpointing tests. */
final class CheckpointTesting {
    private CheckpointTesting() {}

    /** Linear 32→64, then {@code hidden} × (ReLU, Dropout 0.3, Linear 64→64), then Linear 64→10; seeded. */
    static Sequential mlpWithDropout(int hidden, long seed) {
        Rng rng = new Rng(seed);
        Sequential s = new Sequential(new Linear(32, 64, true, rng));
        for (int i = 0; i < hidden; i++) {
            s.add(Activation.relu());
            s.add(new Dropout(0.3f, new Rng(seed * 100 + i)));
            s.add(new Linear(64, 64, true, rng));
        }
        s.add(Activation.relu());
        s.add(new Linear(64, 10, true, rng));
        return s;
    }

    /** Three conv + batch-norm + ReLU blocks, a max-pool, and a linear head on 3×8×8 images; seeded. */
    static Sequential cnnWithBatchNorm(long seed) {
        Rng rng = new Rng(seed);
        Sequential s = new Sequential();
        int in = 3;
        for (int out : new int[] {8, 8, 16}) {
            s.add(new Conv2d(in, out, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, rng));
            s.add(BatchNorm.batchNorm2d(out));
            s.add(Activation.relu());
            in = out;
        }
        s.add(new MaxPool2d(2, 2, 0));
        s.add(new Flatten());
        s.add(new Linear(16 * 4 * 4, 5, true, rng));
        return s;
    }

    /** {@code depth} × (Linear width→width, ReLU), as in the memory theory of Chen et al. */
    static Sequential deepMlp(int depth, int width, long seed) {
        Rng rng = new Rng(seed);
        Sequential s = new Sequential();
        for (int i = 0; i < depth; i++) {
            s.add(new Linear(width, width, true, rng));
            s.add(Activation.relu());
        }
        return s;
    }

    static int[] labels(int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (i * 7 + 3) % classes;
        return y;
    }

    /** One training step: forward, cross-entropy, backward. Returns the loss. */
    static float step(Module m, Tensor x, int[] y) {
        Tensor loss = Losses.crossEntropy(m.forward(x), y);
        loss.backward();
        return loss.item();
    }

    /**
     * Runs two training steps on a throwaway model so that the kernels are JIT-compiled before
     * a comparison: the Vector API's float {@code reduceLanes(ADD)} (batch-norm moments, sums)
     * adds in a different order when interpreted than when compiled by C2, so the first steps
     * of a fresh JVM can differ from later ones in the last bits, with or without checkpointing.
     */
    static void warmUp(Module throwaway, Tensor x, int[] y) {
        for (int i = 0; i < 2; i++) step(throwaway, x, y);
    }

    /** Every parameter gradient of {@code b} equals, bit for bit, the one of {@code a} under the same name. */
    static void assertSameGrads(Module a, Module b) {
        Map<String, Tensor> pa = a.namedParameters(), pb = b.namedParameters();
        assertEquals(List.copyOf(pa.keySet()), List.copyOf(pb.keySet()));
        for (var e : pa.entrySet()) {
            Tensor ga = e.getValue().grad(), gb = pb.get(e.getKey()).grad();
            assertNotNull(ga, e.getKey());
            assertNotNull(gb, "checkpointed run has no gradient for " + e.getKey());
            assertArrayEquals(ga.data(), gb.data(), e.getKey());
        }
    }

    /** Every buffer (running statistics, batch counts) of {@code b} equals, bit for bit, the one of {@code a}. */
    static void assertSameBuffers(Module a, Module b) {
        Map<String, Tensor> ba = a.namedBuffers(), bb = b.namedBuffers();
        assertEquals(List.copyOf(ba.keySet()), List.copyOf(bb.keySet()));
        for (var e : ba.entrySet()) assertArrayEquals(e.getValue().data(), bb.get(e.getKey()).data(), e.getKey());
    }
}
