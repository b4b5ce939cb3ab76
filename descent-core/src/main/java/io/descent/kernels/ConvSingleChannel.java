package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass of a 3×3, stride-1 convolution of a one-channel image (the first layer of
 * a network on grey images: Fashion-MNIST's CNN, a ResNet stem on 1-channel input), computed
 * directly. On the im2col path its GEMM has k = 9: each tile of C then costs as much to merge
 * as to compute, and the column matrix, its packed copy and a ReLU pass each make another trip
 * through memory (W2's first layer ran at 23 GFLOPS, 16 % of a training step). Here each output
 * channel's nine weights stay in registers while its rows are computed from the zero-padded
 * image, one vector of pixels at a time, with the bias and ReLU applied before the store.
 *
 * <p>Each output is the FMA chain over the nine taps in im2col's order (ky, kx), from zero, then
 * the bias added with one rounding, then the ReLU: the same operations as the GEMM path, so the
 * same bits.
 */
final class ConvSingleChannel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** The padded image, per thread, only ever grown; every element read is written first. */
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    private ConvSingleChannel() {}

    static boolean suits(ConvGeometry g) {
        return g.c() == 1 && g.groups() == 1 && g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1
                && g.dh() == 1 && g.dw() == 1 && g.oh() == g.h() + 2 * g.ph() - 2 && g.ow() == g.w() + 2 * g.pw() - 2
                && g.oh() > 0 && g.ow() > 0;
    }

    /** {@code y = conv(x, w) + bias}, then {@code max(y, 0)} when {@code relu}; y is overwritten. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
        int oh = g.oh(), ow = g.ow(), o = g.o();
        // rows of the padded image one vector longer than the windows need, zeros at the end,
        // so that every vector of a row's last, partial pixel vector loads inside the row
        int wp = ow + 2 + L, hp = oh + 2;
        Parallel.forRange(g.n(), 1, (from, to) -> {
            float[][] kept = PADDED.get();
            if (kept[0].length < hp * wp) kept[0] = new float[hp * wp];
            float[] xp = kept[0];
            // a row's partial last vector goes through a spare one (no masked store: see channel)
            float[] spare = new float[L];
            for (int i = from; i < to; i++) {
                pad(g, x, i * g.imageSize(), xp, wp);
                for (int ch = 0; ch < o; ch++) {
                    // no bias: add −0, the identity of every float; no ReLU: max with −∞
                    channel(xp, wp, w, ch * 9, bias == null ? -0f : bias[ch], relu ? 0f : Float.NEGATIVE_INFINITY, y, i * g.outImageSize() + ch * oh * ow, oh, ow, spare);
                }
            }
        });
    }

    /** Image {@code x[off..]} (h×w) into {@code xp} (rows wp apart), with the padding and each row's tail zero. */
    private static void pad(ConvGeometry g, float[] x, int off, float[] xp, int wp) {
        int h = g.h(), w = g.w(), ph = g.ph(), pw = g.pw(), hp = g.oh() + 2;
        for (int r = 0; r < hp; r++) {
            int iy = r - ph, d = r * wp;
            java.util.Arrays.fill(xp, d, d + wp, 0f);
            if (iy >= 0 && iy < h) System.arraycopy(x, off + iy * w, xp, d + pw, w);
        }
    }

    /** One output channel: its nine weights broadcast once, then every row of the plane, each output + bias, then max(·, floor). */
    private static void channel(float[] xp, int wp, float[] w, int wOff, float bias, float floor, float[] y, int yOff, int oh, int ow,
                                float[] spare) {
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]), w1 = FloatVector.broadcast(S, w[wOff + 1]), w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]), w4 = FloatVector.broadcast(S, w[wOff + 4]), w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]), w7 = FloatVector.broadcast(S, w[wOff + 7]), w8 = FloatVector.broadcast(S, w[wOff + 8]);
        // The bias and the ReLU as one add and one max for every vector (the identities when they
        // are off: see forward), where branches would merge two vectors, and vectors passed
        // to a store helper are objects: either way C2 left this method on the Vector API's Java
        // fallback (W2's first layer allocated ~400 MB a second). Two rows at a time, so that two
        // independent FMA chains of nine share the four input rows they read; a row's last,
        // partial vector is stored through spare.
        FloatVector bv = FloatVector.broadcast(S, bias), lo = FloatVector.broadcast(S, floor);
        int full = ow / L * L, rest = ow - full;
        int oy = 0;
        for (; oy + 2 <= oh; oy += 2) {
            int r0 = oy * wp, out = yOff + oy * ow;
            for (int ox = 0; ox < ow; ox += L) {
                FloatVector a = FloatVector.zero(S), c = FloatVector.zero(S);
                FloatVector x0 = FloatVector.fromArray(S, xp, r0 + ox), x1 = FloatVector.fromArray(S, xp, r0 + ox + 1), x2 = FloatVector.fromArray(S, xp, r0 + ox + 2);
                a = w0.fma(x0, a); a = w1.fma(x1, a); a = w2.fma(x2, a);
                x0 = FloatVector.fromArray(S, xp, r0 + wp + ox); x1 = FloatVector.fromArray(S, xp, r0 + wp + ox + 1); x2 = FloatVector.fromArray(S, xp, r0 + wp + ox + 2);
                a = w3.fma(x0, a); a = w4.fma(x1, a); a = w5.fma(x2, a);
                c = w0.fma(x0, c); c = w1.fma(x1, c); c = w2.fma(x2, c);
                x0 = FloatVector.fromArray(S, xp, r0 + 2 * wp + ox); x1 = FloatVector.fromArray(S, xp, r0 + 2 * wp + ox + 1); x2 = FloatVector.fromArray(S, xp, r0 + 2 * wp + ox + 2);
                a = w6.fma(x0, a); a = w7.fma(x1, a); a = w8.fma(x2, a);
                c = w3.fma(x0, c); c = w4.fma(x1, c); c = w5.fma(x2, c);
                x0 = FloatVector.fromArray(S, xp, r0 + 3 * wp + ox); x1 = FloatVector.fromArray(S, xp, r0 + 3 * wp + ox + 1); x2 = FloatVector.fromArray(S, xp, r0 + 3 * wp + ox + 2);
                c = w6.fma(x0, c); c = w7.fma(x1, c); c = w8.fma(x2, c);
                a = a.add(bv).max(lo);
                c = c.add(bv).max(lo);
                if (ox < full) {
                    a.intoArray(y, out + ox);
                    c.intoArray(y, out + ow + ox);
                } else {
                    a.intoArray(spare, 0);
                    System.arraycopy(spare, 0, y, out + ox, rest);
                    c.intoArray(spare, 0);
                    System.arraycopy(spare, 0, y, out + ow + ox, rest);
                }
            }
        }
        for (; oy < oh; oy++) {
            int r0 = oy * wp, r1 = r0 + wp, r2 = r1 + wp, out = yOff + oy * ow;
            for (int ox = 0; ox < ow; ox += L) {
                FloatVector acc = FloatVector.zero(S);
                acc = w0.fma(FloatVector.fromArray(S, xp, r0 + ox), acc);
                acc = w1.fma(FloatVector.fromArray(S, xp, r0 + ox + 1), acc);
                acc = w2.fma(FloatVector.fromArray(S, xp, r0 + ox + 2), acc);
                acc = w3.fma(FloatVector.fromArray(S, xp, r1 + ox), acc);
                acc = w4.fma(FloatVector.fromArray(S, xp, r1 + ox + 1), acc);
                acc = w5.fma(FloatVector.fromArray(S, xp, r1 + ox + 2), acc);
                acc = w6.fma(FloatVector.fromArray(S, xp, r2 + ox), acc);
                acc = w7.fma(FloatVector.fromArray(S, xp, r2 + ox + 1), acc);
                acc = w8.fma(FloatVector.fromArray(S, xp, r2 + ox + 2), acc);
                acc = acc.add(bv).max(lo);
                if (ox < full) {
                    acc.intoArray(y, out + ox);
                } else {
                    acc.intoArray(spare, 0);
                    System.arraycopy(spare, 0, y, out + ox, rest);
                }
            }
        }
    }
}
