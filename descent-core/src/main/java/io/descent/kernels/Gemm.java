package io.descent.kernels;

import java.util.Arrays;

/**
 * Single-precision matrix multiply, row-major: {@code C = alpha * op(A) * op(B) + beta * C}
 * (BLAS sgemm semantics; {@code beta == 0} ignores C's old values, NaN included, and
 * {@code alpha == 0} or {@code k == 0} only scales C). {@code op(A)} is m×k (A stored k×m with
 * leading dimension lda when {@code transA}); {@code op(B)} is k×n (B stored n×k when
 * {@code transB}). Scalar twin: {@link GemmScalar}.
 *
 * <p>The work is the Goto/BLIS scheme: {@link GemmDriver} blocks for the caches and packs,
 * {@link GemmPacking} lays the operands out (folding in the transposes), and
 * {@link GemmMicroKernel} does the arithmetic in registers. With several threads, C is cut
 * into a grid of disjoint blocks of whole tiles (rows, columns, or both), never along k.
 * Either each thread packs for itself (its block's rows of A and columns of B), or,
 * for operands of moderate size, all threads first pack both operands together and then
 * compute from the shared copies; a small cost model (arithmetic of the busiest thread,
 * packing, reading copies other threads packed, one more fork/join) picks among these. Each element's summation order depends on
 * nothing but k, so results are bit-identical for any thread count and from run to run.
 * Called from inside a {@link Parallel} worker, it runs on that thread.
 */
public final class Gemm {
    /** Below this many multiply-adds (~20 µs on one core) handing work to another thread does not pay. */
    static final long PARALLEL_MIN_WORK = 128L * 128 * 128;
    /**
     * Largest packed copy of both operands (floats) that is made up front and shared (4 MiB):
     * above it, per-thread packing of its own block streams better (measured at 1024³ on
     * 2 threads: 311 GFLOPS shared against 322 split by columns; 2048×2048×1024 NT 265 against 323).
     */
    static final long PREPACK_MAX = 1L << 20;
    /** Cost of packing one float, counted in multiply-adds of the micro-kernel (~0.7 cycle at 32 per cycle). */
    private static final long PACK_COST = 24;
    /**
     * Cost of reading one float of a shared packed copy that another thread packed (it comes
     * from that core's cache), in multiply-adds, half of packing it. On an AMD Zen 5 (2 threads)
     * 512×784×128 TN, W1's first weight gradient, ran at 324 GFLOPS from shared copies against
     * 368–377 with each thread packing its own, where the model without this term chose sharing.
     */
    private static final long REMOTE_COST = 12;
    /** Cost of one more fork/join of the team (up to waking a parked worker), in multiply-adds (~10 µs). */
    private static final long FORK_COST = 1L << 20;

    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (GemmDot.suits(transA, transB, m, n, k)) {
            GemmDot.nt(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (GemmDotTiled.suits(transA, transB, m, n, k)) {
            GemmDotTiled.nt(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (2 * n <= GemmMicroKernel.NR && m >= 2 * n) {
            swapped(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        GemmDriver.Problem q = new GemmDriver.Problem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0);
        int t = Parallel.threads();
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        int tilesM = ceilDiv(m, mr), tilesN = ceilDiv(n, nr);
        if (t == 1 || (long) m * n * k < PARALLEL_MIN_WORK || Parallel.inWorker() || (tilesM < 2 && tilesN < 2)) {
            GemmDriver.run(q, 0, m, 0, n);
            return;
        }
        Split split = split(q, t);
        if (split.shared()) {
            GemmDriver.runPrepacked(q, split.rows(), split.cols());
            return;
        }
        int gr = split.rows(), gc = split.cols();
        Parallel.forRange(gr * gc, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                int r = part / gc, col = part % gc;
                GemmDriver.run(q, Parallel.bound(tilesM, gr, r) * mr, Math.min(m, Parallel.bound(tilesM, gr, r + 1) * mr),
                        Parallel.bound(tilesN, gc, col) * nr, Math.min(n, Parallel.bound(tilesN, gc, col + 1) * nr));
            }
        });
    }

    /**
     * How {@code t} threads share out C: a grid of {@code rows × cols} blocks of whole tiles,
     * each thread packing its block's rows of A and columns of B ({@link GemmDriver#run}), or,
     * when {@code shared}, both operands packed once by all threads and the grid computed from
     * the shared copies ({@link GemmDriver#runPrepacked}).
     */
    record Split(int rows, int cols, boolean shared) {}

    /**
     * The split with the fewest estimated multiply-adds on the busiest thread (its block's
     * arithmetic, its packing at {@link #PACK_COST} per float, one more fork/join for the shared
     * copies). A grid rather than only rows or columns: with a 1-D split every thread packs the
     * whole of the other operand, t times in all (1024³ on 16 threads by rows: each thread packs
     * 72 rows of A and all 1,024 columns of B, a quarter of its estimate; on a 4×4 grid 264 rows
     * and 256 columns, half as much). Between rows and columns on a
     * tie, rows: each thread then owns whole rows of C (its own pages, nothing prefetched across
     * into the other thread's half) and sweeps twice the tiles per A sliver. Measured on 2
     * threads, median of 15 paired rounds: 768³ (a tie) 284 GFLOPS by rows against 261 by
     * columns; 1024³ (rows by a hair) NN/NT/TN 284-287 against 272-273.
     *
     * <p>Shared copies only on grids of more than one row of blocks: on a single row every
     * thread reads every A sliver, half of them packed by (and still in the cache of) the other
     * core, and A's values are the kernel's broadcasts, loaded one float at a time on the FMA
     * chains' path, where B's vectors stream and are prefetched. On an AMD Zen 5 (2 threads,
     * {@code bench gemm} beside OpenBLAS) the shared single row ran 128×128×3136 NN and TN at
     * 189 GFLOPS (0.87× OpenBLAS); two rows of blocks sharing B's copy 276–297, each thread
     * packing its own columns' A 271–276; 512³ 314 against 343.
     */
    static Split split(GemmDriver.Problem q, int t) {
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR, k = q.k();
        int tilesM = ceilDiv(q.m(), mr), tilesN = ceilDiv(q.n(), nr);
        long mPad = (long) tilesM * mr, nPad = (long) tilesN * nr, packsB = q.bInPlace() ? 0 : 1;
        Split own = null, sharedGrid = null;
        long ownCost = Long.MAX_VALUE, sharedWork = Long.MAX_VALUE, sharedRemote = 0;
        for (int r = Math.min(t, tilesM); r >= 1; r--) { // from the most rows: on a tie, rows
            int cols = Math.min(t / r, tilesN);
            long rowsEach = (long) ceilDiv(tilesM, r) * mr, colsEach = (long) ceilDiv(tilesN, cols) * nr;
            long cost = k * (rowsEach * colsEach + PACK_COST * (rowsEach * ceilDiv((int) colsEach, GemmDriver.NC) + packsB * colsEach));
            if (cost < ownCost) {
                ownCost = cost;
                own = new Split(r, cols, false);
            }
            if (r > 1 && rowsEach * colsEach <= sharedWork) { // on a tie, columns (as measured when this path was a 1-D split)
                sharedWork = rowsEach * colsEach;
                sharedGrid = new Split(r, cols, true);
                // floats of the copies this thread reads that other threads packed (A's rows are
                // packed inside the block on a grid of one column)
                sharedRemote = ((cols == 1 ? 0 : rowsEach) + packsB * colsEach) * (t - 1) / t;
            }
        }
        long shared = sharedGrid == null || GemmDriver.prepackedSize(q.m(), q.n(), k) > PREPACK_MAX ? Long.MAX_VALUE
                : k * (sharedWork + PACK_COST * (mPad + packsB * nPad) / t + REMOTE_COST * sharedRemote) + FORK_COST;
        return shared < ownCost ? sharedGrid : own;
    }

    /**
     * op(A) packed once, for several products with the same left operand (a convolution's
     * weights against each image's columns): {@link #sgemm(PackedA, boolean, int, float, float[],
     * int, int, float, float[], int, int)} skips the packing that every plain call repeats.
     */
    public record PackedA(int m, int k, float[] data) {
        public PackedA {
            if (m < 0 || k < 0 || data.length < size(m, k)) {
                throw new IllegalArgumentException("sgemm: packed A of " + m + "x" + k + " needs " + size(m, k) + " floats, has " + data.length);
            }
        }

        /** Floats the packed layout of an m×k operand takes. */
        public static int size(int m, int k) {
            return GemmDriver.roundUp(m, GemmMicroKernel.MR) * k;
        }

        /**
         * Where element (r, s) of op(A) lies in {@link #data}, for code that writes a packed
         * operand directly: slabs of {@code KC} columns, each cut into MR-row slivers stored
         * column by column, so elements (r, s) and (r, s + 1) are MR floats apart within a slab
         * (slabs start at multiples of {@link GemmDriver#KC} columns). Rows from m up to a
         * multiple of MR are padding: whatever they hold only reaches tile rows never stored.
         */
        public int index(int r, int s) {
            int mr = GemmMicroKernel.MR, pc = s - s % GemmDriver.KC, kc = Math.min(GemmDriver.KC, k - pc);
            return pc * GemmDriver.roundUp(m, mr) + (r - r % mr) * kc + (s - pc) * mr + r % mr;
        }
    }

    /** Packs op(A), m×k (A stored k×m with leading dimension lda when {@code transA}). */
    public static PackedA packA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return packA(transA, m, k, a, aOff, lda, null);
    }

    /** {@link #packA(boolean, int, int, float[], int, int)} into {@code reuse} when it is large enough (null: never). */
    static PackedA packA(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] reuse) {
        if (m < 0 || k < 0) throw new IllegalArgumentException("sgemm: negative size m=" + m + " k=" + k);
        if (lda < Math.max(1, transA ? m : k)) throw new IllegalArgumentException("sgemm: leading dimension too small (lda=" + lda + ")");
        need("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        float[] d = reuse != null && reuse.length >= PackedA.size(m, k) ? reuse : new float[PackedA.size(m, k)];
        GemmDriver.packWholeA(transA, a, aOff, lda, m, k, d);
        return new PackedA(m, k, d);
    }

    /**
     * {@code C = alpha * A * op(B) + beta * C} with A packed by {@link #packA}, always on the
     * tiled path: the same values, bit for bit, as the plain call wherever that takes the tiled
     * path too (every product with op(B) = B; {@link GemmDot}'s transposed-B products sum in
     * another order). Several threads split C by columns; called from a {@link Parallel}
     * worker, it runs on that thread.
     */
    public static void sgemm(PackedA a, boolean transB, int n, float alpha, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(a, transB, n, alpha, b, bOff, ldb, beta, null, 0, c, cOff, ldc);
    }

    /**
     * {@code C = alpha * A * op(B) + rowBias[biasOff + i]} on each row i: the product and a
     * per-row bias (a convolution's, one per output channel) in one write of C, the same bits
     * as C filled with the bias and multiplied in with beta = 1.
     */
    public static void sgemmRowBias(PackedA a, boolean transB, int n, float alpha, float[] b, int bOff, int ldb,
                                    float[] rowBias, int biasOff, float[] c, int cOff, int ldc) {
        if (biasOff < 0 || biasOff + a.m() > rowBias.length) {
            throw new IllegalArgumentException("sgemm: row bias (" + a.m() + " values at offset " + biasOff + ") exceeds its array of " + rowBias.length);
        }
        sgemm(a, transB, n, alpha, b, bOff, ldb, 0f, rowBias, biasOff, c, cOff, ldc);
    }

    private static void sgemm(PackedA a, boolean transB, int n, float alpha, float[] b, int bOff, int ldb,
                              float beta, float[] rowBias, int biasOff, float[] c, int cOff, int ldc) {
        int m = a.m(), k = a.k();
        if (n < 0) throw new IllegalArgumentException("sgemm: negative size n=" + n);
        if (ldb < Math.max(1, transB ? k : n) || ldc < Math.max(1, n)) {
            throw new IllegalArgumentException("sgemm: leading dimension too small (ldb=" + ldb + ", ldc=" + ldc + ")");
        }
        need("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        need("C", c, cOff, m, n, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            if (rowBias != null) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, rowBias[biasOff + i]);
            return;
        }
        GemmDriver.Problem q = new GemmDriver.Problem(false, transB, m, n, k, alpha, null, 0, 0, b, bOff, ldb, beta, c, cOff, ldc, rowBias, biasOff);
        int nr = GemmMicroKernel.NR, tilesN = ceilDiv(n, nr);
        if (Parallel.threads() == 1 || (long) m * n * k < PARALLEL_MIN_WORK || Parallel.inWorker() || tilesN < 2) {
            GemmDriver.run(q, a.data(), 0, m, 0, n);
        } else {
            Parallel.forRange(tilesN, 1, (from, to) -> GemmDriver.run(q, a.data(), 0, m, from * nr, Math.min(n, to * nr)));
        }
    }

    /**
     * Rows {@code [r0, r1)} of {@code C = A·op(B)} (β = 0), A packed by {@link #packA}, on the
     * calling thread; C's row at {@code cOff} receives A's row r0 ({@code r0} a multiple of
     * {@link GemmMicroKernel#MR}). Each element is the same FMA chain as in the whole product,
     * so cutting A's rows among threads changes no bits (a convolution's input gradient shares
     * its column matrix out by input channel this way).
     */
    static void sgemmRows(PackedA a, int r0, int r1, boolean transB, int n, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int m = a.m(), k = a.k();
        if (r0 < 0 || r1 > m || r0 > r1 || r0 % GemmMicroKernel.MR != 0) {
            throw new IllegalArgumentException("sgemm: rows [" + r0 + ", " + r1 + ") of a packed A of " + m + " rows (first a multiple of " + GemmMicroKernel.MR + ")");
        }
        need("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        need("C", c, cOff, r1 - r0, n, ldc);
        if (r0 == r1 || n == 0) return;
        if (k == 0) {
            scale(r1 - r0, n, 0f, c, cOff, ldc);
            return;
        }
        // the driver addresses C by A's row numbers: shift C's origin up by r0 rows
        GemmDriver.Problem q = new GemmDriver.Problem(false, transB, m, n, k, 1f, null, 0, 0, b, bOff, ldb, 0f, c, cOff - r0 * ldc, ldc, null, 0);
        GemmDriver.run(q, a.data(), r0, r1, 0, n);
    }

    /**
     * A product with few columns (n at most half a tile wide, e.g. the weight gradient of a
     * one-channel convolution, n = 9) would waste most of each tile's columns, so it computes
     * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} instead (n rows, which fill a tile's 12 rows far better) into a
     * scratch and merges its transpose into C. Each element is the same FMA chain over k, then
     * the same {@code alpha·t + beta·C} merge, as on the direct path.
     */
    private static void swapped(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        float[] t = new float[n * m];
        sgemm(!transB, !transA, n, m, k, 1f, b, bOff, ldb, a, aOff, lda, 0f, t, 0, m);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float v = t[j * m + i];
                c[ci + j] = beta == 0f ? v * alpha : Math.fma(v, alpha, c[ci + j] * beta);
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** {@code C = beta * C}, with {@code beta == 0} writing zeros whatever C held. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) Arrays.fill(c, ci, ci + n, 0f);
            else for (int j = 0; j < n; j++) c[ci + j] *= beta;
        }
    }

    static void checkArgs(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < Math.max(1, aCols) || ldb < Math.max(1, bCols) || ldc < Math.max(1, n)) {
            throw new IllegalArgumentException("sgemm: leading dimension too small (lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ")");
        }
        need("A", a, aOff, aRows, aCols, lda);
        need("B", b, bOff, bRows, bCols, ldb);
        need("C", c, cOff, m, n, ldc);
    }

    private static void need(String name, float[] x, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return;
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + "x" + cols + ", ld " + ld + ", offset " + off + ") exceeds its array of " + x.length);
        }
    }
}
