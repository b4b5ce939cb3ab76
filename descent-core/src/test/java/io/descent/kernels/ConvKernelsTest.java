package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** im2col + GEMM convolution kernels against the direct definition ({@link ConvReference}). */
class ConvKernelsTest {
    /** A geometry whose output size is the convolution's natural one. */
    static ConvGeometry conv(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        return new ConvGeometry(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups,
                ConvGeometry.outSize(h, kh, sh, ph, dh, false), ConvGeometry.outSize(w, kw, sw, pw, dw, false));
    }

    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                conv(2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                conv(3, 2, 9, 8, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                conv(1, 2, 9, 9, 3, 3, 3, 1, 1, 2, 2, 2, 2, 1),
                conv(2, 4, 6, 5, 6, 3, 2, 1, 2, 1, 0, 1, 1, 2),
                conv(2, 3, 6, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3),
                conv(5, 5, 4, 3, 4, 1, 1, 1, 1, 0, 0, 1, 1, 1),     // pointwise, no im2col
                conv(2, 4, 4, 3, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2),     // pointwise, grouped
                conv(2, 3, 5, 7, 2, 1, 1, 2, 2, 0, 0, 1, 1, 1),     // 1x1 strided: goes through im2col
                conv(1, 2, 5, 11, 2, 2, 5, 2, 3, 0, 2, 1, 1, 1),
                conv(2, 2, 3, 3, 2, 3, 3, 1, 1, 2, 2, 1, 1, 1),     // padding wider than needed
                conv(2, 2, 4, 3, 2, 3, 5, 1, 1, 1, 2, 1, 1, 1),     // "same" output, kernel wider than the image
                conv(2, 3, 20, 17, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // plane of 340 pixels: image by image
                conv(1, 32, 48, 40, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // column matrix over budget: bands of 22, 22, 4 rows
                conv(2, 40, 60, 50, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1),  // strided, in two bands
                conv(70, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1),    // small planes: batched, two chunks (64 + 6)
                conv(40, 3, 4, 4, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),    // small planes: batched, two chunks (32 + 8)
                conv(37, 2, 5, 5, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1),    // pointwise, batched in two chunks
                conv(35, 2, 7, 7, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1),    // strided, batched
                // a transposed convolution's geometry: output shorter than the natural size
                new ConvGeometry(2, 2, 6, 5, 3, 2, 3, 1, 2, 1, 0, 2, 2, 1, 4, 1));
    }

    static float[] random(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextFloat() * 2 - 1;
        return a;
    }

    static void close(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            int idx = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-5 + 1e-5 * Math.abs(expected[i]),
                    () -> what + ": element " + idx + " expected " + expected[idx] + " but was " + actual[idx]);
        }
    }

    static float[] abs(float[] a) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Math.abs(a[i]);
        return b;
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void kernelsMatchTheDirectDefinition(ConvGeometry g) {
        float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize()), b = random(3, g.o());
        float[] dy = random(4, g.n() * g.outImageSize());

        // Winograd's transforms round more than a direct sum: bounded by the magnitudes summed
        boolean winograd = Winograd.suits(g);
        float[] ax = abs(x), aw = abs(w), ab = abs(b), ady = abs(dy);
        float[] y = new float[g.n() * g.outImageSize()];
        ConvKernels.forward(g, x, w, b, y);
        if (winograd) WinogradTest.closeScaled(g + " forward", ConvReference.forward(g, x, w, b), y, ConvReference.forward(g, ax, aw, ab));
        else close(g + " forward", ConvReference.forward(g, x, w, b), y);
        ConvKernels.forward(g, x, w, null, y);
        if (winograd) WinogradTest.closeScaled(g + " forward without bias", ConvReference.forward(g, x, w, null), y, ConvReference.forward(g, ax, aw, null));
        else close(g + " forward without bias", ConvReference.forward(g, x, w, null), y);

        float[] dx = random(5, g.n() * g.imageSize()); // garbage: must be overwritten
        ConvKernels.backwardData(g, dy, w, null, dx);
        if (winograd) WinogradTest.closeScaled(g + " input gradient", ConvReference.backwardData(g, dy, w), dx, ConvReference.backwardData(g, ady, aw));
        else close(g + " input gradient", ConvReference.backwardData(g, dy, w), dx);

        float[] dw = random(6, g.weightSize());
        ConvKernels.backwardWeight(g, x, dy, dw);
        if (winograd) WinogradTest.closeScaled(g + " weight gradient", ConvReference.backwardWeight(g, x, dy), dw, ConvReference.backwardWeight(g, ax, ady));
        else close(g + " weight gradient", ConvReference.backwardWeight(g, x, dy), dw);

        float[] db = new float[g.o()];
        ConvKernels.biasGrad(dy, g.n(), g.o(), g.p(), db);
        float[] dbRef = new float[g.o()];
        for (int i = 0; i < dy.length; i++) dbRef[(i / g.p()) % g.o()] += dy[i];
        close(g + " bias gradient", dbRef, db);
    }

    @Test
    void transposedForwardAddsItsBiasPerInputChannel() {
        ConvGeometry g = conv(2, 3, 5, 4, 2, 3, 3, 2, 1, 1, 1, 1, 1, 1);
        float[] dy = random(1, g.n() * g.outImageSize()), w = random(2, g.weightSize()), bias = {0.5f, -1f, 2f};
        float[] plain = new float[g.n() * g.imageSize()], biased = new float[plain.length];
        ConvKernels.backwardData(g, dy, w, null, plain);
        ConvKernels.backwardData(g, dy, w, bias, biased);
        for (int i = 0; i < plain.length; i++) assertEquals(plain[i] + bias[(i / (g.h() * g.w())) % g.c()], biased[i], 1e-6);
    }

    @Test
    void im2colThenCol2imIsTheAdjoint() {
        ConvGeometry g = conv(1, 2, 7, 6, 1, 3, 2, 2, 1, 1, 2, 2, 1, 1);
        float[] x = random(1, g.imageSize()), c = random(2, g.k() * g.p());
        float[] cols = new float[g.k() * g.p()], back = new float[g.imageSize()];
        Im2col.im2col(g, x, 0, cols);
        Im2col.col2im(g, c, back, 0);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < cols.length; i++) lhs += (double) cols[i] * c[i];
        for (int i = 0; i < x.length; i++) rhs += (double) x[i] * back[i];
        assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)) + 1e-5);
    }

    @Test
    void imagesAreSharedOutWhenThreadsOutnumberThem() {
        // fewer images than threads: each image's output rows are cut into shares (partsPerImage);
        // forward and input-gradient values are the same bits as on one thread
        int before = Parallel.threads();
        try {
            for (ConvGeometry g : new ConvGeometry[] {
                    conv(1, 3, 16, 12, 4, 1, 1, 1, 1, 0, 0, 1, 1, 1),   // pointwise, one image
                    conv(2, 4, 12, 16, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2),   // pointwise, grouped
                    conv(2, 3, 20, 17, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // im2col, 340 pixels
                    conv(1, 32, 48, 40, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // shares of 6 rows inside bands of 22
                    conv(2, 3, 41, 39, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1)}) { // strided
                assertTrue(g.n() < 8 && !ConvBatched.suits(g) && !Winograd.suits(g), g.toString());
                float[] x = random(1, g.n() * g.imageSize()), w = random(2, g.weightSize()), b = random(3, g.o());
                float[] dy = random(4, g.n() * g.outImageSize());
                Parallel.setThreads(1);
                float[] y1 = new float[g.n() * g.outImageSize()], r1 = y1.clone(), dx1 = new float[g.n() * g.imageSize()];
                ConvKernels.forward(g, x, w, b, y1);
                ConvKernels.forward(g, x, w, b, r1, true);
                ConvKernels.backwardData(g, dy, w, null, dx1);
                for (int t : new int[] {3, 8}) {
                    Parallel.setThreads(t);
                    assertTrue(ConvKernels.partsPerImage(g) > 1, g + " on " + t + " threads");
                    float[] y = new float[y1.length], r = new float[y1.length], dx = new float[dx1.length], dw = random(6, g.weightSize());
                    ConvKernels.forward(g, x, w, b, y);
                    assertArrayEquals(y1, y, g + " forward, threads " + t);
                    ConvKernels.forward(g, x, w, b, r, true);
                    assertArrayEquals(r1, r, g + " forward + relu, threads " + t);
                    ConvKernels.backwardData(g, dy, w, null, dx);
                    assertArrayEquals(dx1, dx, g + " input gradient, threads " + t);
                    ConvKernels.backwardWeight(g, x, dy, dw);
                    close(g + " weight gradient, threads " + t, ConvReference.backwardWeight(g, x, dy), dw);
                }
                close(g + " forward", ConvReference.forward(g, x, w, b), y1);
                close(g + " input gradient", ConvReference.backwardData(g, dy, w), dx1);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void inputGradientChannelsAreSharedOutWhenThreadsOutnumberImages() {
        // fewer images than threads: an im2col input gradient is cut by input channel
        // (channelShares), each share its own rows of Wᵀ·dy and its own planes; same bits as one thread
        int before = Parallel.threads();
        try {
            for (ConvGeometry g : new ConvGeometry[] {
                    conv(1, 16, 12, 10, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // 3×3, four channels a share at least
                    conv(1, 24, 21, 19, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1),   // strided: col2im through the phase planes
                    conv(1, 24, 20, 20, 4, 7, 7, 2, 2, 3, 3, 1, 1, 1),   // 7×7 stem-like: whole slivers need 12 channels
                    conv(1, 16, 14, 14, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2),   // grouped: shares inside each group
                    conv(1, 64, 40, 36, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // column matrix over budget: bands
                    conv(1, 12, 15, 15, 3, 3, 3, 1, 1, 2, 2, 2, 2, 1),   // dilated
                    conv(2, 20, 13, 11, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // two images, 13 channels would be a ragged last share
                    conv(1, 24, 9, 9, 5, 1, 1, 2, 2, 0, 0, 1, 1, 1)}) {  // 1×1 strided: not pointwise
                assertTrue(!ConvBatched.suits(g) && !Winograd.suits(g) && !g.isPointwise(), g.toString());
                float[] w = random(2, g.weightSize()), bias = random(3, g.c()), dy = random(4, g.n() * g.outImageSize());
                Parallel.setThreads(1);
                float[] dx1 = new float[g.n() * g.imageSize()], dxb1 = dx1.clone();
                ConvKernels.backwardData(g, dy, w, null, dx1);
                ConvKernels.backwardData(g, dy, w, bias, dxb1); // a transposed convolution's forward pass, with its bias
                close(g + " input gradient", ConvReference.backwardData(g, dy, w), dx1);
                for (int t : new int[] {2, 3, 8}) {
                    if (t <= g.n() * g.groups()) continue; // a whole image (group) per thread already
                    Parallel.setThreads(t);
                    assertTrue(ConvKernels.channelShares(g) > 1, g + " on " + t + " threads");
                    float[] dx = random(5, dx1.length), dxb = random(6, dx1.length); // stale values must not leak in
                    ConvKernels.backwardData(g, dy, w, null, dx);
                    assertArrayEquals(dx1, dx, g + " input gradient, threads " + t);
                    ConvKernels.backwardData(g, dy, w, bias, dxb);
                    assertArrayEquals(dxb1, dxb, g + " with bias, threads " + t);
                }
            }
            Parallel.setThreads(8);
            assertEquals(1, ConvKernels.channelShares(conv(8, 16, 12, 10, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "one image per thread: no cut");
            assertEquals(1, ConvKernels.channelShares(conv(1, 3, 12, 10, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "too few channels to cut");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void deterministicForAThreadCount() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            ConvGeometry g = conv(5, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            float[] x = random(1, g.n() * g.imageSize()), dy = random(2, g.n() * g.outImageSize());
            float[] a = new float[g.weightSize()], b = new float[g.weightSize()];
            ConvKernels.backwardWeight(g, x, dy, a);
            ConvKernels.backwardWeight(g, x, dy, b);
            assertArrayEquals(a, b);
            Parallel.setThreads(1);
            float[] serial = new float[g.weightSize()];
            ConvKernels.backwardWeight(g, x, dy, serial);
            close("1 vs 2 threads", serial, a);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
