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
 * into disjoint blocks of whole tiles along m or n, never along k. Operands of moderate size
 * are packed once up front by all threads together; larger ones are packed block by block by
 * each thread, which then packs the whole of the operand it does not split, so the split goes
 * along the dimension that makes that cheaper. Each element's summation order depends on
 * nothing but k, so results are bit-identical for any thread count and from run to run.
 * Called from inside a {@link Parallel} worker, it runs on that thread.
 */
public final class Gemm {
    /** Below this many multiply-adds (~20 µs on one core) handing work to another thread does not pay. */
    static final long PARALLEL_MIN_WORK = 128L * 128 * 128;
    /** Largest packed copy of both operands (floats) that is made up front and shared. */
    static final long PREPACK_MAX = 4L << 20;
    /** Cost of packing one float, counted in multiply-adds of the micro-kernel. */
    private static final long PACK_COST = 24;

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
        GemmDriver.Problem q = new GemmDriver.Problem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        int t = Parallel.threads();
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        int tilesM = ceilDiv(m, mr), tilesN = ceilDiv(n, nr);
        if (t == 1 || (long) m * n * k < PARALLEL_MIN_WORK || Parallel.inWorker() || (tilesM < 2 && tilesN < 2)) {
            GemmDriver.run(q, 0, m, 0, n);
            return;
        }
        boolean shared = GemmDriver.prepackedSize(m, n, k) <= PREPACK_MAX;
        long packWeight = shared ? 0 : PACK_COST;
        long alongM = splitCost(tilesM, t, mr, GemmDriver.roundUp(n, nr), packWeight, true);
        long alongN = splitCost(tilesN, t, nr, GemmDriver.roundUp(m, mr), packWeight, false);
        boolean splitRows = alongM < alongN;
        if (shared) {
            GemmDriver.runPrepacked(q, splitRows);
        } else if (splitRows) {
            Parallel.forRange(tilesM, 1, (from, to) -> GemmDriver.run(q, from * mr, Math.min(m, to * mr), 0, n));
        } else {
            Parallel.forRange(tilesN, 1, (from, to) -> GemmDriver.run(q, 0, m, from * nr, Math.min(n, to * nr)));
        }
    }

    /**
     * Estimated work per unit of k of the busiest thread when {@code tiles} tiles of width
     * {@code tile} are shared out among {@code threads} and each thread covers the whole other
     * dimension {@code other}: its tile arithmetic, plus (weighted by {@code packWeight}) the
     * packing it does alone: its own slice, and the whole other operand (A is packed once per
     * NC block, B once).
     */
    private static long splitCost(int tiles, int threads, int tile, int other, long packWeight, boolean rows) {
        long mine = (long) ceilDiv(tiles, Math.min(threads, tiles)) * tile;
        long rowsPerThread = rows ? mine : other, colsPerThread = rows ? other : mine;
        long packed = rowsPerThread * ceilDiv((int) colsPerThread, GemmDriver.NC) + colsPerThread;
        return rowsPerThread * colsPerThread + packWeight * packed;
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
