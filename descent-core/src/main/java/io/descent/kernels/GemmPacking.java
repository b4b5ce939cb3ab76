package io.descent.kernels;

import static io.descent.kernels.GemmMicroKernel.L;
import static io.descent.kernels.GemmMicroKernel.MR;
import static io.descent.kernels.GemmMicroKernel.NR;
import static io.descent.kernels.GemmMicroKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of op(A) and op(B) into the contiguous sliver layout that
 * {@link GemmMicroKernel#kernel} streams through (Goto and van de Geijn, "Anatomy of
 * high-performance matrix multiplication", 2008): A as MR-row slivers stored k-major
 * ({@code MR} values per step of k), B as NR-column slivers stored k-major ({@code NR} values
 * per step). Slivers at the bottom/right edge are padded with zeros, so the kernel always
 * computes full tiles. The transposes are folded into the reads: no transposed copy of an
 * operand is ever made.
 */
final class GemmPacking {
    private GemmPacking() {}

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of op(A) into
     * {@code dst[0, ceil(mc/MR)*MR*kc)}; sliver s starts at {@code s*MR*kc}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst) {
        for (int ir = 0, d = 0; ir < mc; ir += MR, d += MR * kc) {
            int mr = Math.min(MR, mc - ir);
            if (transA) packRowsContiguous(a, aOff + p0 * lda + i0 + ir, lda, mr, kc, dst, d);
            else if (mr == MR) packFullSliverA(a, aOff + (i0 + ir) * lda + p0, lda, kc, dst, d);
            else packRowsStrided(a, aOff + (i0 + ir) * lda + p0, lda, mr, kc, dst, d);
        }
    }

    /**
     * Packs rows {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of op(B) into
     * {@code dst[0, ceil(nc/NR)*NR*kc)}; sliver s starts at {@code s*NR*kc}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] dst) {
        for (int jr = 0, d = 0; jr < nc; jr += NR, d += NR * kc) {
            int nr = Math.min(NR, nc - jr);
            if (transB) packColumnsStrided(b, bOff + (j0 + jr) * ldb + p0, ldb, nr, kc, dst, d);
            else if (nr == NR) packFullSliverB(b, bOff + p0 * ldb + j0 + jr, ldb, kc, dst, d);
            else packRowsContiguousB(b, bOff + p0 * ldb + j0 + jr, ldb, nr, kc, dst, d);
        }
    }

    /** A sliver of MR rows of a row-major A: twelve read streams, one sequential write. */
    private static void packFullSliverA(float[] a, int src, int lda, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src++, d += MR) {
            for (int r = 0, s = src; r < MR; r++, s += lda) dst[d + r] = a[s];
        }
    }

    /** Edge sliver of a row-major A ({@code mr < MR} rows), zero-padded. */
    private static void packRowsStrided(float[] a, int src, int lda, int mr, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src++, d += MR) {
            int r = 0;
            for (int s = src; r < mr; r++, s += lda) dst[d + r] = a[s];
            for (; r < MR; r++) dst[d + r] = 0f;
        }
    }

    /** A sliver of a transposed A (stored k×m): {@code mr} contiguous values per step of k. */
    private static void packRowsContiguous(float[] a, int src, int lda, int mr, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src += lda, d += MR) {
            int r = 0;
            for (; r < mr; r++) dst[d + r] = a[src + r];
            for (; r < MR; r++) dst[d + r] = 0f;
        }
    }

    /** A full sliver of a row-major B: two vector copies per step of k. */
    private static void packFullSliverB(float[] b, int src, int ldb, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src += ldb, d += NR) {
            FloatVector.fromArray(S, b, src).intoArray(dst, d);
            FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
        }
    }

    /** Edge sliver of a row-major B ({@code nr < NR} columns), zero-padded. */
    private static void packRowsContiguousB(float[] b, int src, int ldb, int nr, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src += ldb, d += NR) {
            int j = 0;
            for (; j < nr; j++) dst[d + j] = b[src + j];
            for (; j < NR; j++) dst[d + j] = 0f;
        }
    }

    /** A sliver of a transposed B (stored n×k): {@code nr} read streams, zero-padded. */
    private static void packColumnsStrided(float[] b, int src, int ldb, int nr, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src++, d += NR) {
            int j = 0;
            for (int s = src; j < nr; j++, s += ldb) dst[d + j] = b[s];
            for (; j < NR; j++) dst[d + j] = 0f;
        }
    }
}
