package io.descent.kernels;

import java.util.Arrays;

/**
 * Convolution for small output planes (the late stages of a ResNet or VGG: 4×4 to 14×14
 * pixels), with several images' column matrices side by side in one wide matrix
 * {@code cols[K, b·p]} so that each GEMM has b·p columns instead of p. Image by image, a
 * 512-channel 4×4 layer would multiply a 512×4608 weight by a 16-column matrix 128 times per
 * batch, packing the whole weight each time, and its weight gradient would rewrite all of
 * dW (9 MB) once per image with k = 16. Same maths as {@link ConvKernels} (whose Javadoc
 * gives the formulas); groups = 1 only. The GEMMs parallelise themselves; im2col, col2im and
 * the moves between the [n, o, p] tensors and the [o, b·p] GEMM operands are split over
 * images. The chunk size b depends only on the geometry, so results are bit-identical for a
 * given thread count.
 */
final class ConvBatched {
    /** Output planes smaller than this many pixels take this path. */
    static final int MAX_PLANE = 100;
    /** Target width (columns) of the wide column matrix. */
    private static final int TARGET_COLUMNS = 1024;

    private ConvBatched() {}

    /**
     * The wide column matrix and the [o, b·p] operand, kept per thread and only ever grown: at
     * 4608 × 1024 floats they are 19 MB, which allocated afresh per call cost a zeroing pass of
     * the JVM's as large as the im2col itself. Every element used is written before it is read.
     */
    private static final class Scratch {
        private float[] columns = new float[0], outputs = new float[0];

        float[] columns(int size) {
            if (columns.length < size) columns = new float[size];
            return columns;
        }

        float[] outputs(int size) {
            if (outputs.length < size) outputs = new float[size];
            return outputs;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static boolean suits(ConvGeometry g) {
        return g.groups() == 1 && g.p() < MAX_PLANE && g.n() > 1;
    }

    /** Images per chunk. */
    static int chunk(ConvGeometry g) {
        return Math.max(1, Math.min(g.n(), (TARGET_COLUMNS + g.p() - 1) / g.p()));
    }

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
        int k = g.k(), p = g.p(), o = g.o(), b = chunk(g);
        Scratch sc = SCRATCH.get();
        float[] cols = sc.columns(k * b * p), out = sc.outputs(o * b * p);
        for (int i0 = 0; i0 < g.n(); i0 += b) {
            int cb = Math.min(b, g.n() - i0), ld = cb * p, first = i0;
            im2colChunk(g, x, first, cb, cols);
            Gemm.sgemm(false, false, o, ld, k, 1f, w, 0, k, cols, 0, ld, 0f, out, 0, ld);
            Parallel.forRange(cb, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int ch = 0; ch < o; ch++) {
                        int src = ch * ld + i * p, dst = (first + i) * g.outImageSize() + ch * p;
                        if (bias == null) {
                            System.arraycopy(out, src, y, dst, p);
                        } else {
                            float bv = bias[ch];
                            for (int q = 0; q < p; q++) y[dst + q] = out[src + q] + bv;
                        }
                    }
                    if (relu) VectorOps.relu(y, y, (first + i) * g.outImageSize(), (first + i + 1) * g.outImageSize());
                }
            });
        }
    }

    /** {@code dx = col2im(Wᵀ · dy) + bias} (overwritten), as {@link ConvKernels#backwardData}. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] bias, float[] dx) {
        int k = g.k(), p = g.p(), o = g.o(), b = chunk(g), hw = g.h() * g.w();
        Scratch sc = SCRATCH.get();
        float[] dyb = sc.outputs(o * b * p), dcols = sc.columns(k * b * p);
        for (int i0 = 0; i0 < g.n(); i0 += b) {
            int cb = Math.min(b, g.n() - i0), ld = cb * p, first = i0;
            gather(g, dy, first, cb, dyb);
            Gemm.sgemm(true, false, k, ld, o, 1f, w, 0, k, dyb, 0, ld, 0f, dcols, 0, ld);
            Parallel.forRange(cb, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int dxOff = (first + i) * g.imageSize();
                    if (bias == null) Arrays.fill(dx, dxOff, dxOff + g.imageSize(), 0f);
                    else for (int ch = 0; ch < g.c(); ch++) Arrays.fill(dx, dxOff + ch * hw, dxOff + (ch + 1) * hw, bias[ch]);
                    Im2col.col2im(g, dcols, i * p, ld, dx, dxOff);
                }
            });
        }
    }

    /** {@code dw = Σ_images dy · colsᵀ} (overwritten), chunk by chunk in order. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int k = g.k(), p = g.p(), o = g.o(), b = chunk(g);
        Scratch sc = SCRATCH.get();
        float[] cols = sc.columns(k * b * p), dyb = sc.outputs(o * b * p);
        for (int i0 = 0; i0 < g.n(); i0 += b) {
            int cb = Math.min(b, g.n() - i0), ld = cb * p, first = i0;
            im2colChunk(g, x, first, cb, cols);
            gather(g, dy, first, cb, dyb);
            Gemm.sgemm(false, true, o, k, ld, 1f, dyb, 0, ld, cols, 0, ld, i0 == 0 ? 0f : 1f, dw, 0, k);
        }
    }

    /** The chunk's column matrices side by side: image {@code first + i} in columns {@code [i·p, (i+1)·p)}. */
    private static void im2colChunk(ConvGeometry g, float[] x, int first, int cb, float[] cols) {
        int p = g.p(), ld = cb * p;
        Parallel.forRange(cb, 1, (from, to) -> {
            for (int i = from; i < to; i++) Im2col.im2col(g, x, (first + i) * g.imageSize(), cols, i * p, ld);
        });
    }

    /** {@code dyb[ch, i·p + q] = dy[first + i, ch, q]} for the chunk's images. */
    private static void gather(ConvGeometry g, float[] dy, int first, int cb, float[] dyb) {
        int p = g.p(), ld = cb * p;
        Parallel.forRange(cb, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int ch = 0; ch < g.o(); ch++) System.arraycopy(dy, (first + i) * g.outImageSize() + ch * p, dyb, ch * ld + i * p, p);
            }
        });
    }
}
