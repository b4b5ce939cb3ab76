package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = alpha·A·Bᵀ + beta·C} for a small C and a long k, with A (m×k) and B (n×k) both
 * row-major, i.e. every element of C a dot product of two contiguous rows: the weight gradient
 * of a convolution with few input channels ({@code dW = dy·colsᵀ}, 32×9 outputs over 784
 * pixels) or of a narrow layer. Packing both operands for the tiled kernel would move more
 * data than this multiplies, and a 9-wide C fills a third of a tile; here the rows are read in
 * place, two rows of A against four of B at a time (eight vector accumulators, six loads per
 * eight FMAs), and each accumulator is summed across its lanes in a fixed order, so the
 * result is deterministic (it differs from the tiled kernel's in rounding only).
 */
final class GemmDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Largest C (elements) sent here. */
    static final int MAX_OUTPUTS = 1024;
    /** Shortest k sent here: below it the tiled kernel's packing costs little. */
    static final int MIN_K = 4 * L;

    private GemmDot() {}

    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        return !transA && transB && k >= MIN_K && ((long) m * n <= MAX_OUTPUTS || m <= MAX_ROWS_WIDE && k >= MIN_K_WIDE);
    }

    /**
     * Most rows of A for which a wide product (C larger than {@link #MAX_OUTPUTS}) comes here: a
     * fully connected layer at a small batch, {@code x·Wᵀ}. The tiled kernel would gather all
     * of W (vgg16's first classifier layer: 103M floats) into packed slivers to fill a tile
     * with 8 of its 12 rows; here W's rows are read once, in place, and each group of four meets
     * every row of A while it is in cache. Measured (2 threads): 8×4096×25088 40 → 68 GFLOPS (OpenBLAS 42).
     */
    static final int MAX_ROWS_WIDE = 16;
    /**
     * Shortest k for a wide product: each element ends in a sum across the lanes, which a short
     * dot product does not amortize (12×1152×196: 133 GFLOPS tiled, 39 this way; 16×144×784:
     * 47 tiled, 66 this way; 1 thread).
     */
    static final int MIN_K_WIDE = 512;

    static void nt(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
        boolean parallel = (long) m * n * k >= Gemm.PARALLEL_MIN_WORK && !Parallel.inWorker();
        if ((long) m * n <= MAX_OUTPUTS) { // few outputs: the threads share out A's rows, two at a time
            Parallel.forRange((m + 1) / 2, parallel ? 1 : Integer.MAX_VALUE, (from, to) ->
                    rectangle(2 * from, Math.min(m, 2 * to), 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
        } else { // few rows of A: the threads share out B's rows, four at a time, each read once
            Parallel.forRange((n + 3) / 4, parallel ? 1 : Integer.MAX_VALUE, (from, to) ->
                    rectangle(0, m, 4 * from, Math.min(n, 4 * to), k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
        }
    }

    /**
     * Rows {@code [i0, i1)} × columns {@code [j0, j1)} of C: for each group of four columns (rows
     * of B), every pair of A's rows; the edges one dot product at a time. Every element is the
     * same FMA chain whichever way it is reached, so the result does not depend on the split.
     */
    private static void rectangle(int i0, int i1, int j0, int j1, int k, float alpha, float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
            int i = i0;
            for (; i + 2 <= i1; i += 2) block2x4(k, alpha, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, beta, c, cOff + i * ldc + j, ldc);
            for (; i < i1; i++) {
                for (int jj = j; jj < j + 4; jj++) merge(c, cOff + i * ldc + jj, dot(k, a, aOff + i * lda, b, bOff + jj * ldb), alpha, beta);
            }
        }
        for (int i = i0; i < i1; i++) {
            for (int jj = j; jj < j1; jj++) merge(c, cOff + i * ldc + jj, dot(k, a, aOff + i * lda, b, bOff + jj * ldb), alpha, beta);
        }
    }

    private static void block2x4(int k, float alpha, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float beta, float[] c, int c0, int ldc) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        int a1 = a0 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int p = 0;
        for (int upper = S.loopBound(k); p < upper; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p), x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13);
        }
        if (p < k) {
            VectorMask<Float> tail = S.indexInRange(p, k);
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p, tail), x1 = FloatVector.fromArray(S, a, a1 + p, tail);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p, tail);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(S, b, b1 + p, tail);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(S, b, b2 + p, tail);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(S, b, b3 + p, tail);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13);
        }
        merge(c, c0, VectorOps.sumLanes(s00), alpha, beta);
        merge(c, c0 + 1, VectorOps.sumLanes(s01), alpha, beta);
        merge(c, c0 + 2, VectorOps.sumLanes(s02), alpha, beta);
        merge(c, c0 + 3, VectorOps.sumLanes(s03), alpha, beta);
        merge(c, c0 + ldc, VectorOps.sumLanes(s10), alpha, beta);
        merge(c, c0 + ldc + 1, VectorOps.sumLanes(s11), alpha, beta);
        merge(c, c0 + ldc + 2, VectorOps.sumLanes(s12), alpha, beta);
        merge(c, c0 + ldc + 3, VectorOps.sumLanes(s13), alpha, beta);
    }

    /** One dot product the same way: lane-wise FMA chains, a masked tail, a fixed-order lane sum. */
    static float dot(int k, float[] a, int ai, float[] b, int bi) {
        FloatVector s = FloatVector.zero(S);
        int p = 0;
        for (int upper = S.loopBound(k); p < upper; p += L) s = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s);
        if (p < k) {
            VectorMask<Float> tail = S.indexInRange(p, k);
            s = FloatVector.fromArray(S, a, ai + p, tail).fma(FloatVector.fromArray(S, b, bi + p, tail), s);
        }
        return VectorOps.sumLanes(s);
    }

    static void merge(float[] c, int ci, float v, float alpha, float beta) {
        c[ci] = beta == 0f ? v * alpha : Math.fma(v, alpha, c[ci] * beta);
    }
}
