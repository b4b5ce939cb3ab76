package io.descent.kernels;

/** Plain scalar twins of {@link OptimKernels}: same names, signatures and results. */
public final class OptimKernelsScalar {
    private OptimKernelsScalar() {}

    public static void decay(float[] m, float[] g, float b, float c) {
        for (int i = 0; i < m.length; i++) m[i] = ftz(Math.fma(c, g[i], m[i] * b));
    }

    public static void decaySquare(float[] v, float[] g, float b, float c) {
        for (int i = 0; i < v.length; i++) v[i] = ftz(Math.fma(c * g[i], g[i], v[i] * b));
    }

    public static void addScaled(float[] p, float c, float[] x) {
        for (int i = 0; i < p.length; i++) p[i] = Math.fma(c, x[i], p[i]);
    }

    public static void momentumStep(float[] p, float[] buf, float[] d, float mu, float keep, float step) {
        decay(buf, d, mu, keep);
        addScaled(p, step, buf);
    }

    public static void nesterovStep(float[] p, float[] buf, float[] d, float mu, float step) {
        for (int i = 0; i < p.length; i++) p[i] = Math.fma(step, Math.fma(mu, buf[i], d[i]), p[i]);
    }

    public static void adamStep(float[] p, float[] m, float[] v, float c, float bc2Sqrt, float eps) {
        for (int i = 0; i < p.length; i++) p[i] = adamStep(p[i], m[i], v[i], c, bc2Sqrt, eps);
    }

    static float adamStep(float p, float m, float v, float c, float bc2Sqrt, float eps) {
        float denom = (float) Math.sqrt(v) / bc2Sqrt + eps;
        return p + c * m / denom;
    }

    /** Subnormal to zero (flush-to-zero); everything else, NaN included, unchanged. */
    static float ftz(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
