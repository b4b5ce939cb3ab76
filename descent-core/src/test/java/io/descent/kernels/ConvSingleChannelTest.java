package io.descent.kernels;

import static io.descent.kernels.ConvKernelsTest.abs;
import static io.descent.kernels.ConvKernelsTest.conv;
import static io.descent.kernels.ConvKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ConvSingleChannelTest {
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                conv(3, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // W2's first layer: a partial vector per row
                conv(2, 1, 32, 32, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // whole vectors per row
                conv(2, 1, 7, 9, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1),     // no padding (5×7 output)
                conv(1, 1, 5, 6, 4, 3, 3, 1, 1, 2, 2, 1, 1, 1),     // padding 2 (7×8 output)
                conv(2, 1, 6, 40, 2, 3, 3, 1, 1, 2, 0, 1, 1, 1));   // padding per axis, several vectors per row
    }

    /** The im2col + GEMM route this kernel replaces, with the bias added in the GEMM's write and the ReLU after. */
    static float[] viaGemm(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu) {
        int p = g.p();
        float[] y = new float[g.n() * g.outImageSize()], cols = new float[9 * p];
        Gemm.PackedA a = Gemm.packA(false, g.o(), 9, w, 0, 9);
        for (int i = 0; i < g.n(); i++) {
            Im2col.im2col(g, x, i * g.imageSize(), cols, 0, p);
            if (bias == null) Gemm.sgemm(a, false, p, 1f, cols, 0, p, 0f, y, i * g.outImageSize(), p);
            else Gemm.sgemmRowBias(a, false, p, 1f, cols, 0, p, bias, 0, y, i * g.outImageSize(), p);
        }
        if (relu) VectorOps.relu(y, y, y.length);
        return y;
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void sameBitsAsIm2colAndGemmAndCloseToTheDefinition(ConvGeometry g) {
        assertTrue(ConvSingleChannel.suits(g));
        float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize()), b = random(3, g.o());
        for (float[] bias : new float[][] {null, b}) {
            for (boolean relu : new boolean[] {false, true}) {
                float[] y = random(4, g.n() * g.outImageSize()); // garbage: must be overwritten
                ConvKernels.forward(g, x, w, bias, y, relu);
                assertArrayEquals(viaGemm(g, x, w, bias, relu), y, g + " bias " + (bias != null) + " relu " + relu);
            }
        }
        float[] y = new float[g.n() * g.outImageSize()];
        ConvSingleChannel.forward(g, x, w, b, y, false);
        WinogradTest.closeScaled(g + " forward", ConvReference.forward(g, x, w, b), y, ConvReference.forward(g, abs(x), abs(w), abs(b)));
    }

    @Test
    void onlyOneChannelThreeByThreeStrideOne() {
        assertFalse(ConvSingleChannel.suits(conv(2, 2, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "two channels");
        assertFalse(ConvSingleChannel.suits(conv(2, 1, 8, 8, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1)), "strided");
        assertFalse(ConvSingleChannel.suits(conv(2, 1, 8, 8, 4, 5, 5, 1, 1, 2, 2, 1, 1, 1)), "5x5");
        assertFalse(ConvSingleChannel.suits(conv(2, 1, 8, 8, 4, 3, 3, 1, 1, 2, 2, 2, 2, 1)), "dilated");
        // a transposed convolution's geometry, output shorter than the natural size
        assertFalse(ConvSingleChannel.suits(new ConvGeometry(2, 1, 9, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 8, 8)));
    }
}
