package io.descent.ops;

import static io.descent.ops.GoldenCases.expect;
import static io.descent.ops.GoldenCases.expectGrads;
import static io.descent.ops.GoldenCases.intArgs;
import static io.descent.ops.GoldenCases.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** conv2d and conv_transpose2d against PyTorch (outputs and gradients), and their argument errors. */
class ConvTest {
    static final Map<String, Tensor> CONV = Golden.load("conv2d");
    static final Map<String, Tensor> TRANSPOSED = Golden.load("conv_transpose2d");

    static Stream<String> convCases() {
        return GoldenCases.names(CONV, "");
    }

    static Stream<String> transposedCases() {
        return GoldenCases.names(TRANSPOSED, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void conv2dMatchesPyTorch(String name) {
        int[] a = intArgs(CONV, name); // stride, padding, dilation (H, W each), groups
        Tensor x = leaf(CONV, name, "x"), w = leaf(CONV, name, "w"), b = leaf(CONV, name, "b");
        Tensor y = Conv.conv2d(x, w, b, new int[] {a[0], a[1]}, new int[] {a[2], a[3]}, new int[] {a[4], a[5]}, a[6]);
        expect(CONV, name, "y", y);
        expectGrads(CONV, name, y, "x", x, "w", w, "b", b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposedCases")
    void convTranspose2dMatchesPyTorch(String name) {
        int[] a = intArgs(TRANSPOSED, name); // stride, padding, output_padding (H, W each), groups, dilation (H, W)
        Tensor x = leaf(TRANSPOSED, name, "x"), w = leaf(TRANSPOSED, name, "w"), b = leaf(TRANSPOSED, name, "b");
        Tensor y = Conv.convTranspose2d(x, w, b, new int[] {a[0], a[1]}, new int[] {a[2], a[3]}, new int[] {a[4], a[5]}, a[6], new int[] {a[7], a[8]});
        expect(TRANSPOSED, name, "y", y);
        expectGrads(TRANSPOSED, name, y, "x", x, "w", w, "b", b);
    }

    @Test
    void shortOverloadIsStrideAndPaddingOnBothAxes() {
        Tensor x = Tensor.arange(2 * 3 * 6 * 5).reshape(2, 3, 6, 5), w = Tensor.ones(4, 3, 3, 3), b = Tensor.of(1f, 2f, 3f, 4f);
        Tensor y = Conv.conv2d(x, w, b, 2, 1);
        assertArrayEquals(new int[] {2, 4, 3, 3}, y.shape());
        assertArrayEquals(Conv.conv2d(x, w, b, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1).data(), y.data());
    }

    @Test
    void transposedIsTheAdjointOfConv() {
        // <conv(u), v> = <u, conv_transpose(v)> with the same weight, stride, padding and dilation
        Tensor u = GradCheckSupport.input(1, 2, 4, 10, 9).detach(), w = GradCheckSupport.input(2, 6, 2, 3, 2).detach();
        int[] s = {2, 3}, p = {1, 0}, d = {2, 1};
        Tensor y = Conv.conv2d(u, w, null, s, p, d, 2);
        Tensor v = GradCheckSupport.input(3, y.shape()).detach();
        // y is [2, 6, 4, 3]; output_padding recovers u's size: (y−1)·s − 2p + d(k−1) + op + 1 = 10 and 9
        Tensor t = Conv.convTranspose2d(v, w, null, s, p, new int[] {1, 1}, 2, d);
        assertArrayEquals(u.shape(), t.shape());
        assertEquals(dot(y, v), dot(u, t), 1e-4);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.numel(); i++) s += (double) a.data()[i] * b.data()[i];
        return s;
    }

    @Test
    void conv2dRefusesBadShapesAndArguments() {
        Tensor x = Tensor.zeros(2, 3, 8, 8);
        assertMessage("conv2d: input [2, 3, 8, 8] and weight [4, 2, 3, 3] need C/groups = 2 input channels per group, but C = 3 with groups = 1",
                () -> Conv.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, 1, 1));
        assertMessage("conv2d: expected a 4-D input [N, C, H, W], got [3, 8, 8]", () -> Conv.conv2d(Tensor.zeros(3, 8, 8), Tensor.zeros(4, 3, 3, 3), null, 1, 0));
        assertMessage("conv2d: groups = 2 must divide the 3 input channels of input [2, 3, 8, 8]",
                () -> Conv.conv2d(x, Tensor.zeros(4, 1, 3, 3), null, null, null, null, 2));
        assertMessage("conv2d: groups = 3 must divide the 4 output channels of weight [4, 1, 3, 3]",
                () -> Conv.conv2d(x, Tensor.zeros(4, 1, 3, 3), null, null, null, null, 3));
        assertMessage("conv2d: stride must be positive, got [0, 1]", () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), null, new int[] {0, 1}, null, null, 1));
        assertMessage("conv2d: padding must be non-negative, got [-1]", () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), null, 1, -1));
        assertMessage("conv2d: dilation needs 1 or 2 values (H, W), got [1, 1, 1]",
                () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), null, null, null, new int[] {1, 1, 1}, 1));
        assertMessage("conv2d: groups must be positive, got 0", () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), null, null, null, null, 0));
        assertMessage("conv2d: bias [5] does not match weight [4, 3, 3, 3]; expected [4]", () -> Conv.conv2d(x, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(5), 1, 0));
        assertMessage("conv2d: kernel 5x5 with dilation [3, 3] spans 13x13, larger than the padded input 10x10 (input [2, 3, 8, 8], padding [1, 1])",
                () -> Conv.conv2d(x, Tensor.zeros(4, 3, 5, 5), null, new int[] {1}, new int[] {1}, new int[] {3}, 1));
    }

    @Test
    void convTranspose2dRefusesBadShapesAndArguments() {
        Tensor x = Tensor.zeros(2, 3, 4, 4);
        assertMessage("conv_transpose2d: input [2, 3, 4, 4] and weight [4, 2, 3, 3] need weight [C_in = 3, C_out/groups, kH, kW]",
                () -> Conv.convTranspose2d(x, Tensor.zeros(4, 2, 3, 3), null, null, null, null, 1, null));
        assertMessage("conv_transpose2d: output_padding [2, 0] must be smaller than either stride [2, 2] or dilation [1, 1]",
                () -> Conv.convTranspose2d(x, Tensor.zeros(3, 2, 3, 3), null, new int[] {2}, null, new int[] {2, 0}, 1, null));
        assertMessage("conv_transpose2d: groups = 2 must divide the 3 input channels of input [2, 3, 4, 4]",
                () -> Conv.convTranspose2d(x, Tensor.zeros(3, 2, 3, 3), null, null, null, null, 2, null));
        assertMessage("conv_transpose2d: bias [3] does not match weight [3, 2, 3, 3] with groups = 1; expected [2]",
                () -> Conv.convTranspose2d(x, Tensor.zeros(3, 2, 3, 3), Tensor.zeros(3), null, null, null, 1, null));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
