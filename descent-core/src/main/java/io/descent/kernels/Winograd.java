package io.descent.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * order, so the forward pass and input gradient are bit-identical for any thread count (a
 * GEMM's sums depend on its depth only), the weight gradient for a given one.
 *
 * <p>The input gradient of a stride-1 convolution is itself one (dy correlated with the
 * flipped, transposed kernel, padding 2 − p), so {@link #backwardData} runs the same code.
 * The weight gradient is the adjoint computation ({@link Pass#weightGrad}).
 * Rounding differs from the im2col path: the transforms' constants (1/6, 1/24, 4, 5, 8)
 * grow the rounding error to a few 1e-6 of the magnitudes summed (a direct sum: ~1e-7), as
 * in cuDNN's and oneDNN's Winograd paths. {@code -Ddescent.winograd=false} or
 * {@link ConvKernels#setWinograd} turns this path off.
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

    /**
     * Layers with at least this many channel pairs (cin·cout; 256 → 512 and wider) take blocks
     * of the most tiles. Every block streams all 36 transformed weight matrices U through its
     * GEMMs (19 MB at 256 → 512, 38 MB at 512 → 512), and the weight gradient reads and writes
     * as many accumulators; re-reading them for each small block costs more than V and M
     * falling out of L2 in a large one. Measured (batch 8, 2 threads, 28×28): 512 → 512 forward
     * 71 → 50 ms, weight gradient 82 → 64 ms; 256 → 512 forward 31.5 → 28 ms, weight gradient
     * 45.5 → 38.5 ms. At 256 → 256 the small blocks stay ahead (56×56 forward: 44 against 53 ms).
     */
    static final int WIDE_CHANNEL_PAIRS = 256 * 512;

    /** Input and output channels at least (measured: 3 → 64 at 32×32 was 1.5–2.6× slower this way, 16 → 16 1.5× faster). */
    static final int MIN_CHANNELS = 16;

    static volatile boolean enabled = !"false".equals(System.getProperty("descent.winograd"));

    private Winograd() {}

    /** Whether {@code g}'s forward pass (and input gradient) can take this path. */
    static boolean suits(ConvGeometry g) {
        // a few channels (a network's stem) leave the 36 GEMMs too thin to pay for the transforms
        if (!enabled || g.groups() != 1 || g.c() < MIN_CHANNELS || g.o() < MIN_CHANNELS || g.kh() != 3 || g.kw() != 3 || g.sh() != 1 || g.sw() != 1
                || g.dh() != 1 || g.dw() != 1 || g.ph() > 2 || g.pw() > 2) return false;
        // the natural output size (a transposed convolution's geometry may be shorter)
        if (g.oh() != g.h() + 2 * g.ph() - 2 || g.ow() != g.w() + 2 * g.pw() - 2 || g.oh() <= 0 || g.ow() <= 0) return false;
        return (long) g.n() * tiles(g.oh()) * tiles(g.ow()) >= MIN_TILES;
    }

    /**
     * Whether {@code g}'s weight gradient takes this path too: it needs wider layers to pay
     * (its GEMMs are o×c with the tiles as their depth, plus a transform of dy): measured on 2
     * threads 2.0× faster at 64 channels 32×32, 8 % slower at 32 → 64 channels 14×14.
     */
    static boolean suitsWeightGrad(ConvGeometry g) {
        return suits(g) && Math.min(g.c(), g.o()) >= WEIGHT_GRAD_MIN_CHANNELS;
    }

    static final int WEIGHT_GRAD_MIN_CHANNELS = 64;

    private static int tiles(int size) {
        return (size + TILE - 1) / TILE;
    }

    /** {@code y = conv(x, w) + bias}, then {@code max(y, 0)} when {@code relu}; y is overwritten. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
        Gemm.PackedA[] u = WinogradTransforms.weights(w, g.o(), g.c(), false);
        new Pass(g.n(), g.c(), g.h(), g.w(), g.o(), g.oh(), g.ow(), g.ph(), g.pw(), u).run(x, bias, relu, y);
    }

    /** {@code dw = ∂/∂w Σ dy·conv(x, w)}, the weight gradient; dw is overwritten. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        new Pass(g.n(), g.c(), g.h(), g.w(), g.o(), g.oh(), g.ow(), g.ph(), g.pw(), null).weightGrad(x, dy, dw);
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
        final float[] tmp = new float[POSITIONS * L], out = new float[TILE * TILE * L], tiles = new float[TILE * TILE * L];
        final int[] rows = new int[L], cols = new int[L];
        final boolean[] lanes = new boolean[L];
        @SuppressWarnings("unchecked")
        final VectorMask<Float>[] masks = new VectorMask[TILE * TILE];

        /** Sizes V and M for one block run on this thread alone. */
        void ensureBlock(Pass.Block k) {
            if (v.length < POSITIONS * k.vStride()) v = new float[POSITIONS * k.vStride()];
            if (m.length < POSITIONS * k.mStride()) m = new float[POSITIONS * k.mStride()];
        }

        /** Sizes the padded input (of {@code inputSize} floats) and the tile indices of a block. */
        void ensureInput(int inputSize, int tiles) {
            if (input.length < inputSize) input = new float[inputSize];
            if (inIdx.length < tiles) {
                inIdx = new int[tiles];
                outIdx = new int[tiles];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * The calling thread's V and M of all blocks for {@link Pass#runPhased} and
     * {@link Pass#weightGradPhased} (shared with the team during the call), only ever grown.
     */
    private static final ThreadLocal<float[][]> PHASED = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /**
     * Blocks, their offsets in the phased V and M arrays, and the channel shares of the
     * transforms: with fewer blocks than threads, the phases run one after the other, each
     * spread over the whole team (transforms by block and channel share, GEMMs by block and
     * position).
     */
    private record Phased(Pass.Block[] blocks, int[] vAt, int[] mAt, float[] v, float[] m) {
        /** The phased layout of {@code blocks}, or null when their V or M would not fit one array (then they go block by block). */
        static Phased of(Pass.Block[] blocks) {
            int[] vAt = new int[blocks.length], mAt = new int[blocks.length];
            long vn = 0, mn = 0;
            for (int b = 0; b < blocks.length; b++) {
                vAt[b] = (int) vn;
                mAt[b] = (int) mn;
                vn += (long) POSITIONS * blocks[b].vStride();
                mn += (long) POSITIONS * blocks[b].mStride();
            }
            if (vn > Integer.MAX_VALUE - 8 || mn > Integer.MAX_VALUE - 8) return null;
            float[][] held = PHASED.get();
            if (held[0].length < vn) held[0] = new float[(int) vn];
            if (held[1].length < mn) held[1] = new float[(int) mn];
            return new Phased(blocks, vAt, mAt, held[0], held[1]);
        }

        /** Shares of {@code channels} for each block's transform, so that blocks × shares about fills the team. */
        int shares(int channels) {
            return Math.max(1, Math.min(channels, (Parallel.threads() + blocks.length - 1) / blocks.length));
        }
    }

    /**
     * One convolution: input [n, cin, h, w], output [n, cout, oh, ow], padding (ph, pw), and for
     * {@link #run} the transformed weights (one packed cout×cin matrix per position).
     */
    private record Pass(int n, int cin, int h, int w, int cout, int oh, int ow, int ph, int pw, Gemm.PackedA[] u) {
        int tilesY() {
            return tiles(oh);
        }

        int tilesX() {
            return tiles(ow);
        }

        /** Whether the layer has {@link #WIDE_CHANNEL_PAIRS} or more and so takes the largest blocks. */
        boolean wide() {
            return (long) cin * cout >= WIDE_CHANNEL_PAIRS;
        }

        /** Width of a padded input row: the windows of tilesX tiles. */
        int paddedWidth() {
            return TILE * tilesX() + 2;
        }

        /** y = Aᵀ[U ⊙ V]A (+ bias, ReLU), block by block. */
        void run(float[] x, float[] bias, boolean relu, float[] y) {
            int target = wide() ? MAX_BLOCK : Math.clamp(BLOCK_FLOATS / (POSITIONS * (cin + cout)), MIN_BLOCK, MAX_BLOCK);
            int blocks = blocks(target);
            Phased ph = phased(blocks, target);
            if (ph != null) {
                runPhased(x, bias, relu, y, ph);
                return;
            }
            Parallel.forRange(blocks, 1, (from, to) -> {
                Scratch s = SCRATCH.get();
                for (int b = from; b < to; b++) {
                    Block k = block(b, target);
                    s.ensureBlock(k);
                    transformInput(s, x, k, 0, cin, s.v, 0);
                    for (int xi = 0; xi < POSITIONS; xi++) {
                        Gemm.sgemm(u[xi], false, k.tiles, 1f, s.v, xi * k.vStride, k.tiles, 0f, s.m, xi * k.mStride, k.tiles);
                    }
                    transformOutput(s, k, bias, relu, y, s.m, 0, 0, cout);
                }
            });
        }

        /**
         * {@link #run} with fewer blocks than threads (ResNet-50's 256-channel 14×14 layers at
         * batch 8 make 8 blocks: on 16 threads, half the team idled, and one block on two threads
         * ran its transforms on one): the input transforms by block and share of channels, then
         * the 36 GEMMs of every block as separate tasks, then the output transforms by block and
         * share of channels. The same values, bit for bit, as block by block.
         */
        private void runPhased(float[] x, float[] bias, boolean relu, float[] y, Phased ph) {
            int blocks = ph.blocks().length, inShares = ph.shares(cin), outShares = ph.shares(cout);
            Parallel.forRange(blocks * inShares, 1, (from, to) -> {
                Scratch s = SCRATCH.get();
                for (int item = from; item < to; item++) {
                    int b = item / inShares, sh = item % inShares;
                    transformInput(s, x, ph.blocks()[b], Parallel.bound(cin, inShares, sh), Parallel.bound(cin, inShares, sh + 1), ph.v(), ph.vAt()[b]);
                }
            });
            Parallel.forRange(blocks * POSITIONS, 1, (from, to) -> {
                for (int item = from; item < to; item++) {
                    int b = item / POSITIONS, xi = item % POSITIONS;
                    Block k = ph.blocks()[b];
                    Gemm.sgemm(u[xi], false, k.tiles, 1f, ph.v(), ph.vAt()[b] + xi * k.vStride, k.tiles, 0f, ph.m(), ph.mAt()[b] + xi * k.mStride, k.tiles);
                }
            });
            Parallel.forRange(blocks * outShares, 1, (from, to) -> {
                Scratch s = SCRATCH.get();
                for (int item = from; item < to; item++) {
                    int b = item / outShares, sh = item % outShares;
                    Block k = ph.blocks()[b];
                    indices(s, k, 1);
                    transformOutput(s, k, bias, relu, y, ph.m(), ph.mAt()[b], Parallel.bound(cout, outShares, sh), Parallel.bound(cout, outShares, sh + 1));
                }
            });
        }

        /** The phased layout when there are fewer blocks than threads (and it fits), else null: block by block. */
        private Phased phased(int blocks, int target) {
            if (blocks >= Parallel.threads() || Parallel.inWorker()) return null;
            Block[] list = new Block[blocks];
            for (int b = 0; b < blocks; b++) list[b] = block(b, target);
            return Phased.of(list);
        }

        /**
         * The weight gradient, dW = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B)]G, the adjoint of the forward
         * pass: per position a GEMM {@code dU_ξ[o, c] += dM_ξ[o, t]·V_ξ[c, t]} with the tiles as its
         * long dimension. Each worker sums its blocks into its own dU; the partials are added in
         * worker order, so the result is bit-identical for a given thread count.
         */
        void weightGrad(float[] x, float[] dy, float[] dw) {
            int target = wide() ? MAX_BLOCK // measured: 1,024 no faster
                    : Math.clamp(2 * BLOCK_FLOATS / (POSITIONS * (cin + cout)), 2 * MIN_BLOCK, 4 * MAX_BLOCK); // measured: 4× as large was 15 % slower
            int blocks = blocks(target), uStride = cout * cin + L; // a vector apart, as in block()
            float[] du;
            Phased ph = phased(blocks, target);
            if (ph != null) {
                du = weightGradPhased(x, dy, ph, uStride);
            } else {
                float[][] partials = new float[blocks][];
                Parallel.forRange(blocks, 1, (from, to) -> {
                    Scratch s = SCRATCH.get();
                    float[] acc = BufferPool.take(POSITIONS * uStride); // written (β = 0) by its first block; the gaps between positions are never read
                    for (int b = from; b < to; b++) {
                        Block k = block(b, target);
                        s.ensureBlock(k);
                        transformInput(s, x, k, 0, cin, s.v, 0);
                        transformGradient(s, k, dy, s.m, 0, 0, cout);
                        for (int xi = 0; xi < POSITIONS; xi++) {
                            Gemm.sgemm(false, true, cout, cin, k.tiles, 1f, s.m, xi * k.mStride, k.tiles, s.v, xi * k.vStride, k.tiles,
                                    b == from ? 0f : 1f, acc, xi * uStride, cin);
                        }
                    }
                    partials[from] = acc;
                });
                du = partials[0];
                Partials.sumIntoFirst(partials, du.length);
                for (int p = 1; p < blocks; p++) if (partials[p] != null) BufferPool.give(partials[p]);
            }
            Parallel.forRange(cout, Math.max(1, 4096 / cin), (from, to) -> {
                float[] t = new float[18];
                for (int o = from; o < to; o++) {
                    for (int c = 0; c < cin; c++) WinogradTransforms.filterGradient(du, o * cin + c, uStride, dw, (o * cin + c) * 9, t);
                }
            });
            BufferPool.give(du);
        }

        /**
         * The summed dU of {@link #weightGrad} with fewer blocks than threads: the transforms of
         * every block by share of channels, then one task per position summing its GEMMs over the
         * blocks in block order, which are the sums one thread makes: the result does not
         * depend on the thread count.
         */
        private float[] weightGradPhased(float[] x, float[] dy, Phased ph, int uStride) {
            int blocks = ph.blocks().length, inShares = ph.shares(cin), outShares = ph.shares(cout);
            Parallel.forRange(blocks * (inShares + outShares), 1, (from, to) -> {
                Scratch s = SCRATCH.get();
                for (int item = from; item < to; item++) {
                    int b = item / (inShares + outShares), sh = item % (inShares + outShares);
                    Block k = ph.blocks()[b];
                    if (sh < inShares) {
                        transformInput(s, x, k, Parallel.bound(cin, inShares, sh), Parallel.bound(cin, inShares, sh + 1), ph.v(), ph.vAt()[b]);
                    } else {
                        sh -= inShares;
                        indices(s, k, 1);
                        transformGradient(s, k, dy, ph.m(), ph.mAt()[b], Parallel.bound(cout, outShares, sh), Parallel.bound(cout, outShares, sh + 1));
                    }
                }
            });
            float[] du = BufferPool.take(POSITIONS * uStride); // every row written (β = 0) by block 0
            int parts = rowParts();
            Parallel.forRange(POSITIONS * parts, 1, (from, to) -> {
                for (int item = from; item < to; item++) {
                    int xi = item / parts, r0 = Parallel.bound(cout, parts, item % parts), r1 = Parallel.bound(cout, parts, item % parts + 1);
                    for (int b = 0; b < blocks; b++) {
                        Block k = ph.blocks()[b];
                        Gemm.sgemm(false, true, r1 - r0, cin, k.tiles, 1f, ph.m(), ph.mAt()[b] + xi * k.mStride + r0 * k.tiles, k.tiles,
                                ph.v(), ph.vAt()[b] + xi * k.vStride, k.tiles, b == 0 ? 0f : 1f, du, xi * uStride + r0 * cin, cin);
                    }
                }
            });
            return du;
        }

        /**
         * Bands of dU's rows per position in {@link #weightGradPhased}: 36 positions alone leave
         * 16 threads 3 rounds for 2.25 rounds of work (vgg16's 512-channel layers: 11 ms of
         * waiting per training step, projected). A band is at least 64 rows, so its products
         * take the tiled path as the whole one does, whose sums do not depend on the rows it is
         * given: the same bits, from the geometry alone.
         */
        private int rowParts() {
            return Math.clamp(cout / 64, 1, 4);
        }

        /**
         * Tile rows [ty0, ty1) of images [n0, n1): {@code count} tiles, padded to {@code tiles}
         * (whole vectors; GEMM columns), {@code perImage} of them per image.
         */
        private record Block(int n0, int n1, int ty0, int ty1, int count, int tiles, int perImage, int rowsP, int plane, int vStride, int mStride) {}

        /** Blocks of about {@code target} tiles: whole images when an image has fewer, else balanced bands of tile rows. */
        private int blocks(int target) {
            int images = imagesPerBlock(target);
            return images > 1 ? (n + images - 1) / images : n * bandsPerImage(target);
        }

        private int imagesPerBlock(int target) {
            int perImage = tilesY() * tilesX();
            return perImage >= target ? 1 : Math.max(1, Math.min(target / perImage, (n + Parallel.threads() - 1) / Parallel.threads()));
        }

        private int bandsPerImage(int target) {
            int rowsMax = Math.max(1, target / tilesX());
            return imagesPerBlock(target) > 1 ? 1 : (tilesY() + rowsMax - 1) / rowsMax;
        }

        private Block block(int b, int target) {
            int images = imagesPerBlock(target), bands = bandsPerImage(target), rows = (tilesY() + bands - 1) / bands;
            int n0 = images > 1 ? b * images : b / bands, n1 = images > 1 ? Math.min(n, n0 + images) : n0 + 1;
            int ty0 = images > 1 ? 0 : b % bands * rows, ty1 = images > 1 ? tilesY() : Math.min(tilesY(), ty0 + rows);
            int perImage = (ty1 - ty0) * tilesX(), count = (n1 - n0) * perImage, tiles = (count + L - 1) / L * L;
            int rowsP = TILE * (ty1 - ty0) + 2;
            // Positions' matrices one vector further apart than their size: at a multiple of
            // 4 KiB apart, the transforms' 36 loads or stores per tile would share one L1 set.
            return new Block(n0, n1, ty0, ty1, count, tiles, perImage, rowsP, rowsP * paddedWidth(), cin * tiles + L, cout * tiles + L);
        }

        /**
         * Pads input channels {@code [c0, c1)} of the block's rows into s.input, fills the tile
         * indices and writes their rows of V = Bᵀ d B to {@code v} (the block's V at vOff).
         */
        private void transformInput(Scratch s, float[] x, Block k, int c0, int c1, float[] v, int vOff) {
            int pw2 = paddedWidth();
            s.ensureInput((k.n1 - k.n0) * (c1 - c0) * k.plane, k.tiles);
            padRows(x, k.n0, k.n1, k.ty0, k.rowsP, c0, c1, s.input);
            indices(s, k, c1 - c0);
            for (int ci = c0; ci < c1; ci++) {
                for (int t0 = 0; t0 < k.tiles; t0 += L) {
                    WinogradTransforms.input(s.input, (ci - c0) * k.plane, pw2, s.inIdx, t0, v, vOff + ci * k.tiles + t0, k.vStride, s.tmp);
                }
            }
        }

        /** Each tile's window in s.input (padded planes of {@code channels} channels per image) and its corner in the output. */
        private void indices(Scratch s, Block k, int channels) {
            int tx = tilesX(), pw2 = paddedWidth();
            s.ensureInput(0, k.tiles);
            for (int t = 0; t < k.tiles; t++) {
                int tt = Math.min(t, k.count - 1), j = tt / k.perImage, r = tt % k.perImage / tx, c = tt % tx;
                s.inIdx[t] = j * channels * k.plane + TILE * r * pw2 + TILE * c;
                s.outIdx[t] = (k.n0 + j) * cout * oh * ow + TILE * (k.ty0 + r) * ow + TILE * c;
            }
        }

        /**
         * Output channels {@code [o0, o1)} of y = Aᵀ M A + bias (then ReLU) from the block's M at
         * {@code m[mOff]}, tile by tile, clipped to the output's edges (s.outIdx filled).
         */
        private void transformOutput(Scratch s, Block k, float[] bias, boolean relu, float[] y, float[] m, int mOff, int o0, int o1) {
            int outPlane = oh * ow;
            for (int t0 = 0; t0 < k.tiles; t0 += L) {
                VectorMask<Float>[] masks = edgeMasks(s, k, t0);
                boolean vector = masks == null || inBounds(s, t0, y.length);
                for (int co = o0; co < o1; co++) {
                    WinogradTransforms.output(m, mOff + co * k.tiles + t0, k.mStride, bias == null ? 0f : bias[co], relu, s.tmp, s.out);
                    if (WinogradTransforms.BY_TRANSPOSES) {
                        WinogradTransforms.scatterByTranspose(s.out, s.tiles, y, co * outPlane, ow, s.outIdx, t0, masks == null ? null : s.rows, s.cols);
                        continue;
                    }
                    if (vector) {
                        WinogradTransforms.scatter(s.out, y, co * outPlane, ow, s.outIdx, t0, masks);
                        continue;
                    }
                    for (int lane = 0; lane < L; lane++) {
                        for (int i = 0; i < s.rows[lane]; i++) {
                            for (int j = 0; j < s.cols[lane]; j++) y[co * outPlane + s.outIdx[t0 + lane] + i * ow + j] = s.out[(i * TILE + j) * L + lane];
                        }
                    }
                }
            }
        }

        /**
         * Output channels {@code [o0, o1)} of dM = A dY Aᵀ into the block's M at {@code m[mOff]}
         * from the output gradient's tiles (zeros beyond its edges and for padding lanes; s.outIdx filled).
         */
        private void transformGradient(Scratch s, Block k, float[] dy, float[] m, int mOff, int o0, int o1) {
            int outPlane = oh * ow;
            for (int t0 = 0; t0 < k.tiles; t0 += L) {
                VectorMask<Float>[] masks = edgeMasks(s, k, t0);
                boolean vector = masks == null || inBounds(s, t0, dy.length);
                for (int co = o0; co < o1; co++) {
                    if (WinogradTransforms.BY_TRANSPOSES) {
                        WinogradTransforms.gatherByTranspose(dy, co * outPlane, ow, s.outIdx, t0, masks == null ? null : s.rows, s.cols, s.tiles, s.out);
                    } else if (vector) {
                        WinogradTransforms.gather(dy, co * outPlane, ow, s.outIdx, t0, masks, s.out);
                    } else {
                        Arrays.fill(s.out, 0f);
                        for (int lane = 0; lane < L; lane++) {
                            for (int i = 0; i < s.rows[lane]; i++) {
                                for (int j = 0; j < s.cols[lane]; j++) s.out[(i * TILE + j) * L + lane] = dy[co * outPlane + s.outIdx[t0 + lane] + i * ow + j];
                            }
                        }
                    }
                    WinogradTransforms.outputAdjoint(s.out, s.tmp, m, mOff + co * k.tiles + t0, k.mStride);
                }
            }
        }

        /**
         * Whether every lane's whole 4×4 tile, set in the masks or not, lies inside an array of
         * {@code length} for the last channel: the Vector API range-checks masked-off lanes of a
         * scatter or gather too. Only a batch's last tiles, cut by the bottom edge, fail this.
         */
        private boolean inBounds(Scratch s, int t0, int length) {
            long last = (long) (cout - 1) * oh * ow + (TILE - 1) * (ow + 1);
            for (int lane = 0; lane < L; lane++) if (s.outIdx[t0 + lane] + last >= length) return false;
            return true;
        }

        /**
         * Null when the L tiles from t0 all exist and lie wholly inside the output; else, per
         * tile pixel (4i + j), the lanes whose tile exists and has that pixel inside (in s.masks).
         */
        private VectorMask<Float>[] edgeMasks(Scratch s, Block k, int t0) {
            boolean full = true;
            for (int lane = 0; lane < L; lane++) {
                int t = t0 + lane;
                s.rows[lane] = t < k.count ? Math.min(TILE, oh - TILE * (k.ty0 + t % k.perImage / tilesX())) : 0;
                s.cols[lane] = t < k.count ? Math.min(TILE, ow - TILE * (t % tilesX())) : 0;
                full &= s.rows[lane] == TILE && s.cols[lane] == TILE;
            }
            if (full) return null;
            for (int i = 0; i < TILE; i++) {
                for (int j = 0; j < TILE; j++) {
                    for (int lane = 0; lane < L; lane++) s.lanes[lane] = i < s.rows[lane] && j < s.cols[lane];
                    s.masks[i * TILE + j] = VectorMask.fromArray(S, s.lanes, 0);
                }
            }
            return s.masks;
        }

        /**
         * Input rows of images [n0, n1) under tile rows starting at ty0, channels [c0, c1), into
         * {@code xp[image][channel − c0][rowsP][paddedWidth]} with the padding and whatever lies
         * beyond the input as zeros.
         */
        private void padRows(float[] x, int n0, int n1, int ty0, int rowsP, int c0, int c1, float[] xp) {
            int pw2 = paddedWidth(), plane = rowsP * pw2, hw = h * w;
            for (int j = 0; j < n1 - n0; j++) {
                for (int ci = c0; ci < c1; ci++) {
                    int src = ((n0 + j) * cin + ci) * hw, dst = (j * (c1 - c0) + ci - c0) * plane;
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
