package io.descent.kernels;

/**
 * The column matrix of one group of one image, and its adjoint. Row
 * {@code r = (ch·kh + ki)·kw + kj}, column {@code q = oy·ow + ox} of {@code cols} holds input
 * pixel {@code (ch, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw)}, or 0 where that falls in the
 * padding; then a convolution is the product {@code W[o/groups, K] · cols[K, oh·ow]}
 * (Chellapilla et al., "High Performance Convolutional Neural Networks for Document
 * Processing", 2006). {@link #col2im} is the exact transpose of {@link #im2col}: it adds every
 * column entry back onto the pixel it came from, which gives the input gradient of a
 * convolution and the forward pass of a transposed convolution.
 *
 * <p>For each kernel offset the range of output columns that read inside the image is found
 * once ({@link #lo}, {@link #hi}), so the inner loops carry no bounds tests; at stride 1 they
 * are array copies, and for "same" convolutions one copy per kernel offset and channel
 * ({@link #rowsContiguous}). The only arithmetic, col2im's accumulation of those spans, goes
 * through {@link VectorOps#axpy} (scalar twin in {@link ScalarOps}); tests check both
 * directions against a direct convolution.
 */
public final class Im2col {
    private Im2col() {}

    /**
     * Writes the [(c/groups)·kh·kw, oh·ow] column matrix of the {@code c/groups} input planes
     * starting at {@code x[xOff]} into {@code cols[0 ..)} (every entry is written).
     */
    public static void im2col(ConvGeometry g, float[] x, int xOff, float[] cols) {
        im2col(g, x, xOff, cols, 0, g.p());
    }

    /**
     * {@link #im2col(ConvGeometry, float[], int, float[])} into a wider matrix: row r of this
     * image's block starts at {@code cols[cOff + r·ld]} (several images side by side, ld ≥ oh·ow).
     */
    public static void im2col(ConvGeometry g, float[] x, int xOff, float[] cols, int cOff, int ld) {
        im2colRows(g, x, xOff, 0, g.oh(), cols, cOff, ld);
    }

    /**
     * The band of output rows {@code [oy0, oy1)} of the column matrix: its columns
     * {@code oy0·ow .. oy1·ow} only, column {@code q} of row r at {@code cols[cOff + r·ld + q − oy0·ow]}.
     * A large image is convolved band by band so that the column matrix stays in cache.
     */
    public static void im2colRows(ConvGeometry g, float[] x, int xOff, int oy0, int oy1, float[] cols, int cOff, int ld) {
        if (Im2colPhases.suits(g)) Im2colPhases.im2colRows(g, x, xOff, oy0, oy1, cols, cOff, ld);
        else gatherRows(g, x, xOff, oy0, oy1, cols, cOff, ld);
    }

    /** {@link #im2colRows} gathering straight from the planes (strided layers go through {@link Im2colPhases}). */
    static void gatherRows(ConvGeometry g, float[] x, int xOff, int oy0, int oy1, float[] cols, int cOff, int ld) {
        int w = g.w(), ow = g.ow(), sw = g.sw();
        boolean contiguous = rowsContiguous(g);
        forEachOffset(g, xOff, oy0, oy1, cOff, ld, (base, plane, y0, x0, oyLo, oyHi, oxLo, oxHi) -> {
            int start = base + oy0 * ow, end = base + oy1 * ow;
            if (contiguous && oyLo < oyHi && oxLo < oxHi) {
                int dst = base + oyLo * ow + oxLo, len = (oyHi - oyLo - 1) * ow + (oxHi - oxLo);
                java.util.Arrays.fill(cols, start, dst, 0f);
                System.arraycopy(x, plane + (oyLo + y0) * w + x0 + oxLo, cols, dst, len);
                zeroGaps(cols, base, ow, oyLo, oyHi, oxLo, oxHi);
                java.util.Arrays.fill(cols, dst + len, end, 0f);
                return;
            }
            java.util.Arrays.fill(cols, start, base + oyLo * ow, 0f);
            for (int oy = oyLo; oy < oyHi; oy++) {
                int dst = base + oy * ow;
                int src = plane + (oy * g.sh() + y0) * w + oxLo * sw + x0;
                java.util.Arrays.fill(cols, dst, dst + oxLo, 0f);
                if (sw == 1) {
                    System.arraycopy(x, src, cols, dst + oxLo, oxHi - oxLo);
                } else {
                    for (int ox = oxLo; ox < oxHi; ox++, src += sw) cols[dst + ox] = x[src];
                }
                java.util.Arrays.fill(cols, dst + oxHi, dst + ow, 0f);
            }
            java.util.Arrays.fill(cols, base + oyHi * ow, end, 0f);
        });
    }

    /**
     * Adds the column matrix {@code cols[0 ..)} back onto the {@code c/groups} planes starting
     * at {@code x[xOff]} (accumulates: the caller initialises them). {@code cols} is scratch:
     * its entries that correspond to padding may be zeroed.
     */
    public static void col2im(ConvGeometry g, float[] cols, float[] x, int xOff) {
        col2im(g, cols, 0, g.p(), x, xOff);
    }

    /** {@link #col2im(ConvGeometry, float[], float[], int)} from a wider matrix (see the wide {@link #im2col}). */
    public static void col2im(ConvGeometry g, float[] cols, int cOff, int ld, float[] x, int xOff) {
        col2imRows(g, cols, cOff, ld, 0, g.oh(), x, xOff);
    }

    /** The adjoint of {@link #im2colRows}: adds the band of output rows {@code [oy0, oy1)} back onto the planes. */
    public static void col2imRows(ConvGeometry g, float[] cols, int cOff, int ld, int oy0, int oy1, float[] x, int xOff) {
        if (Im2colPhases.suits(g)) Im2colPhases.col2imRows(g, cols, cOff, ld, oy0, oy1, x, xOff);
        else scatterRows(g, cols, cOff, ld, oy0, oy1, x, xOff);
    }

    /** {@link #col2imRows} adding straight onto the planes (strided layers go through {@link Im2colPhases}). */
    static void scatterRows(ConvGeometry g, float[] cols, int cOff, int ld, int oy0, int oy1, float[] x, int xOff) {
        int w = g.w(), ow = g.ow(), sw = g.sw();
        boolean contiguous = rowsContiguous(g);
        forEachOffset(g, xOff, oy0, oy1, cOff, ld, (base, plane, y0, x0, oyLo, oyHi, oxLo, oxHi) -> {
            if (contiguous && oyLo < oyHi && oxLo < oxHi) {
                int src = base + oyLo * ow + oxLo, len = (oyHi - oyLo - 1) * ow + (oxHi - oxLo);
                int dst = plane + (oyLo + y0) * w + x0 + oxLo;
                zeroGaps(cols, base, ow, oyLo, oyHi, oxLo, oxHi);
                VectorOps.axpy(len, 1f, cols, src, x, dst); // fma with 1 is an exact add
                return;
            }
            for (int oy = oyLo; oy < oyHi; oy++) {
                int src = base + oy * ow;
                int dst = plane + (oy * g.sh() + y0) * w + oxLo * sw + x0;
                if (sw == 1) {
                    for (int ox = oxLo; ox < oxHi; ox++, dst++) x[dst] += cols[src + ox];
                } else {
                    for (int ox = oxLo; ox < oxHi; ox++, dst += sw) x[dst] += cols[src + ox];
                }
            }
        });
    }

    /** One kernel offset of {@link #forEachOffset}: its column-matrix row, input plane and valid output range. */
    @FunctionalInterface
    private interface OffsetBody {
        /**
         * {@code base}: where output pixel (oy, ox) of this row sits in the column matrix,
         * {@code base + oy·ow + ox}; {@code plane}: the input plane's start; input pixel of
         * output (oy, ox) is row {@code oy·sh + y0}, column {@code ox·sw + x0}; outputs
         * {@code [oyLo, oyHi) × [oxLo, oxHi)} of the band read inside the image.
         */
        void run(int base, int plane, int y0, int x0, int oyLo, int oyHi, int oxLo, int oxHi);
    }

    /**
     * Walks the rows of the column matrix, (channel, ki, kj) in order, working out for each
     * the input plane, the kernel offset and the range of the band's output pixels that read
     * inside the image: the iteration {@link #im2colRows} and {@link #col2imRows} share.
     */
    private static void forEachOffset(ConvGeometry g, int xOff, int oy0, int oy1, int cOff, int ld, OffsetBody body) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), sw = g.sw();
        int row = 0;
        for (int ch = 0; ch < g.cg(); ch++) {
            int plane = xOff + ch * h * w;
            for (int ki = 0; ki < g.kh(); ki++) {
                int y0 = ki * g.dh() - g.ph();
                int oyLo = Math.min(oy1, Math.max(oy0, lo(y0, g.sh(), oh))), oyHi = Math.max(oyLo, Math.min(oy1, hi(y0, g.sh(), h, oh)));
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int x0 = kj * g.dw() - g.pw();
                    int oxLo = lo(x0, sw, ow), oxHi = Math.max(oxLo, hi(x0, sw, w, ow));
                    body.run(cOff + row * ld - oy0 * ow, plane, y0, x0, oyLo, oyHi, oxLo, oxHi);
                }
            }
        }
    }

    /**
     * Stride 1 and an output as wide as the input ("same" convolutions): consecutive output
     * rows then read consecutive input rows, so a kernel offset's whole block of valid rows is
     * one contiguous span of the input plane, copied (or added) in one go. The span also
     * crosses the few columns that fall in the left or right padding; {@link #zeroGaps}
     * clears those entries of the column matrix.
     */
    private static boolean rowsContiguous(ConvGeometry g) {
        return g.sw() == 1 && g.sh() == 1 && g.ow() == g.w();
    }

    /** Zeroes, in rows oyLo..oyHi−1 of one column-matrix row, the entries outside [oxLo, oxHi) that lie between them. */
    static void zeroGaps(float[] cols, int r, int ow, int oyLo, int oyHi, int oxLo, int oxHi) {
        int gap = ow - oxHi + oxLo; // entries between the end of one row's valid range and the start of the next's
        if (gap == 0) return;
        int last = r + (oyHi - 1) * ow + oxHi;
        if (gap == 1) { // a 3x3 "same" convolution: one entry per row, a single strided loop
            for (int q = r + oyLo * ow + oxHi; q < last; q += ow) cols[q] = 0f;
            return;
        }
        for (int q = r + oyLo * ow + oxHi; q < last; q += ow) java.util.Arrays.fill(cols, q, q + gap, 0f);
    }

    /** The first output index q (≤ count) whose input position {@code q·s + off} is ≥ 0. */
    static int lo(int off, int s, int count) {
        return off >= 0 ? 0 : Math.min(count, (-off + s - 1) / s);
    }

    /** One past the last output index q (≤ count) whose input position {@code q·s + off} is < size. */
    static int hi(int off, int s, int size, int count) {
        int last = size - 1 - off;
        return last < 0 ? 0 : Math.min(count, last / s + 1);
    }
}
