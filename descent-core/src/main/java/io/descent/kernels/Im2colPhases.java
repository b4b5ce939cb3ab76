package io.descent.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Im2col#im2colRows} for strided convolutions (sh = sw = s ≥ 2), through phase planes.
 * With stride s, output pixel (oy, ox) at kernel offset (ki, kj) reads input row
 * {@code s·oy + ki·dh − ph}; writing {@code ki·dh − ph = s·dy + a} (0 ≤ a < s) that is row
 * {@code oy + dy} of phase a, the input rows {@code s·i + a}. So once the planes are split into
 * their s² phases ({@code P_ab[i][j] = x[s·i + a][s·j + b]}), each row of the column matrix is
 * a shifted window of one phase plane read at stride 1: when the output is as wide as the phase
 * (every stride-2 layer of a ResNet or VGG), one contiguous copy per kernel offset, as for a
 * stride-1 "same" convolution. Element by element the strided gather cost ~1.3 ns per entry of
 * the column matrix (a fifth of a 3×3 stride-2 ResNet layer's time); the split reads each input
 * value once, with two-vector permutes for s = 2 where they are single instructions
 * ({@link VectorHardware#TWO_VECTOR_PERMUTES}).
 *
 * <p>{@link #col2imRows}, the adjoint, runs the other way: each row of the column matrix is
 * added onto its window of a zeroed phase plane (contiguous spans, vectorized), and the phases
 * are then interleaved back onto the planes.
 *
 * <p>Tests compare both directions with {@link Im2col}'s direct gather and scatter on odd sizes,
 * padding, dilation and strides 2 and 3: the column matrix is the same bits; the adjoint sums
 * each pixel's contributions in the same order but on zero, then adds them to the plane (the
 * same bits when the plane starts at zero, as an input gradient does).
 */
final class Im2colPhases {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final boolean VECTOR_SPLIT = VectorHardware.TWO_VECTOR_PERMUTES && VectorHardware.S.length() == 16;
    /** Lane indexes that pick the even (odd) floats of 32 consecutive ones held in two vectors. */
    private static final FloatVector EVEN = pickEvery2(0), ODD = pickEvery2(1);

    /** Per-thread phase planes, only ever grown; every entry read is written first. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private Im2colPhases() {}

    private static FloatVector pickEvery2(int first) {
        float[] idx = new float[16];
        for (int i = 0; i < 16; i++) idx[i] = first + 2 * i;
        return FloatVector.fromArray(S, idx, 0);
    }

    /**
     * Whether {@link #im2colRows} and {@link #col2imRows} handle this geometry: equal strides of
     * at least 2 and a kernel larger than 1×1. A strided 1×1 kernel reads each input value at
     * most once, so splitting first only adds a pass (ResNet's 1×1 stride-2 downsample: 7–10 %
     * slower that way).
     */
    static boolean suits(ConvGeometry g) {
        return g.sh() == g.sw() && g.sh() >= 2 && g.kh() * g.kw() > 1;
    }

    /**
     * The band {@code [oy0, oy1)} of the column matrix of the {@code c/groups} planes at
     * {@code x[xOff]}, laid out as {@link Im2col#im2colRows} lays it out (every entry written).
     */
    static void im2colRows(ConvGeometry g, float[] x, int xOff, int oy0, int oy1, float[] cols, int cOff, int ld) {
        float[] phases = phases(g);
        split(g, x, xOff, firstRow(g, oy0), endRow(g, oy1), phases);
        forEachWindow(g, oy0, oy1, cOff, ld, (plane, wp, dy, dx, base, oyLo, oyHi, oxLo, oxHi) ->
                window(phases, plane, wp, dy, dx, cols, base, g.ow(), oy0, oy1, oyLo, oyHi, oxLo, oxHi));
    }

    /**
     * The adjoint of {@link #im2colRows}: adds the band {@code [oy0, oy1)} of the column matrix
     * at {@code cols[cOff]} (row stride ld) onto the planes at {@code x[xOff]}, which the caller
     * initialised. {@code cols} is scratch: its entries that fall in the padding may be zeroed.
     */
    static void col2imRows(ConvGeometry g, float[] cols, int cOff, int ld, int oy0, int oy1, float[] x, int xOff) {
        float[] phases = phases(g);
        int s = g.sh(), wp = ceilDiv(g.w(), s), phase = ceilDiv(g.h(), s) * wp, i0 = firstRow(g, oy0), i1 = endRow(g, oy1);
        for (int plane = 0; plane < g.cg() * s * s; plane++) Arrays.fill(phases, plane * phase + i0 * wp, plane * phase + i1 * wp, 0f);
        int ow = g.ow();
        forEachWindow(g, oy0, oy1, cOff, ld, (plane, pw, dy, dx, base, oyLo, oyHi, oxLo, oxHi) -> {
            if (oyLo >= oyHi || oxLo >= oxHi) return;
            int src = base + oyLo * ow + oxLo, dst = plane + (oyLo + dy) * pw + oxLo + dx;
            if (pw == ow) { // one span, its entries between the rows' windows zeroed first (they add nothing)
                Im2col.zeroGaps(cols, base, ow, oyLo, oyHi, oxLo, oxHi);
                VectorOps.axpy((oyHi - oyLo - 1) * ow + oxHi - oxLo, 1f, cols, src, phases, dst); // fma with 1 is an exact add
            } else {
                for (int oy = oyLo; oy < oyHi; oy++, src += ow, dst += pw) VectorOps.axpy(oxHi - oxLo, 1f, cols, src, phases, dst);
            }
        });
        merge(g, phases, i0, i1, x, xOff);
    }

    /** This thread's phase planes, large enough for {@code g}. */
    private static float[] phases(ConvGeometry g) {
        int s = g.sh(), size = g.cg() * s * s * ceilDiv(g.h(), s) * ceilDiv(g.w(), s);
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }

    /** The first phase row that output row {@code oy0} reads: {@code oy0 + dy} for the first kernel row's dy. */
    private static int firstRow(ConvGeometry g, int oy0) {
        return Math.max(0, oy0 + Math.floorDiv(-g.ph(), g.sh()));
    }

    /** One past the last phase row that output rows before {@code oy1} read (the last kernel row's dy). */
    private static int endRow(ConvGeometry g, int oy1) {
        return Math.min(ceilDiv(g.h(), g.sh()), oy1 - 1 + Math.floorDiv((g.kh() - 1) * g.dh() - g.ph(), g.sh()) + 1);
    }

    /** One kernel offset's row of the column matrix and its window of a phase plane. */
    @FunctionalInterface
    private interface WindowBody {
        /**
         * {@code plane}: the phase plane's start (rows {@code wp} apart); output pixel (oy, ox)
         * is phase pixel {@code (oy + dy, ox + dx)}, at {@code base + oy·ow + ox} in the column
         * matrix; outputs {@code [oyLo, oyHi) × [oxLo, oxHi)} of the band fall inside the image.
         */
        void run(int plane, int wp, int dy, int dx, int base, int oyLo, int oyHi, int oxLo, int oxHi);
    }

    /** Walks the rows of the column matrix, (channel, ki, kj) in order: the iteration both directions share. */
    private static void forEachWindow(ConvGeometry g, int oy0, int oy1, int cOff, int ld, WindowBody body) {
        int s = g.sh(), wp = ceilDiv(g.w(), s), phase = ceilDiv(g.h(), s) * wp, ow = g.ow(), row = 0;
        for (int ch = 0; ch < g.cg(); ch++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                int ty = ki * g.dh() - g.ph(), a = Math.floorMod(ty, s), dy = Math.floorDiv(ty, s);
                int rowsOfPhase = ceilDiv(g.h() - a, s); // rows s·i + a inside the image
                int oyLo = Math.min(oy1, Math.max(oy0, -dy)), oyHi = Math.max(oyLo, Math.min(oy1, rowsOfPhase - dy));
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int tx = kj * g.dw() - g.pw(), b = Math.floorMod(tx, s), dx = Math.floorDiv(tx, s);
                    int colsOfPhase = ceilDiv(g.w() - b, s);
                    int oxLo = Math.min(ow, Math.max(0, -dx)), oxHi = Math.max(oxLo, Math.min(ow, colsOfPhase - dx));
                    body.run(((ch * s + a) * s + b) * phase, wp, dy, dx, cOff + row * ld - oy0 * ow, oyLo, oyHi, oxLo, oxHi);
                }
            }
        }
    }

    /**
     * Entries {@code base + oy·ow + ox} for oy in [oy0, oy1), ox in [0, ow): phase pixel
     * {@code (oy + dy, ox + dx)} inside [oyLo, oyHi) × [oxLo, oxHi), 0 elsewhere.
     */
    private static void window(float[] phases, int plane, int wp, int dy, int dx, float[] cols, int base, int ow,
                               int oy0, int oy1, int oyLo, int oyHi, int oxLo, int oxHi) {
        if (oyLo >= oyHi || oxLo >= oxHi) {
            Arrays.fill(cols, base + oy0 * ow, base + oy1 * ow, 0f);
            return;
        }
        Arrays.fill(cols, base + oy0 * ow, base + oyLo * ow + oxLo, 0f);
        int src = plane + (oyLo + dy) * wp + oxLo + dx;
        if (wp == ow) { // consecutive output rows read consecutive phase rows: one span, then clear the gaps
            int dst = base + oyLo * ow + oxLo, len = (oyHi - oyLo - 1) * ow + (oxHi - oxLo);
            System.arraycopy(phases, src, cols, dst, len);
            Im2col.zeroGaps(cols, base, ow, oyLo, oyHi, oxLo, oxHi);
        } else {
            for (int oy = oyLo; oy < oyHi; oy++, src += wp) {
                int dst = base + oy * ow;
                if (oy > oyLo) Arrays.fill(cols, dst, dst + oxLo, 0f);
                System.arraycopy(phases, src, cols, dst + oxLo, oxHi - oxLo);
                if (oy < oyHi - 1) Arrays.fill(cols, dst + oxHi, dst + ow, 0f);
            }
        }
        Arrays.fill(cols, base + (oyHi - 1) * ow + oxHi, base + oy1 * ow, 0f);
    }

    /**
     * Phase rows {@code [i0, i1)} of every phase plane of every channel: plane (ch, a, b) at
     * {@code ((ch·s + a)·s + b)·hp·wp}, row i from input row {@code s·i + a} (where inside the
     * image), its columns j from input columns {@code s·j + b}.
     */
    private static void split(ConvGeometry g, float[] x, int xOff, int i0, int i1, float[] phases) {
        int s = g.sh(), h = g.h(), w = g.w(), hp = ceilDiv(h, s), wp = ceilDiv(w, s), phase = hp * wp;
        for (int ch = 0; ch < g.cg(); ch++) {
            for (int y = s * i0, yEnd = Math.min(h, s * i1); y < yEnd; y++) {
                int src = xOff + (ch * h + y) * w, dst = ((ch * s + y % s) * s) * phase + (y / s) * wp;
                if (s == 2) splitPair(x, src, w, phases, dst, dst + phase);
                else for (int b = 0; b < s; b++) for (int j = 0, q = src + b; q < src + w; j++, q += s) phases[dst + b * phase + j] = x[q];
            }
        }
    }

    /** {@code even[e + j] = x[src + 2j]}, {@code odd[o + j] = x[src + 2j + 1]} over the {@code w} floats at src. */
    static void splitPair(float[] x, int src, int w, float[] out, int e, int o) {
        int j = 0;
        if (VECTOR_SPLIT) {
            for (; 2 * j + 32 <= w; j += 16) {
                FloatVector v1 = FloatVector.fromArray(S, x, src + 2 * j), v2 = FloatVector.fromArray(S, x, src + 2 * j + 16);
                EVEN.selectFrom(v1, v2).intoArray(out, e + j);
                ODD.selectFrom(v1, v2).intoArray(out, o + j);
            }
        }
        for (int q = src + 2 * j; q + 1 < src + w; q += 2, j++) {
            out[e + j] = x[q];
            out[o + j] = x[q + 1];
        }
        if ((w & 1) != 0) out[e + j] = x[src + w - 1];
    }

    /** The inverse of {@link #split}, adding: phase rows {@code [i0, i1)} of every plane onto the input rows they came from. */
    private static void merge(ConvGeometry g, float[] phases, int i0, int i1, float[] x, int xOff) {
        int s = g.sh(), h = g.h(), w = g.w(), hp = ceilDiv(h, s), wp = ceilDiv(w, s), phase = hp * wp;
        for (int ch = 0; ch < g.cg(); ch++) {
            for (int y = s * i0, yEnd = Math.min(h, s * i1); y < yEnd; y++) {
                int dst = xOff + (ch * h + y) * w, src = ((ch * s + y % s) * s) * phase + (y / s) * wp;
                if (s == 2) mergePair(phases, src, src + phase, x, dst, w);
                else for (int b = 0; b < s; b++) for (int j = 0, q = dst + b; q < dst + w; j++, q += s) x[q] += phases[src + b * phase + j];
            }
        }
    }

    /** {@code x[dst + 2j] += in[e + j]}, {@code x[dst + 2j + 1] += in[o + j]} over the {@code w} floats at dst. */
    static void mergePair(float[] in, int e, int o, float[] x, int dst, int w) {
        int j = 0;
        if (VECTOR_SPLIT) {
            for (; 2 * j + 32 <= w; j += 16) {
                // Transpose16's zips interleave lanes 0-7, then 8-15, of the even and odd vectors
                FloatVector ev = FloatVector.fromArray(S, in, e + j), od = FloatVector.fromArray(S, in, o + j);
                int q = dst + 2 * j;
                FloatVector.fromArray(S, x, q).add(Transpose16.ZIP_LO.selectFrom(ev, od)).intoArray(x, q);
                FloatVector.fromArray(S, x, q + 16).add(Transpose16.ZIP_HI.selectFrom(ev, od)).intoArray(x, q + 16);
            }
        }
        for (int q = dst + 2 * j; q + 1 < dst + w; q += 2, j++) {
            x[q] += in[e + j];
            x[q + 1] += in[o + j];
        }
        if ((w & 1) != 0) x[dst + w - 1] += in[e + j];
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
