package io.descent.kernels;

import static io.descent.kernels.ConvKernelsTest.abs;
import static io.descent.kernels.ConvKernelsTest.conv;
import static io.descent.kernels.ConvKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Winograd F(4×4, 3×3): each transform against its matrix product, and whole convolutions
 * against the direct definition with an error bound scaled by the magnitudes summed.
 */
class WinogradTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    /** {@code P·X·Qᵀ} in double. */
    private static double[][] sandwich(double[][] p, double[][] x, double[][] q) {
        double[][] px = new double[p.length][x[0].length];
        for (int i = 0; i < p.length; i++) for (int j = 0; j < x[0].length; j++) for (int a = 0; a < x.length; a++) px[i][j] += p[i][a] * x[a][j];
        double[][] out = new double[p.length][q.length];
        for (int i = 0; i < p.length; i++) for (int j = 0; j < q.length; j++) for (int b = 0; b < x[0].length; b++) out[i][j] += px[i][b] * q[j][b];
        return out;
    }

    @Test
    void inputTransformIsBtDB() {
        int stride = 11; // windows of 6×6 inside a 4L × 11 plane, one per lane at scattered places
        float[] x = random(1, 6 * L * stride);
        int[] idx = new int[L];
        for (int l = 0; l < L; l++) idx[l] = (l * 7 % (5 * L)) * stride + l % 5;
        float[] v = new float[36 * 3 * L], tmp = new float[36 * L];
        WinogradTransforms.input(x, 0, stride, idx, 0, v, 1, 3 * L, tmp);
        for (int l = 0; l < L; l++) {
            double[][] d = new double[6][6];
            for (int a = 0; a < 6; a++) for (int b = 0; b < 6; b++) d[a][b] = x[idx[l] + a * stride + b];
            double[][] want = sandwich(WinogradTransforms.BT, d, WinogradTransforms.BT);
            for (int xi = 0; xi < 36; xi++) assertEquals(want[xi / 6][xi % 6], v[1 + xi * 3 * L + l], 1e-5 + 1e-6 * Math.abs(want[xi / 6][xi % 6]), "lane " + l + " position " + xi);
        }
    }

    @Test
    void wholeTilesMoveThroughTransposesAsPixelByPixel() {
        int stride = 70; // 16 tiles of 4×4 at scattered places of a 16 × 70 plane
        int[] idx = new int[19];
        for (int l = 0; l < 16; l++) idx[3 + l] = (l * 5 % 12) * stride + (l * 17) % 66;
        float[] out = random(3, 256), tiles = new float[256], y = random(4, 16 * stride), want = y.clone();
        for (int l = 0; l < 16; l++) for (int p = 0; p < 16; p++) want[7 + idx[3 + l] + p / 4 * stride + p % 4] = out[p * 16 + l];
        float[] scattered = y.clone();
        WinogradTransforms.scatterByTranspose(out, tiles, scattered, 7, stride, idx, 3, null, null);
        assertArrayEquals(want, scattered, "scatter");
        float[] back = new float[256];
        WinogradTransforms.gatherByTranspose(want, 7, stride, idx, 3, null, null, tiles, back);
        assertArrayEquals(out, back, "gather");
        // tiles cut by the edges: lane l keeps rows[l] x cols[l] pixels (0 x 0: no tile)
        int[] rows = new int[16], cols = new int[16];
        for (int l = 0; l < 16; l++) {
            rows[l] = l % 5;
            cols[l] = rows[l] == 0 ? 0 : 1 + l % 4;
        }
        want = y.clone();
        float[] wantBack = new float[256];
        for (int l = 0; l < 16; l++) {
            for (int p = 0; p < 16; p++) {
                if (p / 4 >= rows[l] || p % 4 >= cols[l]) continue;
                want[7 + idx[3 + l] + p / 4 * stride + p % 4] = out[p * 16 + l];
                wantBack[p * 16 + l] = out[p * 16 + l];
            }
        }
        scattered = y.clone();
        WinogradTransforms.scatterByTranspose(out, tiles, scattered, 7, stride, idx, 3, rows, cols);
        assertArrayEquals(want, scattered, "scatter at the edges");
        java.util.Arrays.fill(back, Float.NaN);
        WinogradTransforms.gatherByTranspose(want, 7, stride, idx, 3, rows, cols, tiles, back);
        assertArrayEquals(wantBack, back, "gather at the edges");
    }

    @Test
    void outputTransformIsAtMAPlusBiasThenRelu() {
        float[] m = random(2, 36 * 2 * L + 3), tmp = new float[36 * L], out = new float[16 * L];
        for (boolean relu : new boolean[] {false, true}) {
            WinogradTransforms.output(m, 3, 2 * L, 0.25f, relu, tmp, out);
            for (int l = 0; l < L; l++) {
                double[][] mm = new double[6][6];
                for (int xi = 0; xi < 36; xi++) mm[xi / 6][xi % 6] = m[3 + xi * 2 * L + l];
                double[][] want = sandwich(WinogradTransforms.AT, mm, WinogradTransforms.AT);
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        double y = want[i][j] + 0.25;
                        assertEquals(relu ? Math.max(y, 0) : y, out[(4 * i + j) * L + l], 1e-5 + 1e-6 * Math.abs(y), "lane " + l + " pixel " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void weightTransformIsGgGtPackedForTheGemm() {
        int o = 14, c = 300; // a partial sliver of rows; columns across a slab boundary and a partial vector
        float[] w = random(3, o * c * 9);
        for (boolean transposed : new boolean[] {false, true}) {
            Gemm.PackedA[] u = WinogradTransforms.weights(w, o, c, transposed);
            int rows = transposed ? c : o, cols = transposed ? o : c;
            for (int r = 0; r < rows; r += 3) {
                for (int s = 0; s < cols; s += 7) {
                    double[][] g = new double[3][3];
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) g[a][b] = transposed ? w[(s * c + r) * 9 + (2 - a) * 3 + (2 - b)] : w[(r * c + s) * 9 + a * 3 + b];
                    }
                    double[][] want = sandwich(WinogradTransforms.G, g, WinogradTransforms.G);
                    for (int xi = 0; xi < 36; xi++) {
                        assertEquals(rows, u[xi].m());
                        assertEquals(want[xi / 6][xi % 6], u[xi].data()[u[xi].index(r, s)], 1e-6, "kernel " + r + "," + s + " position " + xi);
                    }
                }
            }
        }
    }

    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                conv(4, 3, 8, 8, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),     // whole tiles, images per block
                conv(3, 5, 7, 9, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1),    // clipped tiles on both edges
                conv(2, 4, 10, 10, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1),   // no padding (8×8 output)
                conv(2, 3, 6, 7, 4, 3, 3, 1, 1, 2, 2, 1, 1, 1),     // padding 2 (8×9 output)
                conv(2, 3, 9, 6, 2, 3, 3, 1, 1, 2, 0, 1, 1, 1),     // different padding per axis
                conv(1, 4, 70, 66, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // one image in bands of tile rows
                conv(1, 4, 150, 14, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // bands of a narrow image
                conv(2, 3, 19, 21, 4, 3, 3, 1, 1, 2, 0, 1, 1, 1),   // clipped tiles, padding per axis
                conv(2, 5, 23, 18, 6, 3, 3, 1, 1, 0, 0, 1, 1, 1),   // no padding, clipped tiles
                conv(37, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1),    // one tile per image, a partial vector of tiles
                conv(2, 20, 12, 12, 300, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // more output channels than a GEMM slab
                conv(3, 256, 6, 5, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1)); // wide (WIDE_CHANNEL_PAIRS): the largest blocks
    }

    /**
     * |expected − actual| ≤ 1e-6 + 1e-5 · Σ|terms| (scale) element by element: the transforms
     * scale values by up to 25 and 64 before they cancel, so F(4×4, 3×3) in float rounds to a
     * few 1e-6 of the magnitudes summed (measured up to 5e-6; a direct sum stays near 1e-7).
     */
    static void closeScaled(String what, float[] expected, float[] actual, float[] scale) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            int k = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * scale[i],
                    () -> what + ": element " + k + " expected " + expected[k] + " but was " + actual[k] + " (scale " + scale[k] + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void convolutionMatchesTheDirectDefinition(ConvGeometry g) {
        float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize()), b = random(3, g.o());
        float[] dy = random(4, g.n() * g.outImageSize());

        float[] y = random(5, g.n() * g.outImageSize()); // garbage: must be overwritten
        Winograd.forward(g, x, w, b, y, false);
        float[] want = ConvReference.forward(g, x, w, b), scale = ConvReference.forward(g, abs(x), abs(w), abs(b));
        closeScaled(g + " forward", want, y, scale);
        Winograd.forward(g, x, w, b, y, true);
        float[] relu = want.clone();
        for (int i = 0; i < relu.length; i++) relu[i] = Math.max(relu[i], 0f);
        closeScaled(g + " forward + relu", relu, y, scale);

        float[] dx = random(6, g.n() * g.imageSize());
        Winograd.backwardData(g, dy, w, null, dx);
        closeScaled(g + " input gradient", ConvReference.backwardData(g, dy, w), dx, ConvReference.backwardData(g, abs(dy), abs(w)));

        float[] dw = random(7, g.weightSize());
        Winograd.backwardWeight(g, x, dy, dw);
        closeScaled(g + " weight gradient", ConvReference.backwardWeight(g, x, dy), dw, ConvReference.backwardWeight(g, abs(x), abs(dy)));
    }

    @Test
    void weightGradientIsTheAdjointOfTheForwardPass() {
        // <dy, conv(x, w)> is linear in w, so its gradient is dW: check <dW, v> = <dy, conv(x, v)>
        ConvGeometry g = conv(3, 4, 9, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        float[] x = random(1, g.n() * g.imageSize()), dy = random(2, g.n() * g.outImageSize()), v = random(3, g.weightSize());
        float[] dw = new float[g.weightSize()], y = new float[dy.length];
        Winograd.backwardWeight(g, x, dy, dw);
        Winograd.forward(g, x, v, null, y, false);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < dw.length; i++) lhs += (double) dw[i] * v[i];
        for (int i = 0; i < y.length; i++) rhs += (double) dy[i] * y[i];
        assertEquals(rhs, lhs, 1e-4 * Math.max(1, Math.abs(rhs)));
    }

    @Test
    void forwardBitIdenticalForAnyThreadCountWeightGradientForAGivenOne() {
        int before = Parallel.threads();
        try {
            ConvGeometry g = conv(9, 6, 12, 10, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize());
            float[] dy = random(3, g.n() * g.outImageSize());
            float[][] out = new float[3][], dw = new float[3][], again = new float[3][];
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                out[t - 1] = new float[g.n() * g.outImageSize()];
                Winograd.forward(g, x, w, null, out[t - 1], false);
                dw[t - 1] = new float[g.weightSize()];
                again[t - 1] = new float[g.weightSize()];
                Winograd.backwardWeight(g, x, dy, dw[t - 1]);
                Winograd.backwardWeight(g, x, dy, again[t - 1]);
                assertArrayEquals(dw[t - 1], again[t - 1], "weight gradient, run to run, " + t + " threads");
            }
            assertArrayEquals(out[0], out[1]);
            assertArrayEquals(out[0], out[2]);
            closeScaled("weight gradient, 1 vs 3 threads", dw[0], dw[2], ConvReference.backwardWeight(g, abs(x), abs(dy)));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void fewerBlocksThanThreadsRunInPhasesWithOneThreadsBits() {
        // fewer blocks than threads: transforms by channel share, GEMMs by block and position
        // (runPhased, weightGradPhased); forward and input gradient give the bits of one thread,
        // the weight gradient those of any other phased run with the same blocks (its positions
        // sum the blocks in block order, as one thread does)
        int before = Parallel.threads();
        try {
            for (ConvGeometry g : new ConvGeometry[] {
                    conv(1, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // one block
                    conv(1, 17, 30, 29, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // one block, clipped tiles, odd channels
                    conv(1, 4, 70, 66, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),     // two bands of one image
                    conv(1, 64, 32, 32, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // weight gradient in bands of dU's rows
                    conv(2, 20, 12, 12, 300, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // two images, a block each
                    conv(3, 256, 6, 5, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1)}) { // wide: three blocks
                float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize()), b = random(3, g.o());
                float[] dy = random(4, g.n() * g.outImageSize());
                Parallel.setThreads(1);
                float[] y1 = new float[g.n() * g.outImageSize()], r1 = y1.clone(), dx1 = new float[g.n() * g.imageSize()], dw1 = new float[g.weightSize()];
                Winograd.forward(g, x, w, b, y1, false);
                Winograd.forward(g, x, w, b, r1, true);
                Winograd.backwardData(g, dy, w, null, dx1);
                Winograd.backwardWeight(g, x, dy, dw1);
                float[] dw4 = null;
                for (int t : new int[] {2, 4, 8}) {
                    Parallel.setThreads(t);
                    float[] y = random(5, y1.length), r = random(6, y1.length), dx = random(7, dx1.length), dw = random(8, dw1.length);
                    Winograd.forward(g, x, w, b, y, false);
                    assertArrayEquals(y1, y, g + " forward, threads " + t);
                    Winograd.forward(g, x, w, b, r, true);
                    assertArrayEquals(r1, r, g + " forward + relu, threads " + t);
                    Winograd.backwardData(g, dy, w, null, dx);
                    assertArrayEquals(dx1, dx, g + " input gradient, threads " + t);
                    Winograd.backwardWeight(g, x, dy, dw);
                    if (t == 4) dw4 = dw;
                    // one image: its bands are the blocks whatever the threads; with more images a
                    // block holds about images / threads of them, the same on 4 and 8 threads here
                    if (t > 2) assertArrayEquals(g.n() == 1 ? dw1 : dw4, dw, g + " weight gradient, threads " + t);
                }
                closeScaled(g + " forward", ConvReference.forward(g, x, w, b), y1, ConvReference.forward(g, abs(x), abs(w), abs(b)));
                closeScaled(g + " weight gradient", ConvReference.backwardWeight(g, x, dy), dw1, ConvReference.backwardWeight(g, abs(x), abs(dy)));
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void onlyStrideOneThreeByThreeWithEnoughTiles() {
        assertTrue(Winograd.suits(conv(8, 16, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
        assertFalse(Winograd.suits(conv(8, 16, 16, 16, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1)), "strided");
        assertFalse(Winograd.suits(conv(8, 16, 16, 16, 16, 3, 3, 1, 1, 2, 2, 2, 2, 1)), "dilated");
        assertFalse(Winograd.suits(conv(8, 16, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 2)), "grouped");
        assertFalse(Winograd.suits(conv(8, 16, 16, 16, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1)), "1x1");
        assertFalse(Winograd.suits(conv(8, 16, 16, 16, 16, 3, 3, 1, 1, 3, 3, 1, 1, 1)), "padding 3");
        assertFalse(Winograd.suits(conv(3, 16, 8, 8, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "12 tiles");
        assertFalse(Winograd.suits(conv(8, 3, 16, 16, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "3 input channels");
        assertFalse(Winograd.suits(conv(8, 64, 16, 16, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "8 output channels");
        // a transposed convolution's geometry, output shorter than the natural size
        assertFalse(Winograd.suits(new ConvGeometry(8, 4, 17, 17, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 16, 16)));
    }

    @Test
    void convKernelsTakeThisPathWhenItSuitsAndAgreeWithIm2col() {
        ConvGeometry g = conv(4, 16, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        assertTrue(Winograd.suits(g));
        float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize()), dy = random(3, g.n() * g.outImageSize());
        float[] y = new float[g.n() * g.outImageSize()], y2 = y.clone(), dx = new float[x.length], dx2 = dx.clone();
        ConvKernels.forward(g, x, w, null, y);
        ConvKernels.backwardData(g, dy, w, null, dx);
        Winograd.forward(g, x, w, null, y2, false);
        Winograd.backwardData(g, dy, w, null, dx2);
        assertArrayEquals(y2, y);
        assertArrayEquals(dx2, dx);
        float[] dw = new float[g.weightSize()], dw2 = dw.clone();
        ConvKernels.backwardWeight(g, x, dy, dw);
        Winograd.backwardWeight(g, x, dy, dw2);
        assertFalse(Winograd.suitsWeightGrad(g), "16 channels: the weight gradient stays im2col");
        closeScaled("weight gradient, im2col against Winograd", dw, dw2, ConvReference.backwardWeight(g, abs(x), abs(dy)));
        ConvGeometry wide = conv(4, 64, 16, 16, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        assertTrue(Winograd.suitsWeightGrad(wide));
        float[] wx = random(4, wide.n() * wide.imageSize()), wdy = random(5, wide.n() * wide.outImageSize());
        float[] wdw = new float[wide.weightSize()], wdw2 = wdw.clone();
        ConvKernels.backwardWeight(wide, wx, wdy, wdw);
        Winograd.backwardWeight(wide, wx, wdy, wdw2);
        assertArrayEquals(wdw2, wdw);
        boolean was = Winograd.enabled;
        try {
            Winograd.enabled = false;
            assertFalse(Winograd.suits(g));
            float[] direct = new float[y.length];
            ConvKernels.forward(g, x, w, null, direct);
            closeScaled("im2col against Winograd", direct, y, ConvReference.forward(g, abs(x), abs(w), null));
        } finally {
            Winograd.enabled = was;
        }
    }
}
