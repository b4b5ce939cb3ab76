package io.descent.kernels;

/**
 * The plain scalar twin of {@link Gemm}: {@code C = alpha * op(A) * op(B) + beta * C}, row-major,
 * with {@code op(A)} of shape m×k ({@code A} stored k×m when {@code transA}) and {@code op(B)}
 * of shape k×n ({@code B} stored n×k when {@code transB}). Accumulates in double: the
 * reference the fast kernel is tested against.
 */
public final class GemmScalar {
    private GemmScalar() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                float prev = beta == 0f ? 0f : beta * c[ci];
                c[ci] = (float) (alpha * s) + prev;
            }
        }
    }
}
