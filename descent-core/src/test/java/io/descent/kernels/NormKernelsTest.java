package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.descent.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API batch-norm kernels against their scalar twins, across plane sizes that exercise the tails. */
class NormKernelsTest {
    static final int N = 3, C = 4;

    static float[] random(long seed, int n, float lo, float hi) {
        Rng rng = new Rng(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.nextFloat();
        return a;
    }

    static void close(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-5 * Math.abs(expected[i]), what + " element " + i);
        }
    }

    @ParameterizedTest(name = "plane size {0}")
    @ValueSource(ints = {1, 3, 8, 16, 37, 100})
    void vectorKernelsMatchScalarTwins(int s) {
        int len = N * C * s;
        float[] x = random(1, len, -2f, 3f), dy = random(2, len, -1f, 1f);

        float[] mean = new float[C], var = new float[C], meanS = new float[C], varS = new float[C];
        NormKernels.moments(x, N, C, s, mean, var);
        NormKernelsScalar.moments(x, N, C, s, meanS, varS);
        close("mean", meanS, mean);
        close("var", varS, var);

        float[] sumDy = new float[C], sumDyX = new float[C], sumDyS = new float[C], sumDyXS = new float[C];
        NormKernels.gradSums(x, dy, N, C, s, mean, sumDy, sumDyX);
        NormKernelsScalar.gradSums(x, dy, N, C, s, mean, sumDyS, sumDyXS);
        close("sum dy", sumDyS, sumDy);
        close("sum dy(x-mean)", sumDyXS, sumDyX);

        float[] scale = random(3, C, 0.5f, 2f), shift = random(4, C, -1f, 1f);
        float[] y = new float[len], yS = new float[len];
        NormKernels.normalize(x, N, C, s, mean, scale, shift, y, false);
        NormKernelsScalar.normalize(x, N, C, s, mean, scale, shift, yS, false);
        close("normalize", yS, y);
        NormKernels.normalize(x, N, C, s, mean, scale, shift, y, true);
        NormKernelsScalar.normalize(x, N, C, s, mean, scale, shift, yS, true);
        close("normalize + relu", yS, y);

        float[] a = random(5, C, -1f, 1f), b = random(6, C, -1f, 1f), d = random(7, C, -1f, 1f);
        float[] dx = new float[len], dxS = new float[len];
        NormKernels.backwardInput(dy, x, N, C, s, mean, a, b, d, dx);
        NormKernelsScalar.backwardInput(dy, x, N, C, s, mean, a, b, d, dxS);
        close("backward input", dxS, dx);
    }
}
