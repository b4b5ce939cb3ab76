package io.descent.kernels;

import static io.descent.kernels.GemmMicroKernel.MR;
import static io.descent.kernels.GemmMicroKernel.NR;

/**
 * The cache-blocked loop nests of {@link Gemm} (Goto's algorithm as BLIS lays it out, with the
 * operands' cache roles chosen for a row-major C). For each NC-wide column block and KC-deep
 * slab of k, B's KC×NC block is packed and stays in L2; for each MC-tall row block, A's MC×KC
 * block is packed and the macro-kernel sweeps its tiles with the A sliver (MR×KC, 12–24 KiB) held
 * in L1 while the B slivers stream from L2, so consecutive tiles walk along C's rows, which
 * the hardware prefetchers follow. Sizes for a core with 32–48 KiB L1d and 1–2 MiB L2 (and
 * measured best on the benchmark machines): KC = 256, or 512 with a 48 KiB L1d (see
 * {@link #KC}); NC = 32·NR·256/KC (with AVX-512 1,024 or 512 columns: a 1 MiB B block);
 * MC = 32·MR = 384 rows. Each slab of k reads and writes C once. A row-major B is read in place
 * when op(A) is short (see {@link Problem#bInPlace}).
 *
 * <p>Two ways to run it on several threads, both over disjoint rectangles of C:
 * {@link #run} packs per thread (each thread packs the rows of A and the columns of B that its
 * rectangle needs), and {@link #runPrepacked} first packs both operands whole, with the threads sharing
 * that work, then computes from the shared copies; the second avoids packing anything twice
 * and suits operands of moderate size (the deep, narrow products of backprop).
 *
 * <p>Buffers live in a per-thread scratch that only ever grows, so a steady stream of calls
 * allocates nothing.
 */
final class GemmDriver {
    /**
     * Depth of a k slab. Fixed for the machine, so each element's summation order is independent
     * of threads. 512 where the L1 data cache holds 48 KiB or more: the 12-row tile's A sliver
     * (24 KiB) still fits half of it beside the streaming B sliver, and C is read and written half
     * as often (on a Zen 5, one thread: 2048³ +2–5 %, the other shapes of {@code bench gemm} +0–4 %;
     * two threads +0–11 %; the 4-row AVX2 tile on the same CPU +0–4 %; docs/PERFORMANCE.md,
     * session 25); 256 with a 32 KiB L1.
     */
    static final int KC = depth(VectorHardware.L1D_BYTES);
    /** Rows of an A block (a multiple of MR). */
    static final int MC = 32 * MR;
    /** Columns of a B block (a multiple of NR): B's block keeps its size at either depth (1 MiB with 16-lane vectors). */
    static final int NC = 32 * NR * 256 / KC;

    /** {@link #KC} on a core with {@code l1dBytes} of L1 data cache. */
    static int depth(int l1dBytes) {
        return l1dBytes >= 48 * 1024 ? 512 : 256;
    }

    /**
     * Widest row-major B (leading dimension, floats) that {@link Problem#bInPlace} reads without
     * packing. With the 4-row tile (16 registers, e.g. a Zen 3 with a 32 KiB 8-way L1) rows 2 KiB
     * apart fall on two L1 sets and packing wins there: 128×512×784 NN on one thread 20 GFLOPS in
     * place against 33 packed, 128×512×256 on two 43 against 58; at 448 and below the two were
     * within this machine's noise.
     */
    static final int IN_PLACE_MAX_LDB = GemmMicroKernel.MR == 12 ? 512 : 511;

    /**
     * The arguments of one sgemm call, already checked. {@code rowBias} (null: none) adds
     * {@code rowBias[biasOff + i]} to row i of the product, in the merge of the first k slab
     * (then {@code beta} is 0).
     */
    record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc, float[] rowBias, int biasOff) {
        /**
         * Whether full B slivers are read straight from a row-major B (whose rows already hold
         * the NR-wide vectors the kernel loads) instead of packed: when op(A) has at most MC
         * rows, each B element serves so few rows that copying it costs more than it saves.
         * A partial last sliver is still packed, for its zero padding. Only for rows at most
         * {@link #IN_PLACE_MAX_LDB} floats apart: a sliver's KC rows of a wider B fall on as
         * many pages and on few L1 sets, and packing wins (1 thread, m = 64, k = 576: n = 448
         * in place 126 GFLOPS against 106 packed, n = 1024 91 against 100; a 1×1 convolution at
         * 56×56, 64×3136×256: 94 against 105).
         */
        boolean bInPlace() {
            return !transB && m <= MC && ldb <= IN_PLACE_MAX_LDB;
        }
    }

    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        float[] sharedA = new float[0];
        float[] sharedB = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private GemmDriver() {}

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of C on the calling thread. */
    static void run(Problem q, int i0, int i1, int j0, int j1) {
        run(q, null, i0, i1, j0, j1);
    }

    /**
     * {@link #run(Problem, int, int, int, int)} with op(A) already packed whole in
     * {@code aPacked} (layout of {@link #packWholeA}; {@code i0} a multiple of MR), or packed
     * block by block here when it is null.
     */
    static void run(Problem q, float[] aPacked, int i0, int i1, int j0, int j1) {
        if (i0 >= i1 || j0 >= j1) return;
        Scratch s = SCRATCH.get();
        int kcMax = Math.min(KC, q.k()), mPad = roundUp(q.m(), MR);
        int aNeed = aPacked != null ? 0 : kcMax * roundUp(Math.min(MC, i1 - i0), MR);
        int bNeed = kcMax * roundUp(Math.min(NC, j1 - j0), NR);
        if (s.a.length < aNeed) s.a = new float[aNeed];
        if (s.b.length < bNeed) s.b = new float[bNeed];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < q.k(); pc += KC) {
                int kc = Math.min(KC, q.k() - pc);
                packB(q, pc, kc, jc, nc, s.b, 0);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    if (aPacked != null) {
                        macroKernel(q, pc, kc, aPacked, pc * mPad + ic * kc, ic, mc, s.b, 0, jc, nc, s.tile);
                    } else {
                        GemmPacking.packA(q.transA(), q.a(), q.aOff(), q.lda(), ic, mc, pc, kc, s.a, 0);
                        macroKernel(q, pc, kc, s.a, 0, ic, mc, s.b, 0, jc, nc, s.tile);
                    }
                }
            }
        }
    }

    /**
     * All of op(A) (m×k) packed into {@code dst}: slab t of k at {@code t*KC*mPad}, its MR-row
     * slivers back to back, the layout {@link #runPrepacked} shares between threads. The
     * slivers are shared out between the threads when there are {@link #PARALLEL_PACK_FLOATS}
     * or more: a convolution packs its weights at every call, before its images run in
     * parallel (resnet50's 2048×512 1×1 layer at batch 1: 1 M floats, a fifth of the layer's
     * time when one thread packed them).
     */
    static void packWholeA(boolean transA, float[] a, int aOff, int lda, int m, int k, float[] dst) {
        int mPad = roundUp(m, MR), slivers = mPad / MR, slabs = (k + KC - 1) / KC;
        int grain = Math.max(1, PARALLEL_PACK_FLOATS / (MR * Math.max(1, Math.min(KC, k))));
        Parallel.forRange(slabs * slivers, grain, (from, to) -> {
            for (int u = from; u < to; u++) {
                int pc = u / slivers * KC, kc = Math.min(KC, k - pc), i = u % slivers * MR;
                GemmPacking.packA(transA, a, aOff, lda, i, Math.min(MR, m - i), pc, kc, dst, pc * mPad + i * kc);
            }
        });
    }

    /** Fewest floats of a packed A that a thread of {@link #packWholeA} takes (~20 µs of copying). */
    static final int PARALLEL_PACK_FLOATS = 1 << 16;

    /** Floats {@link #runPrepacked} needs for packed copies of both operands. */
    static long prepackedSize(int m, int n, int k) {
        return ((long) roundUp(m, MR) + roundUp(n, NR)) * k;
    }

    /**
     * Packs all of op(A) and op(B) (the threads sharing the slivers), then computes C with the
     * threads on a grid of {@code tr × tc} blocks of tiles. Slab {@code t} of k holds A at
     * {@code t*KC*mPad} and B at {@code t*KC*nPad}, slivers back to back. On a grid of one row
     * of blocks each block's B slivers are read by that block alone, so its thread packs them
     * slab by slab just before it uses them, while they are in its own cache (packed up front
     * by whichever thread came first, half were read from the other core's);
     * likewise A's on a grid of one column. The layout, and so every bit of
     * C, is the same either way. ({@link Gemm#split} no longer picks a grid of one row for this
     * path: there every block reads all of A, half of it packed in another core's cache.)
     */
    static void runPrepacked(Problem q, int tr, int tc) {
        Scratch s = SCRATCH.get();
        int m = q.m(), n = q.n(), k = q.k();
        int mPad = roundUp(m, MR), nPad = roundUp(n, NR);
        int slabs = (k + KC - 1) / KC;
        if (s.sharedA.length < (long) mPad * k) s.sharedA = new float[mPad * k];
        if (s.sharedB.length < (long) nPad * k) s.sharedB = new float[nPad * k];
        float[] ap = s.sharedA, bp = s.sharedB;
        boolean aByBlock = tc == 1 && tr > 1, bByBlock = tr == 1 && tc > 1;
        // Each thread packs its share of A's slivers and its share of B's (their costs differ:
        // a transposed operand is gathered), so the shares take about the same time.
        int aSlivers = aByBlock ? 0 : slabs * (mPad / MR), bSlivers = bByBlock ? 0 : slabs * (nPad / NR), parts = Parallel.threads();
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                for (int u = aSlivers * part / parts, end = aSlivers * (part + 1) / parts; u < end; u++) {
                    packSliverA(q, u % (mPad / MR) * MR, u / (mPad / MR) * KC, ap, mPad);
                }
                for (int u = bSlivers * part / parts, end = bSlivers * (part + 1) / parts; u < end; u++) {
                    packSliverB(q, u % (nPad / NR) * NR, u / (nPad / NR) * KC, bp, nPad);
                }
            }
        });
        int tilesM = mPad / MR, tilesN = nPad / NR;
        Parallel.forRange(tr * tc, 1, (from, to) -> {
            float[] tile = SCRATCH.get().tile;
            for (int part = from; part < to; part++) {
                int i0 = Parallel.bound(tilesM, tr, part / tc) * MR, i1 = Math.min(m, Parallel.bound(tilesM, tr, part / tc + 1) * MR);
                int j0 = Parallel.bound(tilesN, tc, part % tc) * NR, j1 = Math.min(n, Parallel.bound(tilesN, tc, part % tc + 1) * NR);
                for (int jc = j0; jc < j1; jc += NC) {
                    int nc = Math.min(NC, j1 - jc);
                    for (int pc = 0; pc < k; pc += KC) {
                        int kc = Math.min(KC, k - pc);
                        for (int j = jc; bByBlock && j < jc + nc; j += NR) packSliverB(q, j, pc, bp, nPad);
                        for (int ic = i0; ic < i1; ic += MC) {
                            int mc = Math.min(MC, i1 - ic);
                            for (int i = ic; aByBlock && jc == j0 && i < ic + mc; i += MR) packSliverA(q, i, pc, ap, mPad);
                            macroKernel(q, pc, kc, ap, pc * mPad + ic * kc, ic, mc, bp, pc * nPad + jc * kc, jc, nc, tile);
                        }
                    }
                }
            }
        });
    }

    /** A's MR-row sliver at row {@code i} of the k slab at {@code pc}, into {@link #runPrepacked}'s layout. */
    private static void packSliverA(Problem q, int i, int pc, float[] ap, int mPad) {
        int kc = Math.min(KC, q.k() - pc);
        GemmPacking.packA(q.transA(), q.a(), q.aOff(), q.lda(), i, Math.min(MR, q.m() - i), pc, kc, ap, pc * mPad + i * kc);
    }

    /** B's NR-column sliver at column {@code j} of the k slab at {@code pc} (a full sliver read in place is left alone). */
    private static void packSliverB(Problem q, int j, int pc, float[] bp, int nPad) {
        int kc = Math.min(KC, q.k() - pc), n = q.n();
        if (!q.bInPlace() || n - j < NR) {
            GemmPacking.packB(q.transB(), q.b(), q.bOff(), q.ldb(), pc, kc, j, Math.min(NR, n - j), bp, pc * nPad + j * kc);
        }
    }

    /** Packs B's block for {@link #run}: all of it, or only the partial last sliver when B is read in place. */
    private static void packB(Problem q, int pc, int kc, int jc, int nc, float[] bp, int dOff) {
        int skip = q.bInPlace() ? nc / NR * NR : 0;
        if (skip < nc) GemmPacking.packB(q.transB(), q.b(), q.bOff(), q.ldb(), pc, kc, jc + skip, nc - skip, bp, dOff + skip * kc);
    }

    /**
     * All tiles of rows {@code [ic, ic+mc)} × columns {@code [jc, jc+nc)} of C for the k slab at
     * {@code pc}, from packed slivers starting at {@code ap[aBase]} and {@code bp[bBase]}, row
     * of tiles by row of tiles. The first slab merges with {@code beta}; later ones add.
     */
    private static void macroKernel(Problem q, int pc, int kc, float[] ap, int aBase, int ic, int mc,
                                    float[] bp, int bBase, int jc, int nc, float[] tile) {
        float alpha = q.alpha(), beta = pc == 0 ? q.beta() : 1f;
        float[] bias = pc == 0 ? q.rowBias() : null; // added once, with the first slab
        int biasAt = q.biasOff() + ic;
        float[] c = q.c();
        int ldc = q.ldc();
        boolean inPlace = q.bInPlace();
        float[] b = q.b();
        int ldb = q.ldb(), bRow = q.bOff() + pc * ldb + jc;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int ci = q.cOff() + (ic + ir) * ldc + jc;
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                if (inPlace && nr == NR) GemmMicroKernel.kernel(kc, ap, aBase + ir * kc, b, bRow + jr, ldb, tile);
                else if (HALF_EDGES && nr <= 8) GemmMicroKernel.kernel12Half(kc, ap, aBase + ir * kc, bp, bBase + jr * kc, NR, tile);
                else if (MR == 12 && nr <= GemmMicroKernel.L) GemmMicroKernel.kernel12Narrow(kc, ap, aBase + ir * kc, bp, bBase + jr * kc, NR, tile);
                else GemmMicroKernel.kernel(kc, ap, aBase + ir * kc, bp, bBase + jr * kc, NR, tile);
                GemmMicroKernel.store(tile, mr, nr, alpha, beta, bias, biasAt + ir, c, ci + jr, ldc);
            }
        }
    }

    /**
     * Whether right-edge tiles at most 8 columns wide take {@link GemmMicroKernel#kernel12Half}
     * (256-bit vectors): only where 512-bit FMAs run at half rate, the one place it saves work.
     * Elsewhere {@link GemmMicroKernel#kernel12Narrow} does them (same bits, and the same work on
     * full-width units), and the GEMM runs on one vector shape. With both shapes in the hot path,
     * C2 compiled kernel12Half with the Vector API's boxed fallbacks in 15 of 19 JVMs of one test
     * (tools/gemm-ab, a 256×196×2304 product after two others, 512-deep slabs: 16.9 KB of code
     * against 3.4 KB, JFR's allocation samples all in it); the product then ran at 4–80 GFLOPS
     * instead of 160 for the rest of the run (docs/PERFORMANCE.md, session 25).
     */
    static final boolean HALF_EDGES = MR == 12 && GemmMicroKernel.L == 16 && VectorHardware.HALF_RATE_512;

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
