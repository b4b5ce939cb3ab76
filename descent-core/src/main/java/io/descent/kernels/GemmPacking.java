package io.descent.kernels;

import static io.descent.kernels.GemmMicroKernel.L;
import static io.descent.kernels.GemmMicroKernel.MR;
import static io.descent.kernels.GemmMicroKernel.NR;
import static io.descent.kernels.GemmMicroKernel.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Copies blocks of op(A) and op(B) into the contiguous sliver layout that
 * {@link GemmMicroKernel#kernel} streams through (Goto and van de Geijn, "Anatomy of
 * high-performance matrix multiplication", 2008): A as MR-row slivers stored k-major
 * ({@code MR} values per step of k), B as NR-column slivers stored k-major ({@code NR} values
 * per step). Slivers at the bottom/right edge are padded with zeros, so the kernel always
 * computes full tiles. The transposes are folded into the reads: no transposed copy of an
 * operand is ever made. Full slivers move whole vectors: contiguous runs with (masked) vector
 * copies; strided ones (a row-major A, a transposed B) as 16×16 register transposes where
 * two-vector permutes are native (AVX-512), else row by row. (Gathers, one per step of k, were
 * slower than the transposes: 0.17 ns per float on a Xeon, 0.41–0.58 on a Zen 4.)
 */
final class GemmPacking {
    /** The part of an MR-long run that whole vectors cover, and the mask for the rest. */
    private static final int MR_FULL = MR / L * L;
    private static final VectorMask<Float> MR_TAIL = VectorMask.fromLong(S, (1L << (MR - MR_FULL)) - 1);

    private GemmPacking() {}

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of op(A) into
     * {@code dst[dOff, dOff + ceil(mc/MR)*MR*kc)}; sliver s starts at {@code dOff + s*MR*kc}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst, int dOff) {
        for (int ir = 0, d = dOff; ir < mc; ir += MR, d += MR * kc) {
            int mr = Math.min(MR, mc - ir);
            if (transA) {
                if (mr == MR && (MR_FULL == MR || VectorHardware.NATIVE_MASKS)) packFullSliverAT(a, aOff + p0 * lda + i0 + ir, lda, kc, dst, d);
                else packRowsContiguous(a, aOff + p0 * lda + i0 + ir, lda, mr, kc, dst, d);
            } else {
                if (mr == MR && Transpose16.AVAILABLE) packByTransposes(a, aOff + (i0 + ir) * lda + p0, lda, MR, kc, dst, d);
                else if (mr == MR) packRowByRow(a, aOff + (i0 + ir) * lda + p0, lda, MR, kc, dst, d);
                else packRowsStrided(a, aOff + (i0 + ir) * lda + p0, lda, mr, kc, dst, d);
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of op(B) into
     * {@code dst[dOff, dOff + ceil(nc/NR)*NR*kc)}; sliver s starts at {@code dOff + s*NR*kc}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] dst, int dOff) {
        for (int jr = 0, d = dOff; jr < nc; jr += NR, d += NR * kc) {
            int nr = Math.min(NR, nc - jr);
            if (transB) {
                if (nr == NR && Transpose16.AVAILABLE) packByTransposes(b, bOff + (j0 + jr) * ldb + p0, ldb, NR, kc, dst, d);
                else if (nr == NR) packRowByRow(b, bOff + (j0 + jr) * ldb + p0, ldb, NR, kc, dst, d);
                else packColumnsStrided(b, bOff + (j0 + jr) * ldb + p0, ldb, nr, kc, dst, d);
            } else {
                if (nr == NR) packFullSliverB(b, bOff + p0 * ldb + j0 + jr, ldb, kc, dst, d);
                else packRowsContiguousB(b, bOff + p0 * ldb + j0 + jr, ldb, nr, kc, dst, d);
            }
        }
    }

    /** A full sliver of a transposed A: per step of k, a (masked) copy of MR contiguous values. */
    private static void packFullSliverAT(float[] a, int src, int lda, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src += lda, d += MR) {
            for (int r = 0; r < MR_FULL; r += L) FloatVector.fromArray(S, a, src + r).intoArray(dst, d + r);
            if (MR_FULL < MR) FloatVector.fromArray(S, a, src + MR_FULL, MR_TAIL).intoArray(dst, d + MR_FULL, MR_TAIL);
        }
    }

    /**
     * A full sliver whose {@code width} values per step of k (width MR or NR) come from as
     * many rows of the source ({@code lda} apart), copied row by row: the reads run along a row
     * and the writes stride by the sliver's width (where the transposes of
     * {@link #packByTransposes} are not native; with AVX2's emulated gathers it beat a gather per
     * step of k: A 12 -> 0.8 ns per float on a Zen 3).
     */
    static void packRowByRow(float[] a, int src, int lda, int width, int kc, float[] dst, int d) {
        for (int r = 0; r < width; r++, src += lda) {
            for (int p = 0, o = d + r; p < kc; p++, o += width) dst[o] = a[src + p];
        }
    }

    /**
     * A full sliver whose {@code width} values per step of k (12 = MR or 32 = NR with 16-lane
     * vectors) come from as many rows of the source: 16 steps of k at a time as 16×16 register
     * transposes ({@link Transpose16}), the rest row by row. A 12-wide block's stores spill 4
     * floats into the next step of k, so with width 12 at least one step is left for the rows.
     */
    static void packByTransposes(float[] a, int src, int lda, int width, int kc, float[] dst, int d) {
        int p = 0, end = width % 16 == 0 ? kc : kc - 1;
        for (; p + 16 <= end; p += 16) {
            for (int r = 0; r < width; r += 16) Transpose16.block(a, src + r * lda + p, lda, Math.min(16, width - r), dst, d + p * width + r, width);
        }
        if (p < kc) packRowByRow(a, src + p, lda, width, kc - p, dst, d + p * width);
    }

    /** Edge sliver of a row-major A ({@code mr < MR} rows), zero-padded. */
    private static void packRowsStrided(float[] a, int src, int lda, int mr, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src++, d += MR) {
            int r = 0;
            for (int s = src; r < mr; r++, s += lda) dst[d + r] = a[s];
            for (; r < MR; r++) dst[d + r] = 0f;
        }
    }

    /** Edge sliver of a transposed A ({@code mr < MR} rows), zero-padded. */
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

    /** Edge sliver of a transposed B ({@code nr < NR} columns), zero-padded. */
    private static void packColumnsStrided(float[] b, int src, int ldb, int nr, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src++, d += NR) {
            int j = 0;
            for (int s = src; j < nr; j++, s += ldb) dst[d + j] = b[s];
            for (; j < NR; j++) dst[d + j] = 0f;
        }
    }
}
