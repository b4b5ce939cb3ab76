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
 * <p>Pure data movement: the same entries as {@link Im2col}'s direct gather (tests compare the
 * two on odd sizes, padding, dilation and strides 2 and 3).
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
     * Whether {@link #im2colRows} handles this geometry: equal strides of at least 2 and a kernel
     * larger than 1×1. A strided 1×1 kernel reads each input value at most once, so splitting
     * first only adds a pass (ResNet's 1×1 stride-2 downsample: 7–10 % slower that way).
     */
    static boolean suits(ConvGeometry g) {
        return g.sh() == g.sw() && g.sh() >= 2 && g.kh() * g.kw() > 1;
    }

    /**
     * The band {@code [oy0, oy1)} of the column matrix of the {@code c/groups} planes at
     * {@code x[xOff]}, laid out as {@link Im2col#im2colRows} lays it out (every entry written).
     */
    static void im2colRows(ConvGeometry g, float[] x, int xOff, int oy0, int oy1, float[] cols, int cOff, int ld) {
        int s = g.sh(), hp = ceilDiv(g.h(), s), wp = ceilDiv(g.w(), s), phase = hp * wp;
        float[][] holder = SCRATCH.get();
        if (holder[0].length < g.cg() * s * s * phase) holder[0] = new float[g.cg() * s * s * phase];
        float[] phases = holder[0];
        // Phase rows the band reads: oy + dy for dy from the first kernel row's to the last's.
        int firstRow = Math.max(0, oy0 + Math.floorDiv(-g.ph(), s));
        int endRow = Math.min(hp, oy1 - 1 + Math.floorDiv((g.kh() - 1) * g.dh() - g.ph(), s) + 1);
        split(g, x, xOff, firstRow, endRow, phases);
        int ow = g.ow(), row = 0;
        for (int ch = 0; ch < g.cg(); ch++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                int ty = ki * g.dh() - g.ph(), a = Math.floorMod(ty, s), dy = Math.floorDiv(ty, s);
                int rowsOfPhase = ceilDiv(g.h() - a, s); // rows s·i + a inside the image
                int oyLo = Math.min(oy1, Math.max(oy0, -dy)), oyHi = Math.max(oyLo, Math.min(oy1, rowsOfPhase - dy));
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int tx = kj * g.dw() - g.pw(), b = Math.floorMod(tx, s), dx = Math.floorDiv(tx, s);
                    int colsOfPhase = ceilDiv(g.w() - b, s);
                    int oxLo = Math.min(ow, Math.max(0, -dx)), oxHi = Math.max(oxLo, Math.min(ow, colsOfPhase - dx));
                    int plane = ((ch * s + a) * s + b) * phase;
                    window(phases, plane, wp, dy, dx, cols, cOff + row * ld - oy0 * ow, ow, oy0, oy1, oyLo, oyHi, oxLo, oxHi);
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
            int gap = ow - oxHi + oxLo;
            if (gap > 0) {
                for (int q = base + oyLo * ow + oxHi, last = base + (oyHi - 1) * ow + oxHi; q < last; q += ow) {
                    Arrays.fill(cols, q, q + gap, 0f);
                }
            }
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
        boolean[] rowPhaseRead = new boolean[s]; // a 1×1 kernel reads only phase 0: half the rows at stride 2
        for (int ki = 0; ki < g.kh(); ki++) rowPhaseRead[Math.floorMod(ki * g.dh() - g.ph(), s)] = true;
        for (int ch = 0; ch < g.cg(); ch++) {
            for (int y = s * i0, yEnd = Math.min(h, s * i1); y < yEnd; y++) {
                if (!rowPhaseRead[y % s]) continue;
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

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
