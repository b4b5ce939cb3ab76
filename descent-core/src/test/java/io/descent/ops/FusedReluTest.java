package io.descent.ops;

import static io.descent.ops.GradCheckSupport.assertGradients;
import static io.descent.ops.GradCheckSupport.input;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.descent.autograd.GradCheck;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code linearRelu}, {@code conv2dRelu} and {@code conv2dReluMaxPool}: finite-difference gradients, and the
 * same bits as ReLU applied after the plain op, forward and backward (both convolution paths:
 * planes under 100 pixels go through ConvBatched, larger ones through the per-image GEMMs).
 */
class FusedReluTest {
    static int[] p(int... v) {
        return v;
    }

    @Test
    void gradientsOfTheFusedOps() {
        assertGradients("linearRelu", x -> MatMul.linearRelu(x[0], x[1], x[2]), input(1, 3, 5), input(2, 4, 5), input(3, 4));
        assertGradients("linearRelu no bias", x -> MatMul.linearRelu(x[0], x[1], null), input(1, 2, 3, 5), input(2, 4, 5));
        // Steps 10x smaller than the default, so that no step crosses ReLU's kink among these
        // hundreds of outputs (a step of the bias moves every pre-activation of its channel
        // and would: its gradient is checked bit for bit against conv2d + relu below).
        Tensor bias = Tensor.uniform(new Rng(3), -1f, 1f, 4);
        check("conv2dRelu small planes", x -> Conv.conv2dRelu(x[0], x[1], bias, p(1), p(1), p(1), 1), input(1, 2, 3, 5, 6), input(2, 4, 3, 3, 3));
        Tensor w = Tensor.uniform(new Rng(4), -1f, 1f, 4, 1, 3, 3); // each weight feeds a quarter of the outputs, like the bias
        check("conv2dRelu large planes, groups 2", x -> Conv.conv2dRelu(x[0], w, bias, p(1), p(1), p(1), 2), input(3, 1, 2, 10, 11));
    }

    @Test
    void gradientsOfBatchNormReluAndAddRelu() {
        check("batchNormRelu training", x -> Norm.batchNormRelu(x[0], null, null, x[1], x[2], true, 0.1f, 1e-5f), input(5, 3, 2, 2, 3), input(6, 2), input(7, 2));
        Tensor rm = Tensor.uniform(new Rng(8), -0.5f, 0.5f, 2), rv = Tensor.uniform(new Rng(9), 0.5f, 1.5f, 2);
        check("batchNormRelu eval", x -> Norm.batchNormRelu(x[0], rm, rv, x[1], x[2], false, 0.1f, 1e-5f), input(5, 3, 2, 2, 3), input(6, 2), input(7, 2));
        check("addRelu", x -> Arithmetic.addRelu(x[0], x[1]), input(10, 3, 4), input(11, 3, 4));
    }

    @Test
    void batchNormReluIsReluAfterBatchNorm() {
        for (boolean training : new boolean[] {true, false}) {
            Tensor rmA = Tensor.uniform(new Rng(20), -0.5f, 0.5f, 16), rvA = Tensor.uniform(new Rng(21), 0.5f, 1.5f, 16);
            Tensor rmB = rmA.copy(), rvB = rvA.copy();
            sameAsUnfused(x -> Norm.batchNormRelu(x[0], rmA, rvA, x[1], x[2], training, 0.1f, 1e-5f),
                    x -> Activations.relu(Norm.batchNorm(x[0], rmB, rvB, x[1], x[2], training, 0.1f, 1e-5f)), 30, p(8, 16, 9, 9), p(16), p(16));
            assertArrayEquals(rmB.toArray(), rmA.toArray(), 0f, "running mean");
            assertArrayEquals(rvB.toArray(), rvA.toArray(), 0f, "running var");
        }
    }

    @Test
    void addReluIsReluAfterAdd() {
        sameAsUnfused(x -> Arithmetic.addRelu(x[0], x[1]), x -> Activations.relu(x[0].add(x[1])), 40, p(4, 8, 33, 33), p(4, 8, 33, 33));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Arithmetic.addRelu(Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertEquals("add_relu: shapes [2, 3] and [3] differ (it does not broadcast)", e.getMessage());
    }

    private static void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Mismatch m = GradCheck.check(f, inputs, 1e-3, 1e-2, 2e-2);
        assertNull(m, () -> what + ": " + m);
    }

    @Test
    void linearReluIsReluAfterLinear() {
        sameAsUnfused(x -> MatMul.linearRelu(x[0], x[1], x[2]), x -> Activations.relu(MatMul.linear(x[0], x[1], x[2])), 5, p(70, 300), p(200, 300), p(200));
    }

    @Test
    void conv2dReluIsReluAfterConv2d() {
        for (int side : new int[] {7, 16}) { // ConvBatched, then per-image GEMMs
            sameAsUnfused(x -> Conv.conv2dRelu(x[0], x[1], x[2], p(1), p(1), p(1), 1),
                    x -> Activations.relu(Conv.conv2d(x[0], x[1], x[2], p(1), p(1), p(1), 1)), side, p(6, 8, side, side), p(16, 8, 3, 3), p(16));
        }
    }

    @Test
    void conv2dReluMaxPoolIsMaxPoolAfterReluAfterConv2d() {
        // windows that tile the plane, overlapping ones with padding and ceil mode, dilation,
        // groups, no bias; planes for ConvBatched (7) and the per-image GEMMs (16)
        int[][] pools = {{2, 2, 0, 1, 0}, {3, 2, 1, 1, 1}, {2, 1, 0, 2, 0}, {3, 3, 1, 1, 1}};
        for (int side : new int[] {7, 16}) {
            for (int[] q : pools) {
                int[] k = p(q[0]), st = p(q[1]), pad = p(q[2]), dil = p(q[3]);
                boolean ceil = q[4] == 1;
                sameAsUnfused("Conv2dReluMaxPoolBackward", x -> Conv.conv2dReluMaxPool(x[0], x[1], x[2], p(1), p(1), p(1), 1, k, st, pad, dil, ceil),
                        x -> Pool.maxPool2d(Activations.relu(Conv.conv2d(x[0], x[1], x[2], p(1), p(1), p(1), 1)), k, st, pad, dil, ceil),
                        60 + side + q[0], p(3, 4, side, side), p(8, 4, 3, 3), p(8));
            }
        }
        sameAsUnfused("Conv2dReluMaxPoolBackward", x -> Conv.conv2dReluMaxPool(x[0], x[1], null, p(2), p(0), p(1), 2, p(2), p(2), p(0), p(1), false),
                x -> Pool.maxPool2d(Activations.relu(Conv.conv2d(x[0], x[1], null, p(2), p(0), p(1), 2)), p(2), p(2), p(0), p(1), false),
                90, p(2, 4, 11, 9), p(6, 2, 3, 3));
    }

    @Test
    void gradientsOfConvReluMaxPool() {
        Tensor bias = Tensor.uniform(new Rng(5), -1f, 1f, 3);
        check("conv2dReluMaxPool", x -> Conv.conv2dReluMaxPool(x[0], x[1], bias, p(1), p(1), p(1), 1, p(2), p(2), p(0), p(1), false),
                input(1, 2, 2, 6, 6), input(2, 3, 2, 3, 3));
    }

    /** Forward values and every input's gradient, bit for bit, under an upstream gradient with both signs. */
    private static void sameAsUnfused(Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> plain, long seed, int[]... shapes) {
        sameAsUnfused("ReluBackward", fused, plain, seed, shapes);
    }

    /** {@link #sameAsUnfused}, the fused op's node name ending in {@code node}. */
    private static void sameAsUnfused(String node, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> plain, long seed, int[]... shapes) {
        Tensor[] a = new Tensor[shapes.length], b = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            a[i] = Tensor.randn(new Rng(seed + i), shapes[i]).requiresGrad(true);
            b[i] = Tensor.randn(new Rng(seed + i), shapes[i]).requiresGrad(true);
        }
        Tensor ya = fused.apply(a), yb = plain.apply(b);
        assertArrayEquals(yb.toArray(), ya.toArray(), 0f);
        Tensor g = Tensor.randn(new Rng(seed + 99), ya.shape());
        ya.backward(g);
        yb.backward(g);
        for (int i = 0; i < shapes.length; i++) assertArrayEquals(b[i].grad().toArray(), a[i].grad().toArray(), 0f, "gradient of input " + i);
        assertEquals(true, ya.gradFn().name().endsWith(node), ya.gradFn().name());
    }
}
