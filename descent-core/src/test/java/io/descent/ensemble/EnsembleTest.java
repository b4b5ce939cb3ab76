package io.descent.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradCheck;
import io.descent.nn.Linear;
import io.descent.nn.Module;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleTest {
    @Test
    void givesTheLogOfTheMembersAveragedProbabilities() {
        Linear a = new Linear(4, 3, true, new Rng(1)), b = new Linear(4, 3, true, new Rng(2)), c = new Linear(4, 3, true, new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), 5, 4);
        float[] got = new Ensemble(List.of(a, b, c)).forward(x).data();
        float[][] logits = {a.forward(x).data(), b.forward(x).data(), c.forward(x).data()};
        for (int r = 0; r < 5; r++) {
            for (int k = 0; k < 3; k++) {
                double mean = 0;
                for (float[] l : logits) mean += softmax(l, r, k) / 3;
                assertEquals(Math.log(mean), got[r * 3 + k], 1e-5, "row " + r + " class " + k);
            }
        }
    }

    @Test
    void probabilitiesTooSmallForAFloatStayFinite() {
        // members sure of different classes: each gives the other's class e^-200, below float's range
        Tensor x = Tensor.of(new float[] {1}, 1, 1);
        Linear sureOf0 = fixed(200, 0), sureOf1 = fixed(0, 200);
        float[] got = new Ensemble(List.of(sureOf0, sureOf1)).forward(x).data();
        assertEquals(Math.log(0.5), got[0], 1e-6);
        assertEquals(Math.log(0.5), got[1], 1e-6);
    }

    @Test
    void oneMemberIsItsLogSoftmaxAndGradientsReachEveryMember() {
        Linear a = new Linear(3, 4, true, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 2, 3);
        float[] alone = io.descent.ops.Softmax.logSoftmax(a.forward(x), 1).data();
        assertArrayEquals(alone, new Ensemble(List.of(a)).forward(x).data(), 1e-7f);

        Linear b = new Linear(3, 4, true, new Rng(7));
        Tensor w0 = a.weight, w1 = b.weight;
        GradCheck.Mismatch m = GradCheck.check(in -> new Ensemble(List.of(a, b)).forward(in[0]).sum(), x.requiresGrad(true), w0, w1);
        assertEquals(null, m, () -> "ensemble gradient: " + m);
    }

    @Test
    void membersAreChildrenAndMismatchedOutputsAreRefused() {
        Module e = new Ensemble(List.of(new Linear(2, 3, true, new Rng(0)), new Linear(2, 3, true, new Rng(1))));
        assertTrue(e.stateDict().containsKey("1.weight"), e.stateDict().keySet().toString());
        Ensemble bad = new Ensemble(List.of(new Linear(2, 3, true, new Rng(0)), new Linear(2, 4, true, new Rng(1))));
        var err = assertThrows(IllegalArgumentException.class, () -> bad.forward(Tensor.zeros(1, 2)));
        assertEquals("Ensemble: member 1 gave [1, 4], member 0 [1, 3]", err.getMessage());
        assertEquals("Ensemble: needs at least one member", assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of())).getMessage());
    }

    private static Linear fixed(float bias0, float bias1) {
        Linear l = new Linear(1, 2, true, new Rng(0));
        l.weight.data()[0] = 0;
        l.weight.data()[1] = 0;
        l.bias.data()[0] = bias0;
        l.bias.data()[1] = bias1;
        return l;
    }

    private static double softmax(float[] logits, int row, int k) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < 3; j++) max = Math.max(max, logits[row * 3 + j]);
        for (int j = 0; j < 3; j++) sum += Math.exp(logits[row * 3 + j] - max);
        return Math.exp(logits[row * 3 + k] - max) / sum;
    }
}
