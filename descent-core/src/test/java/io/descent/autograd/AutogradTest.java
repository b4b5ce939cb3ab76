package io.descent.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.ops.GradCheckSupport;
import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutogradTest {
    @Test
    void aJoinAddsAPassedThroughGradientIntoAFreshOneAndLeavesTheFirstAlone() {
        // add passes its gradient G through to x and to mul; mul's 2G arrives second and owns
        // its array, so G is added into it: x.grad = 3G, and the caller's G is untouched
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 4).requiresGrad(true);
        Tensor y = x.add(x.mul(2f));
        Tensor g = Tensor.of(new float[] {1, -2, 0.5f, 4}, 4);
        y.backward(g);
        assertArrayEquals(new float[] {3, -6, 1.5f, 12}, x.grad().data(), 0f);
        assertArrayEquals(new float[] {1, -2, 0.5f, 4}, g.data(), 0f, "the output gradient was written into");
    }

    @Test
    void gradientsAddUntilZeroed() {
        Tensor w = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, w.grad().toArray());
        w.mul(w).sum().backward();
        assertArrayEquals(new float[] {4, 8, 12}, w.grad().toArray(), "gradients add into .grad");
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void sharedSubexpressionGetsBothContributions() {
        Tensor x = Tensor.of(3f).requiresGrad(true);
        Tensor y = x.mul(x);           // x²
        Tensor z = y.add(y).add(x);    // 2x² + x, y used twice
        z.sum().backward();
        assertEquals(13f, x.grad().item(), 1e-6); // 4x + 1
    }

    @Test
    void noGradScopeRecordsNothingAndRestores() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        try (var ng = GradMode.noGrad()) {
            Tensor y = x.mul(x);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (var inner = GradMode.enableGrad()) {
                assertTrue(x.mul(x).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertNotNull(x.mul(x).gradFn());
    }

    @Test
    void detachCutsTheTape() {
        Tensor x = Tensor.of(2f).requiresGrad(true);
        Tensor y = x.mul(x).detach().mul(x); // d/dx = x² (detached part is constant) = 4
        y.sum().backward();
        assertEquals(4f, x.grad().item(), 1e-6);
    }

    @Test
    void backwardTwiceNeedsRetainedGraph() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor loss = x.exp().sum();
        loss.backward(Tensor.scalar(1f), true);
        loss.backward(Tensor.scalar(1f), true);
        assertEquals(2 * Math.E, x.grad().get(0), 1e-5);
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("retain"), e.getMessage());
    }

    @Test
    void backwardNeedsScalarOrGradient() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor y = x.mul(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.zeros(3)));
        assertEquals("backward: gradient shape [3] does not match the tensor's shape [2]", e2.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.of(1f).backward());
    }

    @Test
    void tapeCountsSavedBytesAndFreesThemInBackward() {
        long base = SavedTensors.currentBytes();
        SavedTensors.resetPeak();
        Tensor x = Tensor.zeros(1000).requiresGrad(true);
        Tensor y = x.exp();             // saves its output: 4000 bytes
        Tensor z = y.relu();            // saves its output: 4000 bytes
        assertEquals(base + 8000, SavedTensors.currentBytes());
        z.sum().backward();
        assertEquals(base, SavedTensors.currentBytes(), "backward frees what the tape saved");
        assertTrue(SavedTensors.peakBytes() >= base + 8000);
        SavedTensors.resetPeak();
        assertEquals(SavedTensors.currentBytes(), SavedTensors.peakBytes());
    }

    @Test
    void noGradSavesNothing() {
        long base = SavedTensors.currentBytes();
        Tensor x = Tensor.zeros(1000).requiresGrad(true);
        try (var ng = GradMode.noGrad()) {
            x.exp().relu();
        }
        assertEquals(base, SavedTensors.currentBytes());
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(1f).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = y.add(0f);
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void gradCheckCatchesAWrongGradient() {
        // an op whose backward is deliberately off by a factor of 2
        java.util.function.Function<Tensor[], Tensor> wrong = in -> {
            Tensor a = in[0];
            Tensor out = Tensor.wrap(a.toArray(), a.shape());
            if (!Autograd.needsGrad(a)) return out;
            return Autograd.record(out, new Node(a) {
                @Override
                protected Tensor[] backward(Tensor g) {
                    return new Tensor[] {g.mul(2f)};
                }
            });
        };
        assertNotNull(GradCheck.check(wrong, GradCheckSupport.input(3, 4)));
        assertNull(GradCheck.check(in -> in[0].mul(2f), GradCheckSupport.input(3, 4)));
    }

    @Test
    void adoptedGradientsNeverAliasTheCallersTensors() {
        Tensor w = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        Tensor g = Tensor.ones(3);
        w.add(1f).backward(g);            // a pass-through: the leaf must copy, not adopt, the caller's gradient
        w.add(1f).backward(g);
        assertArrayEquals(new float[] {1, 1, 1}, g.toArray(), "the caller's gradient is never modified");
        assertArrayEquals(new float[] {2, 2, 2}, w.grad().toArray());
        Tensor v = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor both = v.mul(v);           // one array returned for two edges into the same leaf
        both.sum().backward();
        assertArrayEquals(new float[] {2, 4}, v.grad().toArray());
    }
}
