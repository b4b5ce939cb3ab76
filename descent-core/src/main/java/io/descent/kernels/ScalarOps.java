package io.descent.kernels;

/** Plain scalar twins of {@link VectorOps}: same names, signatures and results (up to summation order). */
public final class ScalarOps {
    private ScalarOps() {}

    public static void addInto(float[] dst, float[] src, int n) {
        addInto(dst, src, 0, n);
    }

    public static void addInto(float[] dst, float[] src, int from, int to) {
        for (int i = from; i < to; i++) dst[i] += src[i];
    }

    public static void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
    }

    public static void sub(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] - b[i];
    }

    public static void mul(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] * b[i];
    }

    public static void div(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] / b[i];
    }

    public static void scale(float[] a, float c, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] * c;
    }

    public static void addScalar(float[] a, float c, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = a[i] + c;
    }

    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    public static void addRowSums(float[] a, int aOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) out[outOff + j] += a[aOff + r * cols + j];
        }
    }

    public static void unsignedBytesToUnit(byte[] src, int off, float[] dst, int at, int n) {
        for (int i = 0; i < n; i++) dst[at + i] = (src[off + i] & 0xFF) / 255f;
    }

    public static float sum(float[] a, int off, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[off + i];
        return s;
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    public static void relu(float[] a, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = Math.max(a[i], 0f);
    }

    public static void reluBackward(float[] y, float[] g, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = y[i] > 0 ? g[i] : 0f;
    }
}
