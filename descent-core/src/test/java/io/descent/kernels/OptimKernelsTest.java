package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OptimKernelsTest {
    /** Random values spanning normal, subnormal-producing and zero magnitudes. */
    private static float[] values(Random r, int n, boolean positive) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float mag = switch (i % 4) {
                case 0 -> 1e-3f;
                case 1 -> 1e-37f;
                case 2 -> 0f;
                default -> 1f;
            };
            x[i] = (float) (positive ? r.nextFloat() : r.nextGaussian()) * mag;
        }
        return x;
    }

    @Test
    void vectorKernelsEqualTheirScalarTwinsBitForBitAtAnyThreadCount() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {0, 1, 15, 17, 100, 70_001}) {
                    Random r = new Random(n);
                    float[] m = values(r, n, false), g = values(r, n, false), v = values(r, n, true), p = values(r, n, false);
                    float[] m2 = m.clone(), v2 = v.clone(), p2 = p.clone();
                    OptimKernels.decay(m, g, 0.9f, 0.1f);
                    OptimKernelsScalar.decay(m2, g, 0.9f, 0.1f);
                    assertArrayEquals(m2, m, "decay n=" + n + " threads=" + threads);
                    OptimKernels.decaySquare(v, g, 0.999f, 0.001f);
                    OptimKernelsScalar.decaySquare(v2, g, 0.999f, 0.001f);
                    assertArrayEquals(v2, v, "decaySquare n=" + n);
                    OptimKernels.adamStep(p, m, v, -1e-3f, 0.7f, 1e-8f);
                    OptimKernelsScalar.adamStep(p2, m2, v2, -1e-3f, 0.7f, 1e-8f);
                    assertArrayEquals(p2, p, "adamStep n=" + n);
                    OptimKernels.addScaled(p, -0.1f, m);
                    OptimKernelsScalar.addScaled(p2, -0.1f, m2);
                    assertArrayEquals(p2, p, "addScaled n=" + n);
                    OptimKernels.momentumStep(p, m, g, 0.9f, 0.75f, -0.1f);
                    OptimKernelsScalar.momentumStep(p2, m2, g, 0.9f, 0.75f, -0.1f);
                    assertArrayEquals(m2, m, "momentumStep's buffer n=" + n);
                    assertArrayEquals(p2, p, "momentumStep n=" + n);
                    OptimKernels.nesterovStep(p, m, g, 0.9f, -0.1f);
                    OptimKernelsScalar.nesterovStep(p2, m2, g, 0.9f, -0.1f);
                    assertArrayEquals(p2, p, "nesterovStep n=" + n);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void stateThatDecaysIntoTheSubnormalRangeBecomesZero() {
        float[] m = {1e-37f, -1e-37f, 1f, Float.NaN, 2e-38f};
        float[] zero = new float[m.length];
        OptimKernels.decay(m, zero, 0.1f, 0.9f);
        assertEquals(0f, m[0]);
        assertEquals(0f, m[1]);
        assertEquals(0.1f, m[2]);
        assertEquals(Float.NaN, m[3]); // NaN is not flushed: a diverged run must stay visible
        assertEquals(0f, m[4]);
        // the scalar rounding of PyTorch: m·b then fma(c, g, ·)
        float[] one = {3f};
        OptimKernels.decay(one, new float[] {5f}, 0.9f, 0.1f);
        assertEquals(Math.fma(0.1f, 5f, 3f * 0.9f), one[0]);
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> OptimKernels.decay(new float[3], new float[4], 0.9f, 0.1f));
    }
}
