package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three transforms of F(4×4, 3×3) with interpolation points 0, ±1, ±2 and ∞ (Lavin and
 * Gray 2016, §4.2): {@code Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A} for a 3×3 kernel g, a 6×6 input
 * window d and a 4×4 output tile Y. The matrices are {@link #BT}, {@link #G} and {@link #AT};
 * the vector code applies them through their factored forms (common sub-expressions noted
 * inline), one lane per tile, and the tests check it against the plain matrix products.
 * A 6-vector transform position ξ = 6i + j (i from the left factor, j from the right).
 */
final class WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int A = Winograd.ALPHA, M = Winograd.TILE;
    /** A tile row: four floats. */
    private static final VectorSpecies<Float> ROW = FloatVector.SPECIES_128;
    /**
     * Whether whole tiles are written and read through {@link Transpose16} (16-lane vectors with
     * native two-vector permutes) instead of one scatter or gather per tile pixel.
     */
    static final boolean BY_TRANSPOSES = Transpose16.AVAILABLE && L == 16;

    /** Bᵀ, 6×6: the input transform's left factor. */
    static final double[][] BT = {
            {4, 0, -5, 0, 1, 0},
            {0, -4, -4, 1, 1, 0},
            {0, 4, -4, -1, 1, 0},
            {0, -2, -1, 2, 1, 0},
            {0, 2, -1, -2, 1, 0},
            {0, 4, 0, -5, 0, 1}};
    /** G, 6×3: the kernel transform's left factor. */
    static final double[][] G = {
            {1 / 4.0, 0, 0},
            {-1 / 6.0, -1 / 6.0, -1 / 6.0},
            {-1 / 6.0, 1 / 6.0, -1 / 6.0},
            {1 / 24.0, 1 / 12.0, 1 / 6.0},
            {1 / 24.0, -1 / 12.0, 1 / 6.0},
            {0, 0, 1}};
    /** Aᵀ, 4×6: the output transform's left factor. */
    static final double[][] AT = {
            {1, 1, 1, 1, 1, 0},
            {0, 1, -1, 2, -2, 0},
            {0, 1, 1, 4, 4, 0},
            {0, 1, -1, 8, -8, 1}};

    private WinogradTransforms() {}

    /**
     * {@code U_ξ = (G g Gᵀ)_ξ} for every kernel, packed as 36 GEMM left operands of
     * rows×cols: for the forward pass rows are the o output channels and g = w[o, c]; with
     * {@code transposed} (the input gradient) rows are the c input channels and g is
     * w[o, c] turned by 180°.
     */
    static Gemm.PackedA[] weights(float[] w, int o, int c, boolean transposed) {
        int rows = transposed ? c : o, cols = transposed ? o : c;
        Gemm.PackedA[] u = new Gemm.PackedA[Winograd.POSITIONS];
        float[][] kept = PACKED.get();
        for (int xi = 0; xi < u.length; xi++) {
            if (kept[xi].length < Gemm.PackedA.size(rows, cols)) kept[xi] = new float[Gemm.PackedA.size(rows, cols)];
            u[xi] = new Gemm.PackedA(rows, cols, kept[xi]);
        }
        int mr = GemmMicroKernel.MR, slivers = (rows + mr - 1) / mr;
        // One lane per row of a sliver (rows in groups of L when MR exceeds the vector): the
        // nine kernel values of the rows are gathered, transformed as vectors, and each of the
        // 36 results lands on the rows' consecutive packed places in one column. L columns are
        // collected in t and copied out whole: written straight to the 36 arrays, the stores
        // went to addresses a multiple of 4 KiB apart, one L1 set, and took four times as long.
        int rowStride = transposed ? 9 : 9 * c;
        // a sliver's rows in each group of L (made once: without AVX-512 each mask is an array)
        @SuppressWarnings("unchecked")
        VectorMask<Float>[] sliverLanes = new VectorMask[(mr + L - 1) / L];
        for (int rg = 0; rg < mr; rg += L) sliverLanes[rg / L] = S.indexInRange(0, Math.min(L, mr - rg));
        Parallel.forRange(slivers, 1, (from, to) -> {
            // t has L floats to spare: the last partial store then still lies within it
            float[] k = new float[9 * L], g = new float[18 * L], t = new float[Winograd.POSITIONS * mr * L + L];
            int[] idx = new int[L];
            for (int sliver = from; sliver < to; sliver++) {
                for (int s0 = 0; s0 < cols; s0 += L) {
                    int n = Math.min(L, cols - s0);
                    for (int rg = 0; rg < mr; rg += L) {
                        int r0 = sliver * mr + rg, valid = Math.max(0, Math.min(L, rows - r0));
                        // lanes past the rows read index 0 (masked-off lanes are range-checked too) and give zeros
                        for (int l = 0; l < L; l++) idx[l] = l < valid ? l * rowStride : 0;
                        VectorMask<Float> rowsIn = VectorHardware.NATIVE_MASKS ? S.indexInRange(0, valid) : null, lanes = sliverLanes[rg / L];
                        for (int ds = 0; ds < n; ds++) {
                            int s = s0 + ds, base = valid == 0 ? 0 : transposed ? (s * c + r0) * 9 : (r0 * c + s) * 9;
                            for (int q = 0; q < 9; q++) {
                                int at = base + (transposed ? 8 - q : q);
                                if (VectorHardware.NATIVE_MASKS) FloatVector.fromArray(S, w, at, idx, 0, rowsIn).intoArray(k, q * L);
                                else for (int l = 0; l < L; l++) k[q * L + l] = l < valid ? w[at + idx[l]] : 0f; // an emulated gather allocates
                            }
                            // G·(g0, g1, g2) nine times: G g column by column into g ((i, b) at
                            // g[(3i + b)·L]), then (G g) Gᵀ row by row into t (position 6i + j);
                            // one loop, for the reason given in output(). Rows of G: (1/4, 0, 0),
                            // −(1, 1, 1)/6, −(1, −1, 1)/6, (1/24, 1/12, 1/6), (1/24, −1/12, 1/6),
                            // (0, 0, 1). Every store takes the sliver's lanes only (the floats
                            // after them in t belong to the next column; in g the other lanes are
                            // never carried into t), never a plain store instead: with that choice
                            // made at run time C2 left the stores on the Java fallback in some
                            // JVMs (vgg16 training step: +230 MB allocated).
                            for (int it = 0; it < 3 + A; it++) {
                                boolean columns = it < 3;
                                int b = it, i = it - 3;
                                float[] in = columns ? k : g, out = columns ? g : t;
                                int off = columns ? b * L : 3 * i * L, step = columns ? 3 * L : L;
                                int dst = columns ? b * L : A * i * mr * L + ds * mr + rg, stride = columns ? 3 * L : mr * L;
                                FloatVector g0 = FloatVector.fromArray(S, in, off), g1 = FloatVector.fromArray(S, in, off + step), g2 = FloatVector.fromArray(S, in, off + 2 * step);
                                // products with the reciprocals: a float division takes several times as long
                                FloatVector e = g0.add(g2), f = g0.mul(1f / 24).add(g2.mul(1f / 6)), h = g1.mul(1f / 12);
                                g0.mul(0.25f).intoArray(out, dst, lanes);
                                e.add(g1).mul(-1f / 6).intoArray(out, dst + stride, lanes);
                                e.sub(g1).mul(-1f / 6).intoArray(out, dst + 2 * stride, lanes);
                                f.add(h).intoArray(out, dst + 3 * stride, lanes);
                                f.sub(h).intoArray(out, dst + 4 * stride, lanes);
                                g2.intoArray(out, dst + 5 * stride, lanes);
                            }
                        }
                    }
                    int at = u[0].index(sliver * mr, s0);
                    for (int xi = 0; xi < Winograd.POSITIONS; xi++) System.arraycopy(t, xi * mr * L, u[xi].data(), at, n * mr);
                }
            }
        });
        return u;
    }

    /**
     * The packed transformed weights, kept per calling thread and only ever grown (36 arrays
     * as large as the weight matrix each): allocated afresh, a 512-channel layer's 38 MB cost
     * more than its transform.
     */
    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> {
        float[][] a = new float[Winograd.POSITIONS][];
        java.util.Arrays.fill(a, new float[0]);
        return a;
    });

    /**
     * {@code V = Bᵀ d B} for L tiles: lane ℓ's window starts at {@code x[base + idx[t0 + ℓ]]},
     * rows {@code stride} apart; position ξ goes to {@code v[vOff + ξ·vStride]}, one vector.
     * {@code tmp} holds 36 vectors. The gathers fill tmp first and the arithmetic works from
     * there: with the gathers inside its expression C2 took five times as long.
     */
    static void input(float[] x, int base, int stride, int[] idx, int t0, float[] v, int vOff, int vStride, float[] tmp) {
        if (VectorHardware.NATIVE_MASKS) {
            for (int a = 0; a < A; a++) { // the window's 36 values, lane by lane: tmp[(6a + b)·L]
                for (int b = 0; b < A; b++) FloatVector.fromArray(S, x, base + a * stride + b, idx, t0).intoArray(tmp, (a * A + b) * L);
            }
        } else { // the same values copied one by one: without AVX-512 a gather is emulated (see VectorHardware)
            for (int l = 0; l < L; l++) {
                for (int a = 0, w = base + idx[t0 + l]; a < A; a++, w += stride) {
                    for (int b = 0; b < A; b++) tmp[(a * A + b) * L + l] = x[w + b];
                }
            }
        }
        // Bᵀ·(d0..d5) twelve times: Bᵀ d column by column, in place (tmp[(6i + b)·L]), then
        // (Bᵀ d) B row by row into v; one loop, for the reason given in output()
        FloatVector four = FloatVector.broadcast(S, 4f), five = FloatVector.broadcast(S, -5f), minusFour = FloatVector.broadcast(S, -4f);
        for (int it = 0; it < 2 * A; it++) {
            boolean columns = it < A;
            int b = it, i = it - A;
            int from = columns ? b * L : i * A * L, step = columns ? A * L : L;
            float[] out = columns ? tmp : v;
            int off = columns ? b * L : vOff + i * A * vStride, os = columns ? A * L : vStride;
            FloatVector d0 = FloatVector.fromArray(S, tmp, from), d1 = FloatVector.fromArray(S, tmp, from + step), d2 = FloatVector.fromArray(S, tmp, from + 2 * step);
            FloatVector d3 = FloatVector.fromArray(S, tmp, from + 3 * step), d4 = FloatVector.fromArray(S, tmp, from + 4 * step), d5 = FloatVector.fromArray(S, tmp, from + 5 * step);
            FloatVector p = d2.fma(minusFour, d4), q = d1.fma(minusFour, d3); // d4 − 4d2, d3 − 4d1
            FloatVector s = d4.sub(d2), t = d3.sub(d1).mul(2f);                // d4 − d2, 2(d3 − d1)
            d2.fma(five, d0.fma(four, d4)).intoArray(out, off);               // 4d0 − 5d2 + d4
            p.add(q).intoArray(out, off + os);
            p.sub(q).intoArray(out, off + 2 * os);
            s.add(t).intoArray(out, off + 3 * os);
            s.sub(t).intoArray(out, off + 4 * os);
            d3.fma(five, d1.fma(four, d5)).intoArray(out, off + 5 * os);  // 4d1 − 5d3 + d5
        }
    }

    /**
     * {@code Aᵀ m A + bias} for L tiles (then max(·, 0) when {@code relu}): position ξ read
     * from {@code m[mOff + ξ·mStride]}; output pixel (i, j) of the tile to
     * {@code out[(4i + j)·L]}. {@code tmp} holds 24 vectors.
     */
    static void output(float[] m, int mOff, int mStride, float bias, boolean relu, float[] tmp, float[] out) {
        // A·(m0..m5) ten times: Aᵀ m column by column into tmp[(6i + j)·L], then (Aᵀ m) A row by
        // row into out. One loop, not a helper called from two: compiled on its own, such a
        // helper ran the Vector API's Java fallback in some JVMs with 256-bit vectors (vgg16
        // training step: +500 MB allocated), and never when forced inline.
        for (int it = 0; it < A + M; it++) {
            boolean columns = it < A;
            int i = it - A, j = it;
            float[] in = columns ? m : tmp, dst = columns ? tmp : out;
            int from = columns ? mOff + j * mStride : i * A * L, step = columns ? A * mStride : L;
            int off = columns ? j * L : i * M * L, stride = columns ? A * L : L;
            FloatVector m0 = FloatVector.fromArray(S, in, from), m1 = FloatVector.fromArray(S, in, from + step), m2 = FloatVector.fromArray(S, in, from + 2 * step);
            FloatVector m3 = FloatVector.fromArray(S, in, from + 3 * step), m4 = FloatVector.fromArray(S, in, from + 4 * step), m5 = FloatVector.fromArray(S, in, from + 5 * step);
            FloatVector a = m1.add(m2), b = m1.sub(m2), c = m3.add(m4), d = m3.sub(m4);
            m0.add(a).add(c).intoArray(dst, off);                                  // m0 + m1 + m2 + m3 + m4
            d.fma(FloatVector.broadcast(S, 2f), b).intoArray(dst, off + stride);   // (m1 − m2) + 2(m3 − m4)
            c.fma(FloatVector.broadcast(S, 4f), a).intoArray(dst, off + 2 * stride); // (m1 + m2) + 4(m3 + m4)
            d.fma(FloatVector.broadcast(S, 8f), b).add(m5).intoArray(dst, off + 3 * stride); // (m1 − m2) + 8(m3 − m4) + m5
        }
        if (bias == 0f && !relu) return;
        for (int q = 0; q < M * M * L; q += L) {
            FloatVector y = FloatVector.fromArray(S, out, q).add(bias);
            if (relu) y.lanewise(VectorOperators.MAX, 0f).intoArray(out, q); // one store per branch: no merged vector to box
            else y.intoArray(out, q);
        }
    }

    /**
     * Writes the 4×4 tiles of {@code out} ({@link #output}'s layout) to
     * {@code y[off + idx[t0 + ℓ] + i·rowStride + j]}; with {@code masks} (one per pixel 4i + j)
     * only the lanes they set, for tiles cut by the output's edge.
     */
    static void scatter(float[] out, float[] y, int off, int rowStride, int[] idx, int t0, VectorMask<Float>[] masks) {
        if (!VectorHardware.NATIVE_MASKS) { // no scatter instruction: store lane by lane
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < M; j++) {
                    VectorMask<Float> m = masks == null ? null : masks[i * M + j];
                    for (int l = 0, at = off + i * rowStride + j; l < L; l++) {
                        if (m == null || m.laneIsSet(l)) y[at + idx[t0 + l]] = out[(i * M + j) * L + l];
                    }
                }
            }
            return;
        }
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                FloatVector v = FloatVector.fromArray(S, out, (i * M + j) * L);
                if (masks == null) v.intoArray(y, off + i * rowStride + j, idx, t0);
                else v.intoArray(y, off + i * rowStride + j, idx, t0, masks[i * M + j]);
            }
        }
    }

    /**
     * {@link #scatter} where {@link #BY_TRANSPOSES} (16-lane layout of {@code out}): one 16×16
     * transpose puts each tile's pixels together in {@code tiles} (256 floats, tile ℓ at 16ℓ,
     * row-major), then each tile row is one 4-float store. {@code rows} null: 16 whole tiles;
     * else lane ℓ's tile has {@code rows[ℓ]} × {@code cols[ℓ]} pixels inside the output (0 × 0:
     * no tile), and only those are written. On a Zen 4 the 16 scatters took a fifth of a
     * 64-channel 32×32 layer's forward pass (a scatter stores lane by lane and range-checks
     * every index).
     */
    static void scatterByTranspose(float[] out, float[] tiles, float[] y, int off, int rowStride, int[] idx, int t0, int[] rows, int[] cols) {
        Transpose16.block(out, 0, 16, 16, tiles, 0, 16);
        for (int l = 0; l < 16; l++) {
            int at = off + idx[t0 + l], t = 16 * l;
            if (rows == null) {
                FloatVector.fromArray(ROW, tiles, t).intoArray(y, at);
                FloatVector.fromArray(ROW, tiles, t + 4).intoArray(y, at + rowStride);
                FloatVector.fromArray(ROW, tiles, t + 8).intoArray(y, at + 2 * rowStride);
                FloatVector.fromArray(ROW, tiles, t + 12).intoArray(y, at + 3 * rowStride);
                continue;
            }
            VectorMask<Float> inside = ROW.indexInRange(0, cols[l]);
            for (int i = 0; i < rows[l]; i++) FloatVector.fromArray(ROW, tiles, t + 4 * i).intoArray(y, at + i * rowStride, inside);
        }
    }

    /**
     * {@link #gather} where {@link #BY_TRANSPOSES}, the inverse of {@link #scatterByTranspose}:
     * pixels outside the output (by {@code rows} and {@code cols}; null: none) read 0. Whole and
     * clipped tiles take separate loops (methods), each with one stable branch profile: when one
     * loop served both, C2 in some JVMs left the 128-bit loads on the Vector API's Java fallback
     * (vgg16's training step then allocated ~300 MB more on the calling thread).
     */
    static void gatherByTranspose(float[] y, int off, int rowStride, int[] idx, int t0, int[] rows, int[] cols, float[] tiles, float[] out) {
        if (rows == null) gatherWholeTiles(y, off, rowStride, idx, t0, tiles);
        else gatherClippedTiles(y, off, rowStride, idx, t0, rows, cols, tiles);
        Transpose16.block(tiles, 0, 16, 16, out, 0, 16);
    }

    private static void gatherWholeTiles(float[] y, int off, int rowStride, int[] idx, int t0, float[] tiles) {
        for (int l = 0; l < 16; l++) {
            int at = off + idx[t0 + l], t = 16 * l;
            FloatVector.fromArray(ROW, y, at).intoArray(tiles, t);
            FloatVector.fromArray(ROW, y, at + rowStride).intoArray(tiles, t + 4);
            FloatVector.fromArray(ROW, y, at + 2 * rowStride).intoArray(tiles, t + 8);
            FloatVector.fromArray(ROW, y, at + 3 * rowStride).intoArray(tiles, t + 12);
        }
    }

    private static void gatherClippedTiles(float[] y, int off, int rowStride, int[] idx, int t0, int[] rows, int[] cols, float[] tiles) {
        for (int l = 0; l < 16; l++) {
            int at = off + idx[t0 + l], t = 16 * l;
            VectorMask<Float> inside = ROW.indexInRange(0, cols[l]);
            for (int i = 0; i < M; i++) { // one store per branch: a vector merged from two is boxed whenever C2 fails to scalarize the merge
                if (i < rows[l]) FloatVector.fromArray(ROW, y, at + i * rowStride, inside).intoArray(tiles, t + 4 * i);
                else FloatVector.zero(ROW).intoArray(tiles, t + 4 * i);
            }
        }
    }

    /** Reads 4×4 tiles of {@code y} into {@code out}, {@link #scatter}'s inverse (lanes that masks leave unset read 0). */
    static void gather(float[] y, int off, int rowStride, int[] idx, int t0, VectorMask<Float>[] masks, float[] out) {
        if (!VectorHardware.NATIVE_MASKS) { // lane by lane, as scatter
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < M; j++) {
                    VectorMask<Float> m = masks == null ? null : masks[i * M + j];
                    for (int l = 0, at = off + i * rowStride + j; l < L; l++) {
                        out[(i * M + j) * L + l] = m == null || m.laneIsSet(l) ? y[at + idx[t0 + l]] : 0f;
                    }
                }
            }
            return;
        }
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                int at = off + i * rowStride + j;
                if (masks == null) FloatVector.fromArray(S, y, at, idx, t0).intoArray(out, (i * M + j) * L);
                else FloatVector.fromArray(S, y, at, idx, t0, masks[i * M + j]).intoArray(out, (i * M + j) * L);
            }
        }
    }

    /**
     * {@code A·dY·Aᵀ} (6×6) for L tiles, the adjoint of {@link #output}: dY's pixel (i, j) read
     * from {@code dyTiles[(4i + j)·L]}, position ξ written to {@code m[mOff + ξ·mStride]}.
     * {@code tmp} holds 24 vectors.
     */
    static void outputAdjoint(float[] dyTiles, float[] tmp, float[] m, int mOff, int mStride) {
        for (int j = 0; j < M; j++) a(dyTiles, j * L, M * L, tmp, j * L, M * L); // A dY, column by column: tmp[(4ξ + j)·L]
        for (int i = 0; i < A; i++) a(tmp, i * M * L, L, m, mOff + i * A * mStride, mStride); // (A dY) Aᵀ, row by row
    }

    /**
     * The six rows of A·(y0..y3) (A = (Aᵀ)ᵀ) for {@code y_t = in[from + t·step ..]}, stored
     * {@code stride} apart from {@code off}. It loads its own vectors: handed in as arguments,
     * they were boxed wherever C2 did not inline the call (JFR: 140 MB of vector payloads a
     * resnet50 training step, from the second loop above).
     */
    private static void a(float[] in, int from, int step, float[] out, int off, int stride) {
        FloatVector y0 = FloatVector.fromArray(S, in, from), y1 = FloatVector.fromArray(S, in, from + step);
        FloatVector y2 = FloatVector.fromArray(S, in, from + 2 * step), y3 = FloatVector.fromArray(S, in, from + 3 * step);
        FloatVector e = y0.add(y2), f = y1.add(y3);                                            // y0 + y2, y1 + y3
        FloatVector p = y2.fma(FloatVector.broadcast(S, 4f), y0), q = y3.mul(8f).add(y1.mul(2f)); // y0 + 4y2, 2y1 + 8y3
        y0.intoArray(out, off);
        e.add(f).intoArray(out, off + stride);
        e.sub(f).intoArray(out, off + 2 * stride);
        p.add(q).intoArray(out, off + 3 * stride);
        p.sub(q).intoArray(out, off + 4 * stride);
        y3.intoArray(out, off + 5 * stride);
    }

    /**
     * {@code dw[dwOff + 3a + b] = (Gᵀ dU G)[a][b]} from the 6×6 {@code du[duOff + ξ·duStride]}:
     * the kernel transform's adjoint, which turns the gradient with respect to U into the one with
     * respect to the 3×3 kernel. {@code t} is scratch of 18 floats.
     */
    static void filterGradient(float[] du, int duOff, int duStride, float[] dw, int dwOff, float[] t) {
        // t (18 floats) = Gᵀ dU: row a, column ζ at t[6a + ζ]
        for (int z = 0; z < A; z++) {
            gtt(du[duOff + z * duStride], du[duOff + (A + z) * duStride], du[duOff + (2 * A + z) * duStride],
                    du[duOff + (3 * A + z) * duStride], du[duOff + (4 * A + z) * duStride], du[duOff + (5 * A + z) * duStride], t, z, A);
        }
        for (int a = 0; a < 3; a++) gtt(t[A * a], t[A * a + 1], t[A * a + 2], t[A * a + 3], t[A * a + 4], t[A * a + 5], dw, dwOff + 3 * a, 1);
    }

    /** The three rows of Gᵀ·(u0..u5), stored {@code stride} apart from {@code off}. */
    private static void gtt(float u0, float u1, float u2, float u3, float u4, float u5, float[] out, int off, int stride) {
        float s12 = u1 + u2, s34 = u3 + u4;
        out[off] = u0 * 0.25f - s12 * (1f / 6) + s34 * (1f / 24);
        out[off + stride] = (u2 - u1) * (1f / 6) + (u3 - u4) * (1f / 12);
        out[off + 2 * stride] = (s34 - s12) * (1f / 6) + u5;
    }
}
