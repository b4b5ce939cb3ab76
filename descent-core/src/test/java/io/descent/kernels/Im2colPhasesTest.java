package io.descent.kernels;

import static io.descent.kernels.ConvKernelsTest.conv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The column matrix of strided layers and its adjoint through phase planes, against the direct gather and scatter. */
class Im2colPhasesTest {
    static Stream<ConvGeometry> strided() {
        return Stream.of(
                conv(1, 3, 56, 56, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1),    // ResNet's stride-2 3x3: output as wide as a phase
                conv(1, 2, 38, 38, 1, 7, 7, 2, 2, 3, 3, 1, 1, 1),    // a 7x7 stem
                conv(1, 3, 9, 11, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1),     // odd sizes: phases of unequal size
                conv(1, 2, 10, 9, 1, 3, 3, 2, 2, 0, 0, 1, 1, 1),     // no padding: output narrower than a phase
                conv(1, 2, 13, 14, 1, 3, 2, 2, 2, 2, 1, 2, 2, 1),    // dilation 2
                conv(1, 2, 11, 10, 1, 3, 3, 3, 3, 1, 1, 1, 1, 1),    // stride 3
                conv(1, 2, 5, 5, 1, 3, 3, 2, 2, 4, 4, 1, 1, 1),      // padding wider than the kernel: empty windows
                conv(1, 4, 70, 66, 1, 3, 3, 2, 2, 1, 1, 1, 1, 2),    // grouped, rows wide enough for whole vectors
                conv(1, 1, 3, 3, 1, 3, 3, 2, 2, 0, 0, 1, 1, 1));     // a single output
    }

    @ParameterizedTest
    @MethodSource("strided")
    void phasesGiveTheGathersMatrix(ConvGeometry g) {
        assertTrue(Im2colPhases.suits(g));
        float[] x = ConvKernelsTest.random(7, 3 * g.imageSize());
        int k = g.k(), p = g.p(), xOff = g.imageSize() + g.cg() * g.h() * g.w() * (g.groups() - 1);
        // whole matrix, then bands of 1, 2 and 3 output rows written into a wider matrix at an offset
        for (int band : new int[] {g.oh(), 1, 2, 3}) {
            int ld = p + 5, off = 3;
            float[] expected = new float[off + k * ld], actual = new float[off + k * ld];
            for (int oy0 = 0; oy0 < g.oh(); oy0 += band) {
                int oy1 = Math.min(g.oh(), oy0 + band), c0 = off + oy0 * g.ow();
                Arrays.fill(actual, Float.NaN); // every entry of the band must be written
                Arrays.fill(expected, Float.NaN);
                Im2col.gatherRows(g, x, xOff, oy0, oy1, expected, c0, ld);
                Im2colPhases.im2colRows(g, x, xOff, oy0, oy1, actual, c0, ld);
                for (int r = 0; r < k; r++) {
                    for (int q = oy0 * g.ow(); q < oy1 * g.ow(); q++) {
                        int at = off + r * ld + q;
                        assertTrue(!Float.isNaN(actual[at]), g + ": row " + r + " column " + q + " not written");
                    }
                }
                assertArrayEquals(expected, actual, g + " band " + oy0 + ".." + oy1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strided")
    void theAdjointAddsWhatTheScatterAdds(ConvGeometry g) {
        int k = g.k(), p = g.p(), xOff = g.imageSize() + g.cg() * g.h() * g.w() * (g.groups() - 1);
        float[] cols = ConvKernelsTest.random(8, k * p);
        // whole matrix onto zeroed planes: the same sums in the same order, so the same bits
        float[] expected = new float[3 * g.imageSize()], actual = new float[3 * g.imageSize()];
        Im2col.scatterRows(g, cols.clone(), 0, p, 0, g.oh(), expected, xOff);
        Im2colPhases.col2imRows(g, cols.clone(), 0, p, 0, g.oh(), actual, xOff);
        assertArrayEquals(expected, actual, g + ": whole matrix");
        // bands of 1, 2 and 3 output rows from a wider matrix onto planes that already hold values
        for (int band : new int[] {1, 2, 3}) {
            int ld = p + 5, off = 3;
            float[] wide = ConvKernelsTest.random(9, off + k * ld);
            expected = ConvKernelsTest.random(10, 3 * g.imageSize());
            actual = expected.clone();
            for (int oy0 = 0; oy0 < g.oh(); oy0 += band) {
                int oy1 = Math.min(g.oh(), oy0 + band), c0 = off + oy0 * g.ow();
                Im2col.scatterRows(g, wide.clone(), c0, ld, oy0, oy1, expected, xOff);
                Im2colPhases.col2imRows(g, wide.clone(), c0, ld, oy0, oy1, actual, xOff);
            }
            ConvKernelsTest.close(g + " bands of " + band, expected, actual);
        }
    }

    @Test
    void mergePairAddsEvenAndOddFloatsBack() {
        float[] in = ConvKernelsTest.random(11, 160);
        for (int w = 1; w <= 70; w++) {
            float[] x = ConvKernelsTest.random(12, 80), want = x.clone();
            for (int q = 0; q < w; q++) want[4 + q] += in[(q % 2 == 0 ? 0 : 80) + q / 2];
            Im2colPhases.mergePair(in, 0, 80, x, 4, w);
            assertArrayEquals(want, x, "width " + w);
        }
    }

    @Test
    void splitPairTakesEvenAndOddFloats() {
        float[] x = ConvKernelsTest.random(9, 200);
        for (int w = 1; w <= 70; w++) {
            float[] out = new float[2 * 80];
            Arrays.fill(out, Float.NaN);
            Im2colPhases.splitPair(x, 5, w, out, 0, 80);
            for (int j = 0; j < 80; j++) {
                float even = 2 * j < w ? x[5 + 2 * j] : Float.NaN, odd = 2 * j + 1 < w ? x[6 + 2 * j] : Float.NaN;
                assertTrue(Float.compare(even, out[j]) == 0 && Float.compare(odd, out[80 + j]) == 0, "width " + w + ", pair " + j);
            }
        }
    }
}
