package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link Gemm}: one {@code MR}×{@code NR} tile of C from
 * an MR-row sliver of packed A and an NR-column sliver of packed B (the Goto/BLIS "micro-kernel").
 * {@code NR} is two vectors of {@link FloatVector#SPECIES_PREFERRED}. The tile's accumulators,
 * the two B vectors and one broadcast A value must fit the vector register file, or the compiler
 * spills accumulators to the stack on every step of k: with 32 registers (AVX-512, AArch64) the
 * tile is 12 rows (24 accumulators; per step of k 2 vector loads, 12 broadcasts, 24 FMAs), with
 * 16 (AVX2, SSE) it is 4 rows (8 accumulators; see {@link #MR}). The accumulators
 * are named locals (arrays of vectors would live in memory). The code is written in terms of the
 * species length only.
 *
 * <p>Each element of C is a plain FMA chain over k in order, then one merge with the old C
 * ({@link #store}); its value therefore does not depend on MR, NR, the vector width or the
 * tile it falls in.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Rows of a tile: 12 with 32 registers; 4 with 16, where C2's scheduler, which hoists the
     * broadcasts, already spilled one of the 12 accumulators of a 6-row tile (a load and store
     * of the stack on every step of k: 38 GFLOPS on a Zen 3 against 65 for 4 rows).
     */
    static final int MR = VectorHardware.REGISTERS >= 32 ? 12 : 4;
    /** Columns of a tile: two vectors. */
    static final int NR = 2 * L;

    private GemmMicroKernel() {}

    /**
     * Writes {@code sum_p A[r][p] * B[p][j]} for the tile into {@code tile} (row-major MR×NR).
     * A sliver: {@code ap[ai + p*MR + r]}; B sliver: {@code bp[bi + p*bStride + j]}, p in
     * [0, kc) ({@code bStride} is NR for a packed sliver, ldb for a row-major B read in place).
     * The epilogue that touches C is a separate method so this one stays small enough for C2
     * to inline every vector operation.
     */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        if (MR == 12) kernel12(kc, ap, ai, bp, bi, bStride, tile);
        else kernel4(kc, ap, ai, bp, bi, bStride, tile);
    }

    /** {@link #kernel} with 16 vector registers: 4 rows, 8 accumulators. */
    static void kernel4(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            ai += 4;
            bi += bStride;
        }
        c0_0.intoArray(tile, 0 * L); c0_1.intoArray(tile, 1 * L);
        c1_0.intoArray(tile, 2 * L); c1_1.intoArray(tile, 3 * L);
        c2_0.intoArray(tile, 4 * L); c2_1.intoArray(tile, 5 * L);
        c3_0.intoArray(tile, 6 * L); c3_1.intoArray(tile, 7 * L);
    }

    /** {@link #kernel} with 32 vector registers: 12 rows, 24 accumulators. */
    static void kernel12(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
            FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
            c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
            FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
            c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
            FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
            c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
            FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
            c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            ai += 12;
            bi += bStride;
        }
        c0_0.intoArray(tile, 0 * L); c0_1.intoArray(tile, 1 * L);
        c1_0.intoArray(tile, 2 * L); c1_1.intoArray(tile, 3 * L);
        c2_0.intoArray(tile, 4 * L); c2_1.intoArray(tile, 5 * L);
        c3_0.intoArray(tile, 6 * L); c3_1.intoArray(tile, 7 * L);
        c4_0.intoArray(tile, 8 * L); c4_1.intoArray(tile, 9 * L);
        c5_0.intoArray(tile, 10 * L); c5_1.intoArray(tile, 11 * L);
        c6_0.intoArray(tile, 12 * L); c6_1.intoArray(tile, 13 * L);
        c7_0.intoArray(tile, 14 * L); c7_1.intoArray(tile, 15 * L);
        c8_0.intoArray(tile, 16 * L); c8_1.intoArray(tile, 17 * L);
        c9_0.intoArray(tile, 18 * L); c9_1.intoArray(tile, 19 * L);
        c10_0.intoArray(tile, 20 * L); c10_1.intoArray(tile, 21 * L);
        c11_0.intoArray(tile, 22 * L); c11_1.intoArray(tile, 23 * L);
    }

    /**
     * {@link #kernel12} for a right-edge tile at most one vector wide (nr ≤ L): the first vector
     * of each row only, half the multiply-adds of a full tile (n = 112 or 196, the per-image
     * products of 14×14 layers, end in such a tile). Same FMA chain per element, so the same bits;
     * the tile's second vectors are left as they were, and {@link #store} never reads them.
     */
    static void kernel12Narrow(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bi);
            c0 = FloatVector.broadcast(S, ap[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(S, ap[ai + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(S, ap[ai + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(S, ap[ai + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(S, ap[ai + 11]).fma(b, c11);
            ai += 12;
            bi += bStride;
        }
        c0.intoArray(tile, 0 * NR); c1.intoArray(tile, 1 * NR); c2.intoArray(tile, 2 * NR); c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR); c5.intoArray(tile, 5 * NR); c6.intoArray(tile, 6 * NR); c7.intoArray(tile, 7 * NR);
        c8.intoArray(tile, 8 * NR); c9.intoArray(tile, 9 * NR); c10.intoArray(tile, 10 * NR); c11.intoArray(tile, 11 * NR);
    }

    /** Half a 16-lane vector (AVX-512's 256-bit registers), for {@link #kernel12Half}. */
    static final VectorSpecies<Float> HALF = FloatVector.SPECIES_256;

    /**
     * {@link #kernel12Narrow} for a right-edge tile at most half a vector wide (nr ≤ 8 with
     * 16-lane vectors: n = 196 per image of a 14×14 layer ends in 4 columns, 392 for eight
     * 7×7 images in 8) on 256-bit vectors: the same FMA chains, so the same bits, at half
     * the FMA work where 512-bit FMAs take two passes through 256-bit units (AMD Zen 4).
     * Writes the first 8 floats of each tile row; {@link #store} reads only the first nr. A
     * twin of kernel12Narrow rather than one method taking the species: the Vector API compiles
     * to vector instructions only where the JIT sees the species as a constant.
     */
    static void kernel12Half(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile) {
        FloatVector c0 = FloatVector.zero(HALF), c1 = FloatVector.zero(HALF), c2 = FloatVector.zero(HALF), c3 = FloatVector.zero(HALF);
        FloatVector c4 = FloatVector.zero(HALF), c5 = FloatVector.zero(HALF), c6 = FloatVector.zero(HALF), c7 = FloatVector.zero(HALF);
        FloatVector c8 = FloatVector.zero(HALF), c9 = FloatVector.zero(HALF), c10 = FloatVector.zero(HALF), c11 = FloatVector.zero(HALF);
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(HALF, bp, bi);
            c0 = FloatVector.broadcast(HALF, ap[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(HALF, ap[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(HALF, ap[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(HALF, ap[ai + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(HALF, ap[ai + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(HALF, ap[ai + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(HALF, ap[ai + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(HALF, ap[ai + 7]).fma(b, c7);
            c8 = FloatVector.broadcast(HALF, ap[ai + 8]).fma(b, c8);
            c9 = FloatVector.broadcast(HALF, ap[ai + 9]).fma(b, c9);
            c10 = FloatVector.broadcast(HALF, ap[ai + 10]).fma(b, c10);
            c11 = FloatVector.broadcast(HALF, ap[ai + 11]).fma(b, c11);
            ai += 12;
            bi += bStride;
        }
        c0.intoArray(tile, 0 * L); c1.intoArray(tile, 2 * L); c2.intoArray(tile, 4 * L); c3.intoArray(tile, 6 * L);
        c4.intoArray(tile, 8 * L); c5.intoArray(tile, 10 * L); c6.intoArray(tile, 12 * L); c7.intoArray(tile, 14 * L);
        c8.intoArray(tile, 16 * L); c9.intoArray(tile, 18 * L); c10.intoArray(tile, 20 * L); c11.intoArray(tile, 22 * L);
    }

    /**
     * Merges a computed tile into C: {@code C = alpha*tile + beta*C} on the top-left
     * {@code mr}×{@code nr} part, with {@code beta == 0} never reading C (so NaN there is
     * dropped); with {@code rowBias} (beta is then 0) {@code C = alpha*tile + rowBias[biasAt + r]},
     * one rounding as when C held the bias and beta was 1. Rows are whole vectors; a right-edge
     * tile's rows are masked to its nr columns.
     */
    static void store(float[] tile, int mr, int nr, float alpha, float beta, float[] rowBias, int biasAt, float[] c, int ci, int ldc) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        if (nr == NR) {
            for (int r = 0; r < mr; r++, ci += ldc) {
                for (int v = 0; v < NR; v += L) {
                    FloatVector acc = FloatVector.fromArray(S, tile, r * NR + v);
                    if (rowBias != null) acc.fma(va, FloatVector.broadcast(S, rowBias[biasAt + r])).intoArray(c, ci + v);
                    else if (beta == 0f) acc.mul(va).intoArray(c, ci + v);
                    else acc.fma(va, FloatVector.fromArray(S, c, ci + v).mul(beta)).intoArray(c, ci + v);
                }
            }
            return;
        }
        // a right-edge tile: the same arithmetic on the first nr lanes (masked vectors)
        VectorMask<Float> m0 = S.indexInRange(0, nr), m1 = S.indexInRange(L, nr);
        for (int r = 0; r < mr; r++, ci += ldc) {
            for (int v = 0; v < nr; v += L) {
                VectorMask<Float> m = v == 0 ? m0 : m1;
                FloatVector acc = FloatVector.fromArray(S, tile, r * NR + v);
                if (rowBias != null) acc.fma(va, FloatVector.broadcast(S, rowBias[biasAt + r])).intoArray(c, ci + v, m);
                else if (beta == 0f) acc.mul(va).intoArray(c, ci + v, m);
                else acc.fma(va, FloatVector.fromArray(S, c, ci + v, m).mul(beta)).intoArray(c, ci + v, m);
            }
        }
    }
}
