package io.descent.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.nn.Activation;
import io.descent.ops.Activations;
import io.descent.ops.Arithmetic;
import io.descent.nn.BatchNorm;
import io.descent.nn.Conv2d;
import io.descent.nn.Flatten;
import io.descent.nn.Linear;
import io.descent.nn.MaxPool2d;
import io.descent.nn.Sequential;
import io.descent.ops.Losses;
import io.descent.optim.SGD;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backward pass hands consumed intermediate gradients to {@link BufferPool}: a second
 * step, whose kernels then write into reused (dirty) arrays, gives the same bits as the
 * first, and no array a leaf's {@code .grad} holds is ever in the pool. A cleared leaf
 * gradient goes back too, unless someone was given it.
 */
class GradientRecyclingTest {
    @AfterEach
    void empty() {
        BufferPool.clear();
    }

    @Test
    void reusedArraysGiveTheSameGradientsAndLeafGradientsStayOut() {
        BufferPool.clear();
        Rng rng = new Rng(3);
        Sequential net = new Sequential(new Conv2d(3, 8, 3, 1, 1), Activation.relu(), new MaxPool2d(2),
                new Conv2d(8, 8, 3, 1, 1), BatchNorm.batchNorm2d(8), Activation.relu(), new Flatten(), new Linear(8 * 16 * 16, 10, true, rng));
        Tensor x = Tensor.randn(new Rng(4), 16, 3, 32, 32).requiresGrad(true);
        int[] y = new int[16];
        for (int i = 0; i < y.length; i++) y[i] = i % 10;
        List<float[]> first = step(net, x, y);
        assertTrue(BufferPool.pooledBytes() > 0, "intermediate gradients were handed back");
        List<Tensor> leaves = new ArrayList<>(net.parameters());
        leaves.add(x);
        for (Tensor leaf : leaves) {
            if (leaf.numel() < BufferPool.MIN_LENGTH) continue;
            for (int i = 0; i < 4; i++) assertNotSame(leaf.grad().data(), BufferPool.take(leaf.numel()), "a leaf's gradient is in the pool");
        }
        net.zeroGrad();
        x.zeroGrad();
        List<float[]> second = step(net, x, y);
        for (int i = 0; i < first.size(); i++) assertArrayEquals(first.get(i), second.get(i), 0f, "gradient " + i);
    }

    private static List<float[]> step(Sequential net, Tensor x, int[] y) {
        Losses.crossEntropy(net.forward(x), y).backward();
        List<float[]> grads = new ArrayList<>();
        for (Tensor p : net.parameters()) grads.add(p.grad().toArray());
        grads.add(x.grad().toArray());
        return grads;
    }

    /**
     * relu(relu(x) + relu(x)) hands one masked gradient to both relus: it goes back once both
     * have consumed it, and the second relu's gradient, added into the first's, goes back too;
     * the first becomes x's gradient. The values are those of the chain rule.
     */
    @Test
    void aGradientTwoInputsShareGoesBackOnceBothHaveReadIt() {
        int n = BufferPool.MIN_LENGTH;
        Tensor x = Tensor.randn(new Rng(6), n).requiresGrad(true);
        Tensor out = Arithmetic.addRelu(Activations.relu(x), Activations.relu(x));
        Tensor g = Tensor.randn(new Rng(7), n);
        BufferPool.clear();
        out.backward(g);
        assertEquals(2 * 4L * n, BufferPool.pooledBytes(), "the shared gradient and the one added into x's");
        for (int i = 0; i < n; i++) {
            float want = x.data()[i] > 0 ? 2 * g.data()[i] : 0f;
            assertEquals(want, x.grad().data()[i], 0f, "element " + i);
        }
    }

    /** (x + x)·x: add passes its gradient to both of its inputs, the same leaf, whose sum must not be written into what the other still reads. */
    @Test
    void aPassedOnGradientIsNeverWrittenWhileAnotherInputHoldsIt() {
        int n = BufferPool.MIN_LENGTH;
        Tensor x = Tensor.randn(new Rng(8), n).requiresGrad(true);
        Tensor y = x.add(x).mul(x);
        y.backward(Tensor.ones(n));
        for (int i = 0; i < n; i++) assertEquals(4 * x.data()[i], x.grad().data()[i], 1e-5f * Math.abs(x.data()[i]) + 1e-6f, "element " + i);
    }

    /** A Linear whose weight gradient (256×256) is long enough to be pooled. */
    private static Linear layer() {
        return new Linear(256, 256, true, new Rng(5));
    }

    private static void backward(Linear l, long seed) {
        Losses.crossEntropy(l.forward(Tensor.randn(new Rng(seed), 8, 256)), new int[] {0, 1, 2, 3, 4, 5, 6, 7}).backward();
    }

    @Test
    void aClearedGradientThatNobodyWasGivenServesTheNextBackward() {
        Linear l = layer();
        backward(l, 1);
        float[] first = l.weight.gradArray(), values = first.clone();
        l.zeroGrad();
        backward(l, 1);
        assertSame(first, l.weight.gradArray(), "the cleared array was reused");
        assertArrayEquals(values, l.weight.gradArray(), 0f, "and holds the same gradient");
    }

    @Test
    void aGradientHandedOutStaysAsItWas() {
        Linear l = layer();
        backward(l, 1);
        Tensor kept = l.weight.grad();
        float[] values = kept.toArray();
        l.zeroGrad();
        backward(l, 2);
        assertNotSame(kept.data(), l.weight.gradArray());
        assertArrayEquals(values, kept.data(), 0f, "a gradient someone holds is never overwritten");
    }

    @Test
    void aGradientSetByTheCallerIsNeverReused() {
        Linear l = layer();
        Tensor mine = Tensor.full(7f, 256, 256);
        l.weight.setGrad(mine);
        l.zeroGrad();
        backward(l, 1);
        assertNotSame(mine.data(), l.weight.gradArray());
        for (float v : mine.data()) assertTrue(v == 7f, "the caller's gradient was overwritten");
    }

    @Test
    void optimizerStepsOnReusedGradientsMatchStepsOnFreshOnes() {
        Linear reused = layer(), fresh = layer();
        SGD a = new SGD(reused.namedParameters(), 0.1, 0.9, 0, 1e-4, false), b = new SGD(fresh.namedParameters(), 0.1, 0.9, 0, 1e-4, false);
        for (int step = 0; step < 4; step++) {
            a.zeroGrad();
            backward(reused, step);
            a.step();
            b.zeroGrad();
            backward(fresh, step);
            fresh.weight.grad(); // handed out: this run's arrays are never reused
            b.step();
        }
        assertArrayEquals(fresh.weight.data(), reused.weight.data(), 0f);
        assertArrayEquals(fresh.bias.data(), reused.bias.data(), 0f);
    }
}
