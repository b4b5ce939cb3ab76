package io.descent.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-channel loops of batch normalisation on an array laid out [n, c, s] (s = H·W, or 1 for
 * [N, C] input), on the Vector API; {@link NormKernelsScalar} is the plain twin, same
 * signatures. Channels are split over {@link Parallel} workers and each channel is reduced by
 * one worker in a fixed order (lanes within a plane, then planes in image order in double),
 * so results are deterministic whatever the thread count.
 *
 * <p>Formulas (Ioffe and Szegedy 2015; m = n·s values per channel):
 * μ = Σx/m, σ² = Σ(x−μ)²/m (two passes, which does not cancel like Σx² − mμ²),
 * y = (x−μ)·scale + shift with scale = γ/√(σ²+ε), shift = β; and backward
 * dx = a·dy + b·(x−μ) + d with per-channel a, b, d (see {@code Norm}).
 */
public final class NormKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private NormKernels() {}

    /** Per channel: {@code mean[ch] = μ}, {@code var[ch] = σ²} (biased). */
    public static void moments(float[] x, int n, int c, int s, float[] mean, float[] var) {
        double m = (double) n * s;
        Parallel.forRange(c, grain(n, s), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += VectorOps.sum(x, (i * c + ch) * s, s);
                float mu = (float) (sum / m);
                double sq = 0;
                for (int i = 0; i < n; i++) sq += sumSquaredDeviation(x, (i * c + ch) * s, s, mu);
                mean[ch] = mu;
                var[ch] = (float) (sq / m);
            }
        });
    }

    /** Per channel: {@code sumDy[ch] = Σ dy} and {@code sumDyXmu[ch] = Σ dy·(x − mean[ch])}. */
    public static void gradSums(float[] x, float[] dy, int n, int c, int s, float[] mean, float[] sumDy, float[] sumDyXmu) {
        Parallel.forRange(c, grain(n, s), (from, to) -> {
            double[] pair = new double[2];
            for (int ch = from; ch < to; ch++) {
                double a = 0, b = 0;
                for (int i = 0; i < n; i++) {
                    sumsOfPlane(x, dy, (i * c + ch) * s, s, mean[ch], pair);
                    a += pair[0];
                    b += pair[1];
                }
                sumDy[ch] = (float) a;
                sumDyXmu[ch] = (float) b;
            }
        });
    }

    /** {@code y = (x − mean[ch])·scale[ch] + shift[ch]}, then {@code max(y, 0)} when {@code relu}, plane by plane while in cache. */
    public static void normalize(float[] x, int n, int c, int s, float[] mean, float[] scale, float[] shift, float[] y, boolean relu) {
        Parallel.forRange(n * c, grain(1, s), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int ch = pl % c, off = pl * s, i = 0;
                float mu = mean[ch], sc = scale[ch], sh = shift[ch];
                FloatVector vs = FloatVector.broadcast(S, sc), vh = FloatVector.broadcast(S, sh);
                for (int upper = S.loopBound(s); i < upper; i += S.length()) {
                    FloatVector.fromArray(S, x, off + i).sub(mu).fma(vs, vh).intoArray(y, off + i);
                }
                for (; i < s; i++) y[off + i] = (x[off + i] - mu) * sc + sh;
                if (relu) VectorOps.relu(y, y, off, off + s);
            }
        });
    }

    /** {@code dx = a[ch]·dy + b[ch]·(x − mean[ch]) + d[ch]}. */
    public static void backwardInput(float[] dy, float[] x, int n, int c, int s, float[] mean, float[] a, float[] b, float[] d, float[] dx) {
        Parallel.forRange(n * c, grain(1, s), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int ch = pl % c, off = pl * s, i = 0;
                float mu = mean[ch], ca = a[ch], cb = b[ch], cd = d[ch];
                FloatVector va = FloatVector.broadcast(S, ca), vb = FloatVector.broadcast(S, cb), vd = FloatVector.broadcast(S, cd);
                for (int upper = S.loopBound(s); i < upper; i += S.length()) {
                    FloatVector xm = FloatVector.fromArray(S, x, off + i).sub(mu);
                    FloatVector.fromArray(S, dy, off + i).fma(va, xm.fma(vb, vd)).intoArray(dx, off + i);
                }
                for (; i < s; i++) dx[off + i] = dy[off + i] * ca + ((x[off + i] - mu) * cb + cd);
            }
        });
    }

    /** Σ (x − mu)² over {@code x[off .. off+len)}. */
    static float sumSquaredDeviation(float[] x, int off, int len, float mu) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).sub(mu);
            acc = v.fma(v, acc);
        }
        float r = VectorOps.sumLanes(acc);
        for (; i < len; i++) {
            float v = x[off + i] - mu;
            r += v * v;
        }
        return r;
    }

    /** {@code out[0] = Σ dy}, {@code out[1] = Σ dy·(x − mu)} over one plane. */
    static void sumsOfPlane(float[] x, float[] dy, int off, int len, float mu, double[] out) {
        int i = 0;
        FloatVector accDy = FloatVector.zero(S), accDyX = FloatVector.zero(S);
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, dy, off + i);
            accDy = accDy.add(g);
            accDyX = FloatVector.fromArray(S, x, off + i).sub(mu).fma(g, accDyX);
        }
        float a = VectorOps.sumLanes(accDy), b = VectorOps.sumLanes(accDyX);
        for (; i < len; i++) {
            a += dy[off + i];
            b += (x[off + i] - mu) * dy[off + i];
        }
        out[0] = a;
        out[1] = b;
    }

    /** Work items per parallel chunk so that each chunk touches some 32k values. */
    static int grain(int n, int s) {
        return Math.max(1, 32768 / Math.max(1, n * s));
    }
}
