package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector step of the 2×2 stride-2 max-pool ({@link PoolKernels}): up to one vector of
 * outputs of one output row. Float and int vectors have the same lane count, so a float mask
 * converts to an int mask for the argmax positions.
 */
final class PoolVectors {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();
    /** Lane indexes into the pair (lo, hi) of vectors: 0, 2, 4, ... and 1, 3, 5, ... */
    private static final FloatVector EVEN = FloatVector.fromArray(F, lanes(0), 0), ODD = FloatVector.fromArray(F, lanes(1), 0);
    private static final IntVector TWICE_LANE = IntVector.fromArray(I, twice(), 0);

    private PoolVectors() {}

    /** A caller's scratch for {@link #max2x2}'s partial vectors where masks are not native. */
    static final class Spare {
        final float[] rows = new float[4 * L];
        final int[] positions = new int[L];
    }

    private static float[] lanes(int first) {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) v[i] = 2 * i + first;
        return v;
    }

    private static int[] twice() {
        int[] v = new int[L];
        for (int i = 0; i < L; i++) v[i] = 2 * i;
        return v;
    }

    /**
     * L outputs of one row of a stride-2 max-pool (any window height, dilation 1): output t's
     * window covers input rows {@code ys, ys+dy, .. < ye} and columns {@code c0 + 2t .. + kw − 1}
     * of the plane at {@code x[xo]} (row length w). For each tap, in row-major window order,
     * the even lanes of two consecutive vectors are the tap's value for the L outputs; compare
     * and blend keep the maximum and its plane-relative position with the scalar rule (first
     * maximum wins, a NaN wins and stays). The caller keeps the last load inside x.
     */
    static void maxStride2(float[] x, int xo, int w, int ys, int ye, int dy, int c0, int kw, float[] y, int[] idx, int o) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        IntVector best = TWICE_LANE.add(ys * w + c0);
        for (int iy = ys; iy < ye; iy += dy) {
            for (int kx = 0; kx < kw; kx++) {
                int pos = iy * w + c0 + kx;
                FloatVector v = EVEN.selectFrom(FloatVector.fromArray(F, x, xo + pos), FloatVector.fromArray(F, x, xo + pos + L));
                VectorMask<Float> take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
                m = m.blend(v, take);
                best = best.blend(TWICE_LANE.add(pos), take.cast(I));
            }
        }
        m.intoArray(y, o);
        if (idx != null) best.intoArray(idx, o);
    }

    /**
     * Outputs {@code [o, o+n)} ({@code n ≤ L}) from the windows starting at input column
     * {@code 2j} of row {@code r0} (plane-relative flat offset) and the row below it, {@code w}
     * floats further; the plane starts at {@code x[xo]}. Positions are plane-relative.
     *
     * <p>The vector work is one method with plain loads ({@link #max2x2Whole}); a row's last
     * few outputs choose where its loads come from and its stores go ({@link #max2x2Part}).
     * As one method with masked loads, C1 inlined the Vector API's Java fallbacks of three
     * load and store variants into code so large that its profiled compile sometimes failed
     * ("out of virtual registers in linear scan"), and in some JVMs C2 then never compiled the
     * method: the pool ran on the fallbacks for the whole run (44 % of the samples of a VGG-11
     * evaluation at 32 px). The loads are not a separate method handing the vectors on: C2
     * compiled such a method on its own and passed the vectors boxed (W2's first pool 1.08 →
     * 2.06 ms).
     */
    static void max2x2(float[] x, int xo, int r0, int w, int j, int n, float[] y, int[] idx, int o, Spare spare) {
        int c = xo + r0 + 2 * j;
        if (n < L) max2x2Part(x, c, r0 + 2 * j, w, n, y, idx, o, spare);
        else max2x2Whole(x, c, w, r0 + 2 * j, w, L, y, idx, o);
    }

    /**
     * The first {@code n} of L outputs from the windows whose top rows start at {@code x[c]}
     * and bottom rows {@code stride} floats further (plane-relative position of the first:
     * {@code at}; rows {@code w} apart in the plane), loading whole vectors; with n < L the
     * stores are masked (native masks only).
     */
    private static void max2x2Whole(float[] x, int c, int stride, int at, int w, int n, float[] y, int[] idx, int o) {
        FloatVector a0 = FloatVector.fromArray(F, x, c), a1 = FloatVector.fromArray(F, x, c + L);
        FloatVector b0 = FloatVector.fromArray(F, x, c + stride), b1 = FloatVector.fromArray(F, x, c + stride + L);
        FloatVector m = EVEN.selectFrom(a0, a1);
        IntVector off = IntVector.zero(I);
        FloatVector v = ODD.selectFrom(a0, a1);
        VectorMask<Float> take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
        m = m.blend(v, take);
        off = off.blend(1, take.cast(I));
        v = EVEN.selectFrom(b0, b1);
        take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
        m = m.blend(v, take);
        off = off.blend(w, take.cast(I));
        v = ODD.selectFrom(b0, b1);
        take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
        m = m.blend(v, take);
        IntVector pos = TWICE_LANE.add(at).add(off.blend(w + 1, take.cast(I)));
        if (n == L || !VectorHardware.NATIVE_MASKS) { // without native masks n is always L (max2x2Part)
            m.intoArray(y, o);
            if (idx != null) pos.intoArray(idx, o);
        } else {
            VectorMask<Float> out = F.indexInRange(0, n);
            m.intoArray(y, o, out);
            if (idx != null) pos.intoArray(idx, o, out.cast(I));
        }
    }

    /**
     * {@link #max2x2} for a row's last {@code n < L} outputs, the windows starting at
     * {@code x[c]} (plane-relative position {@code at}). Whole vectors are loaded where they
     * stay inside x (the lanes past the row's 2n inputs read what follows and are never
     * stored), else the 2n inputs of both rows are first copied into the caller's spare. Where
     * masks are native the n outputs are stored under one; else all L go to the spare and n
     * are copied out.
     */
    private static void max2x2Part(float[] x, int c, int at, int w, int n, float[] y, int[] idx, int o, Spare spare) {
        boolean inside = c + w + 2 * L <= x.length;
        if (VectorHardware.NATIVE_MASKS && inside) {
            max2x2Whole(x, c, w, at, w, n, y, idx, o);
            return;
        }
        float[] rows = spare.rows;
        if (inside) {
            max2x2Whole(x, c, w, at, w, L, rows, spare.positions, 0);
        } else {
            System.arraycopy(x, c, rows, 0, 2 * n);
            System.arraycopy(x, c + w, rows, 2 * L, 2 * n);
            max2x2Whole(rows, 0, 2 * L, at, w, L, rows, spare.positions, 0);
        }
        System.arraycopy(rows, 0, y, o, n);
        if (idx != null) System.arraycopy(spare.positions, 0, idx, o, n);
    }
}
