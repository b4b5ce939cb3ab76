package io.descent.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ops whose output needs no gradient take its array from {@link BufferPool}, stale values and
 * all: each must write every element. Every case here runs once recording a gradient (a fresh,
 * zeroed array) and once without, on a pool holding only NaN-filled arrays of the output's
 * length, and must give the same bits. The outputs are at least {@link BufferPool#MIN_LENGTH}
 * long, so the pool does serve them (checked).
 */
class PooledOutputTest {
    private final Rng rng = new Rng(11);

    @AfterEach
    void emptyPool() {
        BufferPool.clear();
    }

    private Tensor randn(int... shape) {
        return Tensor.randn(rng, shape).requiresGrad(true);
    }

    /** {@code op} on inputs that require grad, then on a pool of NaN arrays under no-grad. */
    private static void check(String what, Supplier<Tensor> op) {
        BufferPool.clear();
        float[] expected = op.get().data().clone();
        assertTrue(expected.length >= BufferPool.MIN_LENGTH, what + ": too short to be pooled");
        BufferPool.clear();
        for (int i = 0; i < 2; i++) {
            float[] poison = new float[expected.length];
            Arrays.fill(poison, Float.NaN);
            BufferPool.give(poison);
        }
        long before = BufferPool.pooledBytes();
        float[] got;
        try (var ng = GradMode.noGrad()) {
            got = op.get().data();
        }
        assertEquals(before - 4L * expected.length, BufferPool.pooledBytes(), what + ": the output came from the pool");
        assertArrayEquals(expected, got, 0f, what);
    }

    @Test
    void convolutionsWriteEveryElementOnEveryPath() {
        // n, c, h, w, o, k, stride, padding, dilation, groups: one channel; Winograd (batch 2, and one
        // image in phases); small planes batched; im2col 5×5 strided; 1×1; grouped; dilated; depthwise
        int[][] layers = {
            {2, 1, 64, 64, 16, 3, 1, 1, 1, 1}, {2, 32, 32, 32, 32, 3, 1, 1, 1, 1}, {1, 64, 32, 32, 64, 3, 1, 1, 1, 1},
            {64, 16, 9, 9, 32, 3, 2, 1, 1, 1}, {2, 8, 64, 64, 16, 5, 2, 2, 1, 1}, {2, 16, 32, 32, 32, 1, 1, 0, 1, 1},
            {2, 16, 32, 32, 32, 3, 1, 1, 1, 4}, {2, 8, 40, 40, 16, 3, 1, 2, 2, 1}, {2, 16, 64, 64, 16, 3, 1, 1, 1, 16}};
        for (int[] l : layers) {
            Tensor x = randn(l[0], l[1], l[2], l[3]), w = randn(l[4], l[1] / l[9], l[5], l[5]), b = randn(l[4]);
            int[] s = {l[6], l[6]}, p = {l[7], l[7]}, d = {l[8], l[8]};
            String name = Arrays.toString(l);
            check("conv2d " + name, () -> Conv.conv2d(x, w, b, s, p, d, l[9]));
            check("conv2d no bias " + name, () -> Conv.conv2d(x, w, null, s, p, d, l[9]));
            check("conv2d+relu " + name, () -> Conv.conv2dRelu(x, w, b, s, p, d, l[9]));
        }
        Tensor x = randn(2, 16, 16, 16), w = randn(16, 16, 4, 4), b = randn(16);
        check("conv_transpose2d", () -> Conv.convTranspose2d(x, w, b, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, 1, new int[] {1, 1}));
    }

    @Test
    void linearLayersWriteEveryElement() {
        // a training batch (tiled GEMM) and a small batch against a wide weight (GemmDot)
        for (int[] l : new int[][] {{128, 784, 512}, {8, 1024, 4096}}) {
            Tensor x = randn(l[0], l[1]), w = randn(l[2], l[1]), b = randn(l[2]);
            String name = Arrays.toString(l);
            check("linear " + name, () -> MatMul.linear(x, w, b));
            check("linear no bias " + name, () -> MatMul.linear(x, w, null));
            check("linear+relu " + name, () -> MatMul.linearRelu(x, w, b));
        }
    }

    @Test
    void elementwisePoolingAndNormalisationWriteEveryElement() {
        Tensor a = randn(2, 16, 32, 32), b = randn(2, 16, 32, 32);
        check("relu", () -> Activations.relu(a));
        check("add_relu", () -> Arithmetic.addRelu(a, b));
        Tensor tall = randn(2, 16, 128, 64), square = randn(2, 16, 128, 128), odd = randn(2, 16, 50, 50);
        check("max_pool2d 2×2", () -> Pool.maxPool2d(tall, 2, 2));
        check("max_pool2d 3×3 s2 p1", () -> Pool.maxPool2d(square, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, false));
        check("avg_pool2d 3×3 s2 p1 ceil", () -> Pool.avgPool2d(square, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, false));
        check("adaptive_avg_pool2d 50 → 32", () -> Pool.adaptiveAvgPool2d(odd, 32, 32));
        Tensor mean = Tensor.uniform(rng, -0.5f, 0.5f, 16), var = Tensor.uniform(rng, 0.5f, 2f, 16), gamma = randn(16), beta = randn(16);
        check("batch_norm eval", () -> Norm.batchNorm(a, mean, var, gamma, beta, false, 0.1f, 1e-5f));
        check("batch_norm training", () -> Norm.batchNorm(a, null, null, gamma, beta, true, 0.1f, 1e-5f));
        check("batch_norm+relu eval", () -> Norm.batchNormRelu(a, mean, var, gamma, beta, false, 0.1f, 1e-5f));
        Tensor w = randn(16, 16, 3, 3);
        check("conv2d+batch_norm folded", () -> {
            try (var ng = GradMode.noGrad()) {
                return ConvBatchNorm.conv2dBatchNorm(a.detach(), w.detach(), null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1,
                        mean, var, gamma.detach(), beta.detach(), 1e-5f, true);
            }
        });
    }

    /**
     * Max pooling's argmax positions, saved for backward, come from the pool (stale values: each
     * must be written) and go back once backward has used them, but not while the graph is
     * retained.
     */
    @Test
    void maxPoolPositionsArePooledAndGoBackAfterBackward() {
        Tensor x = randn(2, 16, 128, 128);
        int[] k = {3, 3}, st = {2, 2}, p = {1, 1}, d = {1, 1};
        Tensor g = Tensor.randn(rng, 2, 16, 64, 64);
        BufferPool.clear();
        Pool.maxPool2d(x, k, st, p, d, false).backward(g);
        float[] expected = x.grad().data().clone();
        for (boolean retain : new boolean[] {false, true}) {
            x.zeroGrad();
            BufferPool.clear();
            int[] stale = new int[2 * 16 * 64 * 64]; // every position 0: a valid index, but wrong almost everywhere
            BufferPool.give(stale);
            Tensor y = Pool.maxPool2d(x, k, st, p, d, false);
            assertTrue(stale != BufferPool.takeInts(stale.length), "in use by the graph");
            y.backward(g, retain);
            assertArrayEquals(expected, x.grad().data(), 0f, "gradient over stale positions, retain " + retain);
            boolean back = stale == BufferPool.takeInts(stale.length);
            assertEquals(!retain, back, retain ? "kept while the graph is retained" : "back in the pool after backward");
        }
    }
}
