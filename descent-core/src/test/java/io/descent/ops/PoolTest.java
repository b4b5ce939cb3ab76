package io.descent.ops;

import static io.descent.ops.ConvTest.assertMessage;
import static io.descent.ops.GoldenCases.expect;
import static io.descent.ops.GoldenCases.expectGrads;
import static io.descent.ops.GoldenCases.intArgs;
import static io.descent.ops.GoldenCases.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** max/avg/adaptive pooling against PyTorch (outputs, indices, gradients), and argument errors. */
class PoolTest {
    static final Map<String, Tensor> F = Golden.load("conv_pool");

    static Stream<String> maxCases() {
        return GoldenCases.names(F, "max_");
    }

    static Stream<String> avgCases() {
        return GoldenCases.names(F, "avg_");
    }

    static Stream<String> adaptiveCases() {
        return GoldenCases.names(F, "adaptive_");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxCases")
    void maxPoolMatchesPyTorch(String name) {
        int[] a = intArgs(F, name); // kernel, stride, padding, dilation (H, W each), ceil_mode
        Tensor x = leaf(F, name, "x");
        Pool.WithIndices r = Pool.maxPool2dWithIndices(x, new int[] {a[0], a[1]}, new int[] {a[2], a[3]}, new int[] {a[4], a[5]}, new int[] {a[6], a[7]}, a[8] == 1);
        expect(F, name, "y", r.output());
        expect(F, name, "idx", r.indices());
        assertArrayEquals(r.output().data(), Pool.maxPool2d(x.detach(), new int[] {a[0], a[1]}, new int[] {a[2], a[3]}, new int[] {a[4], a[5]}, new int[] {a[6], a[7]}, a[8] == 1).data());
        expectGrads(F, name, r.output(), "x", x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avgCases")
    void avgPoolMatchesPyTorch(String name) {
        int[] a = intArgs(F, name); // kernel, stride, padding (H, W each), ceil_mode, count_include_pad
        Tensor x = leaf(F, name, "x");
        Tensor y = Pool.avgPool2d(x, new int[] {a[0], a[1]}, new int[] {a[2], a[3]}, new int[] {a[4], a[5]}, a[6] == 1, a[7] == 1);
        expect(F, name, "y", y);
        expectGrads(F, name, y, "x", x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adaptiveCases")
    void adaptiveAvgPoolMatchesPyTorch(String name) {
        int[] a = intArgs(F, name); // outH, outW
        Tensor x = leaf(F, name, "x");
        Tensor y = Pool.adaptiveAvgPool2d(x, a[0], a[1]);
        expect(F, name, "y", y);
        expectGrads(F, name, y, "x", x);
    }

    @Test
    void shortOverloadsAndUnbatchedInput() {
        Tensor x = Tensor.arange(2 * 6 * 6).reshape(2, 6, 6);
        Tensor m = Pool.maxPool2d(x, 2, 2);
        assertArrayEquals(new int[] {2, 3, 3}, m.shape());
        assertArrayEquals(new float[] {7, 9, 11, 19, 21, 23, 31, 33, 35}, java.util.Arrays.copyOf(m.data(), 9));
        Tensor a = Pool.avgPool2d(x, 3, 3);
        assertArrayEquals(new float[] {7, 10, 25, 28}, java.util.Arrays.copyOf(a.data(), 4));
        assertArrayEquals(a.data(), Pool.avgPool2d(x, new int[] {3}, null, null, false, true).data());
    }

    @Test
    void maxPoolPropagatesNaN() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4}, 1, 1, 2, 2);
        Pool.WithIndices r = Pool.maxPool2dWithIndices(x, new int[] {2}, null, null, null, false);
        assertTrue(Float.isNaN(r.output().item()));
        assertArrayEquals(new float[] {1}, r.indices().data());
    }

    @Test
    void refusesBadArguments() {
        Tensor x = Tensor.zeros(1, 2, 5, 5);
        assertMessage("max_pool2d: padding [2, 2] must be at most half the kernel [3, 3]", () -> Pool.maxPool2d(x, new int[] {3}, null, new int[] {2}, null, false));
        assertMessage("max_pool2d: kernel must be positive, got [0, 2]", () -> Pool.maxPool2d(x, new int[] {0, 2}, null, null, null, false));
        assertMessage("max_pool2d: stride must be positive, got [0]", () -> Pool.maxPool2d(x, new int[] {2}, new int[] {0}, null, null, false));
        assertMessage("max_pool2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got [5, 5]", () -> Pool.maxPool2d(Tensor.zeros(5, 5), 2, 2));
        assertMessage("max_pool2d: input [1, 2, 5, 5] is too small for kernel [3, 3] with dilation [3, 3] and padding [0, 0] (output size 0 along H)",
                () -> Pool.maxPool2d(x, new int[] {3}, null, null, new int[] {3}, false));
        assertMessage("avg_pool2d: input [1, 2, 5, 5] is too small for kernel [6, 6] with dilation [1, 1] and padding [0, 0] (output size 0 along H)",
                () -> Pool.avgPool2d(x, 6, 1));
        assertMessage("adaptive_avg_pool2d: output size must be positive, got 0x2", () -> Pool.adaptiveAvgPool2d(x, 0, 2));
    }
}
