package io.descent.ops;

import static io.descent.ops.ConvTest.assertMessage;
import static io.descent.ops.GoldenCases.args;
import static io.descent.ops.GoldenCases.expect;
import static io.descent.ops.GoldenCases.expectGrads;
import static io.descent.ops.GoldenCases.leaf;
import static io.descent.ops.GoldenCases.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** batch_norm against PyTorch (output, updated running statistics, gradients), and argument errors. */
class NormTest {
    static final Map<String, Tensor> F = Golden.load("conv_batchnorm");

    static Stream<String> cases() {
        return GoldenCases.names(F, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchNormMatchesPyTorch(String name) {
        float[] a = args(F, name); // training, momentum, eps
        Tensor x = leaf(F, name, "x"), w = leaf(F, name, "w"), b = leaf(F, name, "b");
        Tensor rm = value(F, name, "rm"), rv = value(F, name, "rv");
        Tensor y = Norm.batchNorm(x, rm, rv, w, b, a[0] == 1f, a[1], a[2]);
        expect(F, name, "y", y);
        expect(F, name, "rm_out", rm);
        expect(F, name, "rv_out", rv);
        expectGrads(F, name, y, "x", x, "w", w, "b", b);
    }

    @Test
    void trainingWithoutRunningStatisticsNormalisesByTheBatch() {
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20}, 2, 2);
        Tensor y = Norm.batchNorm(x, null, null, null, null, true, 0.1f, 0f);
        assertArrayEquals(new float[] {-1, -1, 1, 1}, y.data(), 1e-6f);
    }

    @Test
    void evalLeavesRunningStatisticsAlone() {
        Tensor rm = Tensor.of(1f, 2f), rv = Tensor.of(4f, 9f);
        Tensor y = Norm.batchNorm(Tensor.of(new float[] {3, 8}, 1, 2), rm, rv, null, Tensor.of(0.5f, 0f), false, 0.1f, 0f);
        assertArrayEquals(new float[] {1.5f, 2f}, y.data(), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, rm.data());
        assertArrayEquals(new float[] {4, 9}, rv.data());
    }

    @Test
    void refusesBadShapesAndArguments() {
        Tensor x = Tensor.zeros(2, 3, 4, 4), c3 = Tensor.ones(3);
        assertMessage("batch_norm: weight [4] does not match the 3 channels of input [2, 3, 4, 4]; expected [3]",
                () -> Norm.batchNorm(x, c3, c3, Tensor.ones(4), null, true, 0.1f, 1e-5f));
        assertMessage("batch_norm: expected an input [N, C] or [N, C, H, W], got [5]", () -> Norm.batchNorm(Tensor.zeros(5), null, null, null, null, true, 0.1f, 1e-5f));
        assertMessage("batch_norm: expected more than 1 value per channel when training, got input [1, 3]",
                () -> Norm.batchNorm(Tensor.zeros(1, 3), c3, c3, null, null, true, 0.1f, 1e-5f));
        assertMessage("batch_norm: evaluation (training = false) needs running_mean and running_var",
                () -> Norm.batchNorm(x, null, null, null, null, false, 0.1f, 1e-5f));
        assertMessage("batch_norm: running_mean and running_var must be given together", () -> Norm.batchNorm(x, c3, null, null, null, true, 0.1f, 1e-5f));
        assertMessage("batch_norm: eps must be finite and non-negative, got -1.0", () -> Norm.batchNorm(x, c3, c3, null, null, true, 0.1f, -1f));
        assertEquals(3, Norm.batchNorm(Tensor.zeros(1, 3), c3, c3, null, null, false, 0.1f, 1e-5f).numel());
    }
}
