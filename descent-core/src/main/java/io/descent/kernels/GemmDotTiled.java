package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = alpha·A·Bᵀ + beta·C} with A (m×k) and B (n×k) both row-major, few rows of A and a
 * long k, as dot products of rows read in place: a fully connected layer's forward {@code x·Wᵀ}
 * at batch 128 (W1's 128×512×784, W2's 128×128×3136). The tiled kernel must transpose both
 * operands into packed slivers first, a fifth of such a product's time on one thread, more on
 * two (each float moved feeds only m or n multiply-adds); here 4 rows of A meet 4 rows of B in
 * 16 vector accumulators, 8 loads per 16 FMAs, nothing packed, and the threads share out B's
 * rows with nothing to share. Each element ends in a lane sum: 16 at once by a butterfly of
 * two-vector permutes ({@link #sum16}), which is why this path needs 512-bit vectors with
 * native permutes, and why k must be long (at k = 512 it ties with the tiled kernel, at 256 it
 * loses by a quarter). Measured ({@code bench gemm}, GFLOPS, tiled → here): 128×128×3136 one
 * thread 89 → 98, two 147 → 199; 128×512×784 one thread 94 both ways, two 171 → 191.
 *
 * <p>Every element's value depends on k alone (one lane-wise FMA chain over k, lanes summed in
 * a fixed tree), never on the threads or the tile it falls in; the edges (m or n not a multiple
 * of 4) are {@link GemmDot}'s whole-k dot products.
 */
final class GemmDotTiled {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    /** Whether the machine has what the lane sums need. */
    static final boolean AVAILABLE = Transpose16.AVAILABLE;
    /**
     * Whether {@link Gemm} sends suiting products here: only where 512-bit FMAs run at half rate
     * ({@link VectorHardware#HALF_RATE_512}, the AMD Zen 4 these figures come from). With
     * full-width units the packed tiles are faster (AMD Zen 5, {@code bench gemm}, GFLOPS here
     * → tiled: 128×128×3136 one thread 123–128 → 141–154, two 226–248 → 221–232; 128×512×784
     * one thread 128–144 → 171–176, two 230–248 → 268–282; 64×576×3136 one 105–117 → 131–141):
     * four rows of A and four of B streamed per 16 FMAs, ~0.55 of the FMA peak, where the
     * 12-row tile broadcasts from one sliver in L1.
     */
    static final boolean CHOSEN = AVAILABLE && VectorHardware.HALF_RATE_512;
    /** Shortest k sent here. */
    static final int MIN_K = 768;
    /** Most rows of A: above it A no longer stays near while B's blocks pass it, and packing pays (256×256×2048: 83 against 95 tiled; 1024³: 80 against 101). */
    static final int MAX_M = 128;
    /**
     * Longest k sent here: every tile reads its 8 rows whole, so a k of hundreds of thousands
     * (a convolution's weight gradient over a batch) would stream them from memory per tile,
     * where the tiled kernel's packed blocks stay in cache.
     */
    static final int MAX_K = 4096;
    /** Rows of B that stay in cache while every group of 4 rows of A meets them. */
    private static final int NB = 64;
    /**
     * Lane picks of the butterfly's four levels ({@link #half}): at a level with h partial sums
     * per accumulator out, LO takes the first h of every 2h of both inputs (lanes 16-31 are the
     * second input's), HI the next h.
     */
    private static final FloatVector LO8 = picks(8, 0), HI8 = picks(8, 8), LO4 = picks(4, 0), HI4 = picks(4, 4);
    private static final FloatVector LO2 = picks(2, 0), HI2 = picks(2, 2), LO1 = picks(1, 0), HI1 = picks(1, 1);

    private static FloatVector picks(int h, int shift) {
        float[] idx = new float[L];
        int perInput = L / (2 * h); // accumulators each input brings
        for (int lane = 0; lane < L; lane++) {
            int acc = lane / h, input = acc < perInput ? 0 : L;
            idx[lane] = input + (acc % perInput) * 2 * h + lane % h + shift;
        }
        return FloatVector.fromArray(S, idx, 0);
    }

    /** Per thread: a tile's 16 accumulators as stored for {@link #sum16}, and their 16 sums. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[L * L]), SUMS = ThreadLocal.withInitial(() -> new float[L]);

    private GemmDotTiled() {}

    static boolean suits(boolean transA, boolean transB, int m, int n, int k) {
        return CHOSEN && !transA && transB && k >= MIN_K && k <= MAX_K && m >= 4 && m <= MAX_M && n >= 4;
    }

    /** The product; the threads share out B's rows in groups of 4. */
    static void nt(int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
        boolean parallel = (long) m * n * k >= Gemm.PARALLEL_MIN_WORK && !Parallel.inWorker();
        Parallel.forRange((n + 3) / 4, parallel ? 1 : Integer.MAX_VALUE, (from, to) ->
                columns(4 * from, Math.min(n, 4 * to), m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
    }

    /** Columns {@code [j0, j1)} of C, every row ({@code j0} a multiple of 4). */
    private static void columns(int j0, int j1, int m, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] acc = SCRATCH.get(), sums = SUMS.get();
        int m4 = m / 4 * 4, whole = k / L * L;
        for (int jb = j0; jb < j1; jb += NB) {
            int jbEnd = Math.min(j1, jb + NB), jb4 = jb + (jbEnd - jb) / 4 * 4;
            for (int i = 0; i < m4; i += 4) {
                for (int j = jb; j < jb4; j += 4) {
                    tile(whole, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, acc);
                    sum16(acc, sums);
                    if (whole < k) tail(whole, k, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, sums);
                    merge(sums, alpha, beta, c, cOff + i * ldc + j, ldc);
                }
            }
            for (int i = 0; i < m; i++) { // the edges: rows past m4 in this block's groups, columns past jb4 in every row
                for (int j = i < m4 ? jb4 : jb; j < jbEnd; j++) {
                    GemmDot.merge(c, cOff + i * ldc + j, GemmDot.dot(k, a, aOff + i * lda, b, bOff + j * ldb), alpha, beta);
                }
            }
        }
    }

    /**
     * The 16 dot products over {@code len} (a multiple of 16) of rows {@code a0 + r·lda} and
     * {@code b0 + q·ldb}, as lane vectors: accumulator 4r + q at {@code acc[(4r + q)·16]}. No
     * masked tail and no lane sums here: with either, C2 compiled the method too large to
     * inline all its vector operations, and the rest ran on the Vector API's Java fallback
     * (65–72 against ~100 GFLOPS).
     */
    private static void tile(int len, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] acc) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        for (int p = 0; p < len; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p), x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p), x3 = FloatVector.fromArray(S, a, a3 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00); s10 = x1.fma(y, s10); s20 = x2.fma(y, s20); s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01); s11 = x1.fma(y, s11); s21 = x2.fma(y, s21); s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02); s12 = x1.fma(y, s12); s22 = x2.fma(y, s22); s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03); s13 = x1.fma(y, s13); s23 = x2.fma(y, s23); s33 = x3.fma(y, s33);
        }
        s00.intoArray(acc, 0); s01.intoArray(acc, L); s02.intoArray(acc, 2 * L); s03.intoArray(acc, 3 * L);
        s10.intoArray(acc, 4 * L); s11.intoArray(acc, 5 * L); s12.intoArray(acc, 6 * L); s13.intoArray(acc, 7 * L);
        s20.intoArray(acc, 8 * L); s21.intoArray(acc, 9 * L); s22.intoArray(acc, 10 * L); s23.intoArray(acc, 11 * L);
        s30.intoArray(acc, 12 * L); s31.intoArray(acc, 13 * L); s32.intoArray(acc, 14 * L); s33.intoArray(acc, 15 * L);
    }

    /**
     * The lane sums of the 16 vectors in {@code acc} into {@code sums} (sum i: vector i's), by a
     * butterfly: each level adds the two halves of every accumulator's partial sums, lanes l and
     * l + 8, then l and l + 4, ...: 30 two-vector permutes and 15 adds where 16 separate sums
     * take 240 scalar adds, in a fixed tree, so the result does not depend on the JIT.
     */
    static void sum16(float[] acc, float[] sums) {
        FloatVector w0 = half(LO8, HI8, acc, 0), w1 = half(LO8, HI8, acc, 2), w2 = half(LO8, HI8, acc, 4), w3 = half(LO8, HI8, acc, 6);
        FloatVector w4 = half(LO8, HI8, acc, 8), w5 = half(LO8, HI8, acc, 10), w6 = half(LO8, HI8, acc, 12), w7 = half(LO8, HI8, acc, 14);
        FloatVector u0 = half(LO4, HI4, w0, w1), u1 = half(LO4, HI4, w2, w3), u2 = half(LO4, HI4, w4, w5), u3 = half(LO4, HI4, w6, w7);
        half(LO1, HI1, half(LO2, HI2, u0, u1), half(LO2, HI2, u2, u3)).intoArray(sums, 0);
    }

    /** The first level of {@link #sum16}, on accumulators {@code v} and {@code v + 1} of {@code acc}. */
    private static FloatVector half(FloatVector lo, FloatVector hi, float[] acc, int v) {
        return half(lo, hi, FloatVector.fromArray(S, acc, v * L), FloatVector.fromArray(S, acc, (v + 1) * L));
    }

    /** {@code C = alpha·sums + beta·C} on the 4×4 block at {@code c[ci]}, row by row: {@link GemmDot#merge}'s arithmetic, 4 lanes at a time. */
    private static void merge(float[] sums, float alpha, float beta, float[] c, int ci, int ldc) {
        for (int r = 0; r < 4; r++, ci += ldc) {
            FloatVector v = FloatVector.fromArray(S4, sums, 4 * r);
            if (beta == 0f) v.mul(alpha).intoArray(c, ci);
            else v.fma(FloatVector.broadcast(S4, alpha), FloatVector.fromArray(S4, c, ci).mul(beta)).intoArray(c, ci);
        }
    }

    /** Adds the products of {@code [from, to)} (k's last, fewer than 16) to the tile's sums, in order. */
    private static void tail(int from, int to, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] sums) {
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                float t = 0f;
                for (int p = from; p < to; p++) t = Math.fma(a[a0 + r * lda + p], b[b0 + q * ldb + p], t);
                sums[4 * r + q] += t;
            }
        }
    }

    /** One level of the butterfly: the partial sums of {@code x}'s accumulators, then {@code y}'s, each halved. */
    private static FloatVector half(FloatVector lo, FloatVector hi, FloatVector x, FloatVector y) {
        return lo.selectFrom(x, y).add(hi.selectFrom(x, y));
    }
}
