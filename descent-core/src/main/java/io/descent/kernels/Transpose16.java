package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes of 16×16 blocks in registers, for packing a GEMM operand whose sliver runs across
 * the rows of its source (a row-major A, a transposed B). Four rounds of the same two-vector zip
 * (vector 2i takes lanes 0-7 of rows i and i+8 interleaved, vector 2i+1 lanes 8-15) move
 * element (r, c) of the block to lane r of vector c: each round shifts the row's bits one place
 * into the lane index and the column's bits out (the "perfect shuffle" transpose). That is 64
 * two-vector permutes per 256 floats, one instruction each with AVX-512
 * ({@link VectorHardware#TWO_VECTOR_PERMUTES}). On a Zen 4 it packs a 12-row A sliver at
 * 0.25 ns per float and a 32-column B sliver at 0.2, against 0.58 and 0.41 with a gather per
 * step of k and 0.45 and 0.53 element by element.
 *
 * <p>The transpose is one straight-line method so that C2 keeps all 16 vectors in registers
 * (passed between two halves through an L1 scratch they took 1.5x as long).
 * The code always uses 16-lane vectors, so that tests check it on any machine; it is fast only
 * where those are the hardware's own ({@link #AVAILABLE}).
 */
final class Transpose16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Whether the packing code uses these transposes: 512-bit vectors with native two-vector permutes. */
    static final boolean AVAILABLE = VectorHardware.TWO_VECTOR_PERMUTES && VectorHardware.S.length() == 16;
    /**
     * Lane indexes of the zip: lanes 0-15 pick from the first vector, 16-31 from the second;
     * ZIP_LO interleaves lanes 0-7 of the two, ZIP_HI lanes 8-15.
     */
    static final FloatVector ZIP_LO = zipIndexes(0), ZIP_HI = zipIndexes(8);

    private Transpose16() {}

    private static FloatVector zipIndexes(int from) {
        float[] idx = new float[16];
        for (int i = 0; i < 8; i++) {
            idx[2 * i] = from + i;
            idx[2 * i + 1] = 16 + from + i;
        }
        return FloatVector.fromArray(S, idx, 0);
    }

    /**
     * Columns {@code [0, 16)} of {@code rows} rows (12, a tile of A, or 16) starting at
     * {@code a[src]}, {@code lda} apart, written column by column: column c as a whole vector at
     * {@code dst[d + c*stride]}, its lane r holding row r. With 12 rows, lanes 12-15 hold other
     * rows' values: each column's are overwritten by the next one's store when the stride is 12,
     * and the caller overwrites the last one's ({@code dst[d + 15*stride + 12, +16)}).
     * Unmasked stores: the masked store's check for an all-true mask cost this method its
     * registers (every vector boxed, 50x slower) once both row counts had been seen.
     */
    static void block(float[] a, int src, int lda, int rows, float[] dst, int d, int stride) {
        // With 12 rows, rows 0-3 stand in for 12-15: their values land in lanes 12-15 only,
        // which the next store (or the caller) overwrites.
        int hi = src + (rows - 12) * 3 * lda; // row 12, or row 0 (no branch: C2 traps on a side not yet seen)
        FloatVector r0 = FloatVector.fromArray(S, a, src), r1 = FloatVector.fromArray(S, a, src + lda);
        FloatVector r2 = FloatVector.fromArray(S, a, src + 2 * lda), r3 = FloatVector.fromArray(S, a, src + 3 * lda);
        FloatVector r4 = FloatVector.fromArray(S, a, src + 4 * lda), r5 = FloatVector.fromArray(S, a, src + 5 * lda);
        FloatVector r6 = FloatVector.fromArray(S, a, src + 6 * lda), r7 = FloatVector.fromArray(S, a, src + 7 * lda);
        FloatVector r8 = FloatVector.fromArray(S, a, src + 8 * lda), r9 = FloatVector.fromArray(S, a, src + 9 * lda);
        FloatVector r10 = FloatVector.fromArray(S, a, src + 10 * lda), r11 = FloatVector.fromArray(S, a, src + 11 * lda);
        FloatVector r12 = FloatVector.fromArray(S, a, hi), r13 = FloatVector.fromArray(S, a, hi + lda);
        FloatVector r14 = FloatVector.fromArray(S, a, hi + 2 * lda), r15 = FloatVector.fromArray(S, a, hi + 3 * lda);
        // The four rounds written out: C2 keeps vectors in registers across straight-line code
        // only (a loop over them had it box every vector in some compilations, 50x slower).
        FloatVector s0 = ZIP_LO.selectFrom(r0, r8), s1 = ZIP_HI.selectFrom(r0, r8);
        FloatVector s2 = ZIP_LO.selectFrom(r1, r9), s3 = ZIP_HI.selectFrom(r1, r9);
        FloatVector s4 = ZIP_LO.selectFrom(r2, r10), s5 = ZIP_HI.selectFrom(r2, r10);
        FloatVector s6 = ZIP_LO.selectFrom(r3, r11), s7 = ZIP_HI.selectFrom(r3, r11);
        FloatVector s8 = ZIP_LO.selectFrom(r4, r12), s9 = ZIP_HI.selectFrom(r4, r12);
        FloatVector s10 = ZIP_LO.selectFrom(r5, r13), s11 = ZIP_HI.selectFrom(r5, r13);
        FloatVector s12 = ZIP_LO.selectFrom(r6, r14), s13 = ZIP_HI.selectFrom(r6, r14);
        FloatVector s14 = ZIP_LO.selectFrom(r7, r15), s15 = ZIP_HI.selectFrom(r7, r15);
        FloatVector t0 = ZIP_LO.selectFrom(s0, s8), t1 = ZIP_HI.selectFrom(s0, s8);
        FloatVector t2 = ZIP_LO.selectFrom(s1, s9), t3 = ZIP_HI.selectFrom(s1, s9);
        FloatVector t4 = ZIP_LO.selectFrom(s2, s10), t5 = ZIP_HI.selectFrom(s2, s10);
        FloatVector t6 = ZIP_LO.selectFrom(s3, s11), t7 = ZIP_HI.selectFrom(s3, s11);
        FloatVector t8 = ZIP_LO.selectFrom(s4, s12), t9 = ZIP_HI.selectFrom(s4, s12);
        FloatVector t10 = ZIP_LO.selectFrom(s5, s13), t11 = ZIP_HI.selectFrom(s5, s13);
        FloatVector t12 = ZIP_LO.selectFrom(s6, s14), t13 = ZIP_HI.selectFrom(s6, s14);
        FloatVector t14 = ZIP_LO.selectFrom(s7, s15), t15 = ZIP_HI.selectFrom(s7, s15);
        FloatVector u0 = ZIP_LO.selectFrom(t0, t8), u1 = ZIP_HI.selectFrom(t0, t8);
        FloatVector u2 = ZIP_LO.selectFrom(t1, t9), u3 = ZIP_HI.selectFrom(t1, t9);
        FloatVector u4 = ZIP_LO.selectFrom(t2, t10), u5 = ZIP_HI.selectFrom(t2, t10);
        FloatVector u6 = ZIP_LO.selectFrom(t3, t11), u7 = ZIP_HI.selectFrom(t3, t11);
        FloatVector u8 = ZIP_LO.selectFrom(t4, t12), u9 = ZIP_HI.selectFrom(t4, t12);
        FloatVector u10 = ZIP_LO.selectFrom(t5, t13), u11 = ZIP_HI.selectFrom(t5, t13);
        FloatVector u12 = ZIP_LO.selectFrom(t6, t14), u13 = ZIP_HI.selectFrom(t6, t14);
        FloatVector u14 = ZIP_LO.selectFrom(t7, t15), u15 = ZIP_HI.selectFrom(t7, t15);
        FloatVector v0 = ZIP_LO.selectFrom(u0, u8), v1 = ZIP_HI.selectFrom(u0, u8);
        FloatVector v2 = ZIP_LO.selectFrom(u1, u9), v3 = ZIP_HI.selectFrom(u1, u9);
        FloatVector v4 = ZIP_LO.selectFrom(u2, u10), v5 = ZIP_HI.selectFrom(u2, u10);
        FloatVector v6 = ZIP_LO.selectFrom(u3, u11), v7 = ZIP_HI.selectFrom(u3, u11);
        FloatVector v8 = ZIP_LO.selectFrom(u4, u12), v9 = ZIP_HI.selectFrom(u4, u12);
        FloatVector v10 = ZIP_LO.selectFrom(u5, u13), v11 = ZIP_HI.selectFrom(u5, u13);
        FloatVector v12 = ZIP_LO.selectFrom(u6, u14), v13 = ZIP_HI.selectFrom(u6, u14);
        FloatVector v14 = ZIP_LO.selectFrom(u7, u15), v15 = ZIP_HI.selectFrom(u7, u15);
        v0.intoArray(dst, d); v1.intoArray(dst, d + stride);
        v2.intoArray(dst, d + 2 * stride); v3.intoArray(dst, d + 3 * stride);
        v4.intoArray(dst, d + 4 * stride); v5.intoArray(dst, d + 5 * stride);
        v6.intoArray(dst, d + 6 * stride); v7.intoArray(dst, d + 7 * stride);
        v8.intoArray(dst, d + 8 * stride); v9.intoArray(dst, d + 9 * stride);
        v10.intoArray(dst, d + 10 * stride); v11.intoArray(dst, d + 11 * stride);
        v12.intoArray(dst, d + 12 * stride); v13.intoArray(dst, d + 13 * stride);
        v14.intoArray(dst, d + 14 * stride); v15.intoArray(dst, d + 15 * stride);
    }
}
