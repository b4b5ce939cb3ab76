package io.descent.ops;

import static io.descent.ops.ConvTest.assertMessage;
import static io.descent.ops.GoldenCases.args;
import static io.descent.ops.GoldenCases.expect;
import static io.descent.ops.GoldenCases.expectGrads;
import static io.descent.ops.GoldenCases.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** nearest and bilinear upsampling against PyTorch's F.interpolate (outputs and gradients), and argument errors. */
class UpsampleTest {
    static final Map<String, Tensor> F = Golden.load("conv_upsample");

    static Stream<String> cases() {
        return GoldenCases.names(F, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void interpolateMatchesPyTorch(String name) {
        float[] a = args(F, name); // outH, outW, scale_factor (-1 when a size was given), align_corners
        Tensor x = leaf(F, name, "x");
        boolean bySize = a[2] < 0, alignCorners = a[3] == 1f;
        Tensor y;
        if (name.startsWith("nearest")) {
            y = bySize ? Upsample.nearest(x, (int) a[0], (int) a[1]) : Upsample.nearest(x, a[2]);
        } else {
            y = bySize ? Upsample.bilinear(x, (int) a[0], (int) a[1], alignCorners) : Upsample.bilinear(x, a[2], alignCorners);
        }
        expect(F, name, "y", y);
        expectGrads(F, name, y, "x", x);
    }

    @Test
    void nearestTwiceRepeatsPixels() {
        Tensor y = Upsample.nearest(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), 2.0);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.data());
    }

    @Test
    void refusesBadArguments() {
        Tensor x = Tensor.zeros(1, 2, 3, 3);
        assertMessage("upsample_nearest2d: output size must be positive, got 0x4 for input [1, 2, 3, 3]", () -> Upsample.nearest(x, 0, 4));
        assertMessage("upsample_bilinear2d: expected a 4-D input [N, C, H, W], got [2, 3, 3]", () -> Upsample.bilinear(Tensor.zeros(2, 3, 3), 4, 4, false));
        assertMessage("upsample_bilinear2d: scale factor must be positive and finite, got -2.0", () -> Upsample.bilinear(x, -2.0, false));
        assertMessage("upsample_nearest2d: output size must be positive, got 0x0 for input [1, 2, 3, 3]", () -> Upsample.nearest(x, 0.2));
    }
}
