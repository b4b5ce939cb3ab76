package io.descent.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The folded convolution + evaluation-mode batch norm against the two ops run in turn, over
 * the convolution paths (per-image GEMMs, small planes, Winograd's 3×3, 1×1, strided,
 * grouped, dilated), with and without the optional tensors and the ReLU; and its refusals.
 */
class ConvBatchNormTest {
    private record Case(String name, int n, int c, int h, int o, int k, int stride, int pad, int dilation, int groups) {}

    private static final Case[] CASES = {
        new Case("3x3 pad 1 (Winograd)", 2, 16, 20, 16, 3, 1, 1, 1, 1),
        new Case("1x1 pointwise", 2, 24, 14, 40, 1, 1, 0, 1, 1),
        new Case("1x1 stride 2", 2, 24, 14, 40, 1, 2, 0, 1, 1),
        new Case("7x7 stride 2 pad 3", 2, 3, 30, 8, 7, 2, 3, 1, 1),
        new Case("3x3 small planes", 3, 8, 7, 12, 3, 1, 1, 1, 1),
        new Case("3x3 groups 2, dilation 2", 2, 8, 16, 6, 3, 1, 2, 2, 2),
    };

    @Test
    void equalsBatchNormAfterConv2d() {
        Rng rng = new Rng(11);
        for (Case t : CASES) {
            for (int variant = 0; variant < 4; variant++) {
                boolean relu = (variant & 1) != 0, optional = (variant & 2) != 0;
                Tensor x = Tensor.randn(rng, t.n, t.c, t.h, t.h);
                Tensor w = Tensor.randn(rng, t.o, t.c / t.groups, t.k, t.k).mul(0.3f);
                Tensor b = optional ? Tensor.randn(rng, t.o) : null;
                Tensor mean = Tensor.uniform(rng, -1f, 1f, t.o), var = Tensor.uniform(rng, 0.2f, 3f, t.o);
                Tensor gamma = optional ? Tensor.uniform(rng, -2f, 2f, t.o) : null, beta = optional ? Tensor.randn(rng, t.o) : null;
                int[] s = {t.stride}, p = {t.pad}, d = {t.dilation};
                Tensor ref = Norm.batchNorm(Conv.conv2d(x, w, b, s, p, d, t.groups), mean, var, gamma, beta, false, 0.1f, 1e-5f);
                if (relu) ref = Activations.relu(ref);
                Tensor got = ConvBatchNorm.conv2dBatchNorm(x, w, b, s, p, d, t.groups, mean, var, gamma, beta, 1e-5f, relu);
                assertClose(ref, got, t.name + (relu ? " + relu" : "") + (optional ? " with bias, gamma, beta" : ""));
            }
        }
    }

    /** Rounding differs (the scale multiplies each weight, not each sum): a bound relative to the output's scale. */
    private static void assertClose(Tensor ref, Tensor got, String what) {
        assertEquals(java.util.Arrays.toString(ref.shape()), java.util.Arrays.toString(got.shape()), what + ": shape");
        float[] r = ref.toArray(), g = got.toArray();
        double scale = 0;
        for (float v : r) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < r.length; i++) {
            int at = i;
            assertTrue(Math.abs(r[i] - g[i]) <= 1e-5 * scale + 1e-6, () -> what + ": element " + at + " is " + g[at] + ", batch_norm(conv2d) gives " + r[at]);
        }
    }

    @Test
    void refusesWhatWouldNeedAGradient() {
        Tensor x = Tensor.zeros(1, 2, 5, 5).requiresGrad(true), w = Tensor.zeros(3, 2, 3, 3), m = Tensor.zeros(3), v = Tensor.ones(3);
        var e = assertThrows(IllegalStateException.class, () -> ConvBatchNorm.conv2dBatchNorm(x, w, null, new int[] {1}, new int[] {1}, new int[] {1}, 1, m, v, null, null, 1e-5f, false));
        assertTrue(e.getMessage().startsWith("conv2d_batch_norm: folds the normalisation into the weights for inference and has no backward"), e.getMessage());
        try (var ng = GradMode.noGrad()) {
            assertEquals(3, ConvBatchNorm.conv2dBatchNorm(x, w, null, new int[] {1}, new int[] {1}, new int[] {1}, 1, m, v, null, null, 1e-5f, false).size(1));
        }
    }

    @Test
    void refusesMismatchedStatistics() {
        Tensor x = Tensor.zeros(1, 2, 5, 5), w = Tensor.zeros(3, 2, 3, 3);
        int[] one = {1};
        var e = assertThrows(IllegalArgumentException.class, () -> ConvBatchNorm.conv2dBatchNorm(x, w, null, one, one, one, 1, Tensor.zeros(4), Tensor.ones(3), null, null, 1e-5f, false));
        assertEquals("conv2d_batch_norm: running_mean [4] does not match the 3 output channels of the weight; expected [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvBatchNorm.conv2dBatchNorm(x, w, null, one, one, one, 1, null, null, null, null, 1e-5f, false));
        assertEquals("conv2d_batch_norm: needs running_mean and running_var", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvBatchNorm.conv2dBatchNorm(x, w, null, one, one, one, 1, Tensor.zeros(3), Tensor.ones(3), null, null, -1f, false));
        assertEquals("conv2d_batch_norm: eps must be finite and non-negative, got -1.0", e.getMessage());
        // the convolution's own checks still speak for it
        e = assertThrows(IllegalArgumentException.class, () -> ConvBatchNorm.conv2dBatchNorm(Tensor.zeros(1, 5, 5, 5), w, null, one, one, one, 1, Tensor.zeros(3), Tensor.ones(3), null, null, 1e-5f, false));
        assertTrue(e.getMessage().startsWith("conv2d: "), e.getMessage());
    }

    @Test
    void theFoldedWeightsGoBackToThePool() {
        BufferPool.clear();
        Tensor x = Tensor.zeros(1, 64, 6, 6), w = Tensor.zeros(64, 64, 3, 3); // 36,864 floats: pooled
        int[] one = {1};
        ConvBatchNorm.conv2dBatchNorm(x, w, null, one, one, one, 1, Tensor.zeros(64), Tensor.ones(64), null, null, 1e-5f, false);
        assertEquals(4L * w.numel(), BufferPool.pooledBytes());
        ConvBatchNorm.conv2dBatchNorm(x, w, null, one, one, one, 1, Tensor.zeros(64), Tensor.ones(64), null, null, 1e-5f, false);
        assertEquals(4L * w.numel(), BufferPool.pooledBytes(), "the second call reuses the array");
        BufferPool.clear();
    }
}
