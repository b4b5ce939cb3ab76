package io.descent.kernels;

import static io.descent.kernels.GemmMicroKernel.L;
import static io.descent.kernels.GemmMicroKernel.MR;
import static io.descent.kernels.GemmMicroKernel.NR;
import static io.descent.kernels.GemmMicroKernel.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

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
    /**
     * For {@link #packInterleaved4}: output vector j of a block of L steps of k holds, in lane
     * l, element j·L + l of the block, that is step (j·L + l) / 4 of row l % 4. {@code SPREAD[j]}
     * moves that step into lane l; {@code ROW_LANES[r]} marks the lanes that row r fills.
     */
    private static final VectorShuffle<Float>[] SPREAD = spreadShuffles();
    private static final VectorMask<Float>[] ROW_LANES = rowLanes();
    /** For {@link #packByButterflies}: lane l goes to lane l ^ s, and the lanes with bit s set (s = 1, 2, 4). */
    private static final VectorShuffle<Float> XOR1 = S.shuffleFromOp(l -> l ^ 1), XOR2 = S.shuffleFromOp(l -> l ^ 2), XOR4 = S.shuffleFromOp(l -> l ^ 4);
    private static final VectorMask<Float> BIT1 = lanesWithBit(1), BIT2 = lanesWithBit(2), BIT4 = lanesWithBit(4);

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
                else if (mr == MR && MR == 4) packFullSliverAT4(a, aOff + p0 * lda + i0 + ir, lda, kc, dst, d);
                else packRowsContiguous(a, aOff + p0 * lda + i0 + ir, lda, mr, kc, dst, d);
            } else {
                if (mr == MR && Transpose16.AVAILABLE) packByTransposes(a, aOff + (i0 + ir) * lda + p0, lda, MR, kc, dst, d);
                else if (mr == MR && MR == 4) packInterleaved4(a, aOff + (i0 + ir) * lda + p0, lda, kc, dst, d);
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
                else if (nr == NR && L == 8) packByButterflies(b, bOff + (j0 + jr) * ldb + p0, ldb, NR, kc, dst, d);
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

    /** {@link #packFullSliverAT} for the 4-row tile: one 128-bit vector copy per step of k (no masks). */
    private static void packFullSliverAT4(float[] a, int src, int lda, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, src += lda, d += 4) FloatVector.fromArray(FloatVector.SPECIES_128, a, src).intoArray(dst, d);
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
     * A full 4-row sliver of a row-major operand (the 16-register tile's A): L steps of k at a
     * time, the four rows are loaded as vectors and interleaved into four output vectors by
     * one-vector permutes and blends (single instructions on AVX2, unlike two-vector permutes
     * or scatters); the steps past the last whole block row by row. The element copies of
     * {@link #packRowByRow} took 8 % of a 1024³ product on a Zen 4 running AVX2 code.
     */
    static void packInterleaved4(float[] a, int src, int lda, int kc, float[] dst, int d) {
        VectorMask<Float> m1 = ROW_LANES[1], m2 = ROW_LANES[2], m3 = ROW_LANES[3];
        VectorShuffle<Float> s0 = SPREAD[0], s1 = SPREAD[1], s2 = SPREAD[2], s3 = SPREAD[3];
        int p = 0;
        for (; p + L <= kc; p += L, d += 4 * L) {
            FloatVector r0 = FloatVector.fromArray(S, a, src + p);
            FloatVector r1 = FloatVector.fromArray(S, a, src + lda + p);
            FloatVector r2 = FloatVector.fromArray(S, a, src + 2 * lda + p);
            FloatVector r3 = FloatVector.fromArray(S, a, src + 3 * lda + p);
            r0.rearrange(s0).blend(r1.rearrange(s0), m1).blend(r2.rearrange(s0), m2).blend(r3.rearrange(s0), m3).intoArray(dst, d);
            r0.rearrange(s1).blend(r1.rearrange(s1), m1).blend(r2.rearrange(s1), m2).blend(r3.rearrange(s1), m3).intoArray(dst, d + L);
            r0.rearrange(s2).blend(r1.rearrange(s2), m1).blend(r2.rearrange(s2), m2).blend(r3.rearrange(s2), m3).intoArray(dst, d + 2 * L);
            r0.rearrange(s3).blend(r1.rearrange(s3), m1).blend(r2.rearrange(s3), m2).blend(r3.rearrange(s3), m3).intoArray(dst, d + 3 * L);
        }
        if (p < kc) packRowByRow(a, src + p, lda, 4, kc - p, dst, d);
    }

    /**
     * A full sliver whose {@code width} (a multiple of 8) values per step of k come from as many
     * rows of the source, for 8-lane vectors without two-vector permutes (AVX2): 8 steps of k at
     * a time, each group of 8 rows is loaded as 8 vectors and transposed in registers by three
     * butterfly stages (at stage s, rows i and i + s swap the lanes whose bit s differs, by
     * one-vector permutes and blends), the rest row by row. Element copies took 10 % of a
     * 128×3136×128 NT product (a transposed B) on a Zen 4 running AVX2 code.
     */
    static void packByButterflies(float[] a, int src, int lda, int width, int kc, float[] dst, int d) {
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            for (int g = 0; g < width; g += 8) {
                int at = src + g * lda + p;
                FloatVector r0 = FloatVector.fromArray(S, a, at), r1 = FloatVector.fromArray(S, a, at + lda);
                FloatVector r2 = FloatVector.fromArray(S, a, at + 2 * lda), r3 = FloatVector.fromArray(S, a, at + 3 * lda);
                FloatVector r4 = FloatVector.fromArray(S, a, at + 4 * lda), r5 = FloatVector.fromArray(S, a, at + 5 * lda);
                FloatVector r6 = FloatVector.fromArray(S, a, at + 6 * lda), r7 = FloatVector.fromArray(S, a, at + 7 * lda);
                // stage 1: pairs (0,1) (2,3) (4,5) (6,7)
                FloatVector t0 = r0.blend(r1.rearrange(XOR1), BIT1), t1 = r0.rearrange(XOR1).blend(r1, BIT1);
                FloatVector t2 = r2.blend(r3.rearrange(XOR1), BIT1), t3 = r2.rearrange(XOR1).blend(r3, BIT1);
                FloatVector t4 = r4.blend(r5.rearrange(XOR1), BIT1), t5 = r4.rearrange(XOR1).blend(r5, BIT1);
                FloatVector t6 = r6.blend(r7.rearrange(XOR1), BIT1), t7 = r6.rearrange(XOR1).blend(r7, BIT1);
                // stage 2: pairs (0,2) (1,3) (4,6) (5,7)
                r0 = t0.blend(t2.rearrange(XOR2), BIT2); r2 = t0.rearrange(XOR2).blend(t2, BIT2);
                r1 = t1.blend(t3.rearrange(XOR2), BIT2); r3 = t1.rearrange(XOR2).blend(t3, BIT2);
                r4 = t4.blend(t6.rearrange(XOR2), BIT2); r6 = t4.rearrange(XOR2).blend(t6, BIT2);
                r5 = t5.blend(t7.rearrange(XOR2), BIT2); r7 = t5.rearrange(XOR2).blend(t7, BIT2);
                // stage 4: pairs (0,4) (1,5) (2,6) (3,7); vector i now holds step p + i of the 8 rows
                int o = d + p * width + g;
                r0.blend(r4.rearrange(XOR4), BIT4).intoArray(dst, o);
                r1.blend(r5.rearrange(XOR4), BIT4).intoArray(dst, o + width);
                r2.blend(r6.rearrange(XOR4), BIT4).intoArray(dst, o + 2 * width);
                r3.blend(r7.rearrange(XOR4), BIT4).intoArray(dst, o + 3 * width);
                r0.rearrange(XOR4).blend(r4, BIT4).intoArray(dst, o + 4 * width);
                r1.rearrange(XOR4).blend(r5, BIT4).intoArray(dst, o + 5 * width);
                r2.rearrange(XOR4).blend(r6, BIT4).intoArray(dst, o + 6 * width);
                r3.rearrange(XOR4).blend(r7, BIT4).intoArray(dst, o + 7 * width);
            }
        }
        if (p < kc) packRowByRow(a, src + p, lda, width, kc - p, dst, d + p * width);
    }

    private static VectorMask<Float> lanesWithBit(int s) {
        boolean[] bits = new boolean[L];
        for (int l = 0; l < L; l++) bits[l] = (l & s) != 0;
        return VectorMask.fromArray(S, bits, 0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] spreadShuffles() {
        VectorShuffle<Float>[] s = new VectorShuffle[4];
        for (int j = 0; j < 4; j++) {
            int[] lane = new int[L];
            for (int l = 0; l < L; l++) lane[l] = (j * L + l) / 4;
            s[j] = VectorShuffle.fromArray(S, lane, 0);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] rowLanes() {
        VectorMask<Float>[] m = new VectorMask[4];
        for (int r = 0; r < 4; r++) {
            boolean[] bits = new boolean[L];
            for (int l = 0; l < L; l++) bits[l] = l % 4 == r;
            m[r] = VectorMask.fromArray(S, bits, 0);
        }
        return m;
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
