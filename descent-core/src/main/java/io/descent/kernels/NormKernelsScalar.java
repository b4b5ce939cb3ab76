package io.descent.kernels;

/**
 * The plain scalar twin of {@link NormKernels}: same names, signatures and formulas, plain
 * loops left to right (planes still added in double), single-threaded. Tests compare the two.
 */
public final class NormKernelsScalar {
    private NormKernelsScalar() {}

    public static void moments(float[] x, int n, int c, int s, float[] mean, float[] var) {
        double m = (double) n * s;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += ScalarOps.sum(x, (i * c + ch) * s, s);
            float mu = (float) (sum / m);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                float r = 0;
                for (int j = (i * c + ch) * s, e = j + s; j < e; j++) r += (x[j] - mu) * (x[j] - mu);
                sq += r;
            }
            mean[ch] = mu;
            var[ch] = (float) (sq / m);
        }
    }

    public static void gradSums(float[] x, float[] dy, int n, int c, int s, float[] mean, float[] sumDy, float[] sumDyXmu) {
        for (int ch = 0; ch < c; ch++) {
            double a = 0, b = 0;
            for (int i = 0; i < n; i++) {
                float pa = 0, pb = 0;
                for (int j = (i * c + ch) * s, e = j + s; j < e; j++) {
                    pa += dy[j];
                    pb += (x[j] - mean[ch]) * dy[j];
                }
                a += pa;
                b += pb;
            }
            sumDy[ch] = (float) a;
            sumDyXmu[ch] = (float) b;
        }
    }

    public static void normalize(float[] x, int n, int c, int s, float[] mean, float[] scale, float[] shift, float[] y, boolean relu) {
        for (int pl = 0; pl < n * c; pl++) {
            int ch = pl % c;
            for (int j = pl * s, e = j + s; j < e; j++) {
                float v = (x[j] - mean[ch]) * scale[ch] + shift[ch];
                y[j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    public static void backwardInput(float[] dy, float[] x, int n, int c, int s, float[] mean, float[] a, float[] b, float[] d, float[] dx) {
        for (int pl = 0; pl < n * c; pl++) {
            int ch = pl % c;
            for (int j = pl * s, e = j + s; j < e; j++) dx[j] = dy[j] * a[ch] + ((x[j] - mean[ch]) * b[ch] + d[ch]);
        }
    }
}
