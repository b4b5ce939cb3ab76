package io.descent.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3×3, stride-1 convolution by Winograd's minimal filtering F(4×4, 3×3) (Lavin and Gray,
 * "Fast Algorithms for Convolutional Neural Networks", CVPR 2016). The output is cut into
 * 4×4 tiles; the tile over the 6×6 input window {@code d} is
 * {@code Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A} ({@link WinogradTransforms}), 36 multiplies per
 * channel pair where the direct sum takes 144. Summed over input channels, the ⊙ becomes 36
 * independent GEMMs, one per transform position ξ:
 * {@code M_ξ[o, t] = Σ_c U_ξ[o, c]·V_ξ[c, t]}, with {@code U = G g Gᵀ} the transformed
 * weights (packed once per call) and {@code V = Bᵀ d B} the transformed input tiles.
 *
 * <p>Tiles are processed in blocks (whole images when their tiles are few, else bands of
 * tile rows of one image) sized so that a block's V and M stay near L2: each block copies
 * its input rows into a zero-padded scratch (so no window needs bounds checks), transforms
 * them 16 tiles at a time (one vector lane per tile, gathered), runs the 36 GEMMs and writes
 * the inverse transform (plus bias and ReLU) into the output. Blocks are spread over
 * {@link Parallel} workers and each output element is produced by one worker in a fixed
 * order, so results are bit-identical for a given thread count.
 *
 * <p>The input gradient of a stride-1 convolution is itself one (dy correlated with the
 * flipped, transposed kernel, padding 2 − p), so {@link #backwardData} runs the same code.
 * Rounding differs from the im2col path: the transforms' constants (1/6, 1/24, 4, 5, 8)
 * grow the rounding error to about 1e-6 of the magnitudes summed, where cuDNN and oneDNN's
 * Winograd paths are too. {@code -Ddescent.winograd=false} turns this path off.
 */
final class Winograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Input window (α = m + r − 1 = 6) and output tile (m = 4) sides; 36 transform positions. */
    static final int ALPHA = 6, TILE = 4, POSITIONS = ALPHA * ALPHA;
    /** V and M of a block together hold about this many floats (1 MiB, half an L2 here). */
    private static final int BLOCK_FLOATS = 1 << 18;
    /** Tiles per block: at least one GEMM micro-tile wide, at most this. */
    private static final int MIN_BLOCK = 2 * L, MAX_BLOCK = 256;
    /**
     * Fewer tiles than this and the weight transform (36 packed o×c matrices per call, written
     * at memory speed for wide layers) costs about what the multiplies save: measured break-even
     * near 32 tiles (ResNet-50's 512-channel 7×7 layer at batch 8 is 32 tiles, and 1.9× slower
     * this way; its 14×14 layer, 128 tiles, 1.6× faster).
     */
    static final int MIN_TILES = 64;

    static volatile boolean enabled = !"false".equals(System.getProperty("descent.winograd"));

    private Winograd() {}

    /** Whether {@code g}'s forward pass (and input gradient) can take this path. */
    static boolean suits(ConvGeometry g) {
        if (!enabled || g.groups() != 1 || g.kh() != 3 || g.kw() != 3 || g.sh() != 1 || g.sw() != 1
                || g.dh() != 1 || g.dw() != 1 || g.ph() > 2 || g.pw() > 2) return false;
        // the natural output size (a transposed convolution's geometry may be shorter)
        if (g.oh() != g.h() + 2 * g.ph() - 2 || g.ow() != g.w() + 2 * g.pw() - 2 || g.oh() <= 0 || g.ow() <= 0) return false;
        long tiles = (long) g.n() * tiles(g.oh()) * tiles(g.ow());
        long padded = (long) g.n() * Math.max(g.c(), g.o()) * (4L * tiles(g.oh()) + 2) * (4L * tiles(g.ow()) + 2);
        return tiles >= MIN_TILES && padded < Integer.MAX_VALUE;
    }

    private static int tiles(int size) {
        return (size + TILE - 1) / TILE;
    }

    /** {@code y = conv(x, w) + bias}, then {@code max(y, 0)} when {@code relu}; y is overwritten. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
        Gemm.PackedA[] u = WinogradTransforms.weights(w, g.o(), g.c(), false);
        new Pass(g.n(), g.c(), g.h(), g.w(), g.o(), g.oh(), g.ow(), g.ph(), g.pw(), u).run(x, bias, relu, y);
    }

    /** {@code dx = conv(dy, flip(w)ᵀ, padding 2 − p) + bias}, the input gradient; dx is overwritten. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] bias, float[] dx) {
        Gemm.PackedA[] u = WinogradTransforms.weights(w, g.o(), g.c(), true);
        new Pass(g.n(), g.o(), g.oh(), g.ow(), g.c(), g.h(), g.w(), 2 - g.ph(), 2 - g.pw(), u).run(dy, bias, false, dx);
    }

    /** Per-worker buffers, only ever grown; every element read is written first. */
    private static final class Scratch {
        float[] input = new float[0], v = new float[0], m = new float[0];
        int[] inIdx = new int[0], outIdx = new int[0];
        final float[] tmp = new float[POSITIONS * L], out = new float[TILE * TILE * L], lanes = new float[L];

        void ensure(int inputSize, int vSize, int mSize, int tiles) {
            if (input.length < inputSize) input = new float[inputSize];
            if (v.length < vSize) v = new float[vSize];
            if (m.length < mSize) m = new float[mSize];
            if (inIdx.length < tiles) {
                inIdx = new int[tiles];
                outIdx = new int[tiles];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * One convolution: input [n, cin, h, w], output [n, cout, oh, ow], padding (ph, pw), and the
     * transformed weights (one packed cout×cin matrix per position).
     */
    private record Pass(int n, int cin, int h, int w, int cout, int oh, int ow, int ph, int pw, Gemm.PackedA[] u) {
        int tilesY() {
            return tiles(oh);
        }

        int tilesX() {
            return tiles(ow);
        }

        /** Width of a padded input row: the windows of tilesX tiles. */
        int paddedWidth() {
            return TILE * tilesX() + 2;
        }

        void run(float[] x, float[] bias, boolean relu, float[] y) {
            int perImage = tilesY() * tilesX();
            int target = Math.clamp(BLOCK_FLOATS / (POSITIONS * (cin + cout)), MIN_BLOCK, MAX_BLOCK);
            // A block is `images` whole images, or `rows` tile rows of one image.
            int images, rows;
            if (perImage >= target) {
                images = 1;
                int bands = (tilesY() + Math.max(1, target / tilesX()) - 1) / Math.max(1, target / tilesX());
                rows = (tilesY() + bands - 1) / bands; // balanced bands
            } else {
                images = Math.max(1, target / perImage);
                rows = tilesY();
            }
            int bandsPerImage = (tilesY() + rows - 1) / rows;
            int blocks = images > 1 ? (n + images - 1) / images : n * bandsPerImage;
            int fImages = images, fRows = rows;
            Parallel.forRange(blocks, 1, (from, to) -> {
                Scratch s = SCRATCH.get();
                for (int b = from; b < to; b++) {
                    if (fImages > 1) {
                        int n0 = b * fImages;
                        block(s, x, bias, relu, y, n0, Math.min(n, n0 + fImages), 0, tilesY());
                    } else {
                        int ty0 = b % bandsPerImage * fRows;
                        block(s, x, bias, relu, y, b / bandsPerImage, b / bandsPerImage + 1, ty0, Math.min(tilesY(), ty0 + fRows));
                    }
                }
            });
        }

        /** Tile rows [ty0, ty1) of images [n0, n1). */
        private void block(Scratch s, float[] x, float[] bias, boolean relu, float[] y, int n0, int n1, int ty0, int ty1) {
            int tx = tilesX(), perImage = (ty1 - ty0) * tx, count = (n1 - n0) * perImage;
            int tiles = (count + L - 1) / L * L; // GEMM columns: whole vectors of tiles
            int pw2 = paddedWidth(), rowsP = TILE * (ty1 - ty0) + 2, plane = rowsP * pw2;
            // Positions' matrices one vector further apart than their size: at a multiple of
            // 4 KiB apart, the transforms' 36 loads or stores per tile would share one L1 set.
            int vStride = cin * tiles + L, mStride = cout * tiles + L;
            s.ensure((n1 - n0) * cin * plane, POSITIONS * vStride, POSITIONS * mStride, tiles);
            float[] xp = s.input, v = s.v, m = s.m;
            padRows(x, n0, n1, ty0, rowsP, xp);
            for (int t = 0; t < tiles; t++) {
                int tt = Math.min(t, count - 1), j = tt / perImage, r = tt % perImage / tx, c = tt % tx;
                s.inIdx[t] = j * cin * plane + TILE * r * pw2 + TILE * c;
                s.outIdx[t] = (n0 + j) * cout * oh * ow + TILE * (ty0 + r) * ow + TILE * c;
            }
            for (int ci = 0; ci < cin; ci++) {
                for (int t0 = 0; t0 < tiles; t0 += L) {
                    WinogradTransforms.input(xp, ci * plane, pw2, s.inIdx, t0, v, ci * tiles + t0, vStride, s.tmp);
                }
            }
            for (int xi = 0; xi < POSITIONS; xi++) {
                Gemm.sgemm(u[xi], false, tiles, 1f, v, xi * vStride, tiles, 0f, m, xi * mStride, tiles);
            }
            int outPlane = oh * ow;
            for (int t0 = 0; t0 < tiles; t0 += L) {
                int full = fullLanes(t0, count, ty0, perImage, tx);
                for (int co = 0; co < cout; co++) {
                    float b = bias == null ? 0f : bias[co];
                    WinogradTransforms.output(m, co * tiles + t0, mStride, b, relu, s.tmp, s.out);
                    if (full == L) {
                        WinogradTransforms.scatter(s.out, y, co * outPlane, ow, s.outIdx, t0);
                    } else {
                        scatterPartial(s, y, co * outPlane, t0, count, ty0, perImage, tx);
                    }
                }
            }
        }

        /** L when the L tiles from t0 all exist and lie wholly inside the output, else less. */
        private int fullLanes(int t0, int count, int ty0, int perImage, int tx) {
            int full = 0;
            for (int t = t0; t < t0 + L; t++) {
                if (t < count && inside(t, ty0, perImage, tx)) full++;
            }
            return full;
        }

        private boolean inside(int t, int ty0, int perImage, int tx) {
            int r = ty0 + t % perImage / tx, c = t % tx;
            return TILE * r + TILE <= oh && TILE * c + TILE <= ow;
        }

        /** The lanes of existing tiles, each clipped to the output's edge. */
        private void scatterPartial(Scratch s, float[] y, int off, int t0, int count, int ty0, int perImage, int tx) {
            for (int lane = 0; lane < L && t0 + lane < count; lane++) {
                int t = t0 + lane;
                int r = ty0 + t % perImage / tx, c = t % tx;
                int rows = Math.min(TILE, oh - TILE * r), cols = Math.min(TILE, ow - TILE * c);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) y[off + s.outIdx[t] + i * ow + j] = s.out[(i * TILE + j) * L + lane];
                }
            }
        }

        /**
         * Input rows of images [n0, n1) under tile rows starting at ty0, into
         * {@code xp[image][channel][rowsP][paddedWidth]} with the padding and whatever lies
         * beyond the input as zeros.
         */
        private void padRows(float[] x, int n0, int n1, int ty0, int rowsP, float[] xp) {
            int pw2 = paddedWidth(), plane = rowsP * pw2, hw = h * w;
            for (int j = 0; j < n1 - n0; j++) {
                for (int ci = 0; ci < cin; ci++) {
                    int src = ((n0 + j) * cin + ci) * hw, dst = (j * cin + ci) * plane;
                    for (int r = 0; r < rowsP; r++) {
                        int iy = TILE * ty0 + r - ph, d = dst + r * pw2;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(xp, d, d + pw2, 0f);
                            continue;
                        }
                        for (int q = d; q < d + pw; q++) xp[q] = 0f; // margins of a few floats: no fill call
                        System.arraycopy(x, src + iy * w, xp, d + pw, w);
                        for (int q = d + pw + w; q < d + pw2; q++) xp[q] = 0f;
                    }
                }
            }
        }
    }
}
