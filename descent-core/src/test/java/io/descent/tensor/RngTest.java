package io.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.descent.kernels.Parallel;
import org.junit.jupiter.api.Test;

class RngTest {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final int[] LENGTHS = {0, 1, 2, 5, Rng.BLOCK - 1, Rng.BLOCK, Rng.BLOCK + 1, 3 * Rng.BLOCK + 7};

    @Test
    void fillUniformIsTheOneByOneStreamOnAnyThreadCount() {
        forThreads(() -> {
            for (int n : LENGTHS) {
                Rng one = new Rng(n + 11), fill = new Rng(n + 11);
                float[] expected = new float[n], got = new float[n];
                for (int i = 0; i < n; i++) expected[i] = (float) (-0.5 + 2.0 * one.nextDouble());
                fill.fillUniform(got, -0.5, 1.5);
                assertArrayEquals(expected, got, "n = " + n);
                assertEquals(one.nextLong(), fill.nextLong(), "the state after " + n + " draws");
            }
        });
    }

    @Test
    void fillNormalIsTheOneByOneStreamWithItsCachedSpare() {
        forThreads(() -> {
            for (int n : LENGTHS) {
                for (boolean spareFirst : new boolean[] {false, true}) {
                    Rng one = new Rng(n * 3L + 1), fill = new Rng(n * 3L + 1);
                    if (spareFirst) assertEquals(one.nextGaussian(), fill.nextGaussian()); // leaves a spare cached
                    float[] expected = new float[n], got = new float[n];
                    for (int i = 0; i < n; i++) expected[i] = (float) (0.25 + 0.01 * one.nextGaussian());
                    fill.fillNormal(got, 0.25, 0.01);
                    String what = "n = " + n + (spareFirst ? " after a spare" : "");
                    assertArrayEquals(expected, got, what);
                    assertEquals(one.nextGaussian(), fill.nextGaussian(), what + ": the next Gaussian (a spare when the count was odd)");
                    assertEquals(one.nextLong(), fill.nextLong(), what + ": the state after");
                }
            }
        });
    }

    @Test
    void aZeroFirstUniformIsDrawnAgainAsNextGaussianDoes() {
        // a seed whose draw k is mix⁻¹-chosen to be 0: the first uniform of a pair in the third block
        long k = 2L * Rng.BLOCK + 6, z = unmix(3); // bits 3 >>> 11 = 0: the uniform 0.0
        long seed = z - (k + 1) * GAMMA;
        Rng probe = new Rng(seed);
        for (long i = 0; i < k; i++) probe.nextLong();
        assertEquals(0.0, probe.nextDouble(), "the chosen draw");
        forThreads(() -> {
            int n = 3 * Rng.BLOCK;
            Rng one = new Rng(seed), fill = new Rng(seed);
            float[] expected = new float[n], got = new float[n];
            for (int i = 0; i < n; i++) expected[i] = (float) one.nextGaussian();
            fill.fillNormal(got, 0, 1);
            assertArrayEquals(expected, got);
            assertEquals(one.nextLong(), fill.nextLong(), "the state after");
        });
    }

    @Test
    void tensorRandnIsTheOneByOneStream() {
        Rng one = new Rng(5);
        Tensor t = Tensor.randn(new Rng(5), 3, 7);
        for (float v : t.data()) assertEquals((float) one.nextGaussian(), v);
    }

    private static void forThreads(Runnable body) {
        int before = Parallel.threads();
        try {
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                body.run();
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** The inverse of SplitMix64's output function. */
    private static long unmix(long y) {
        long z = unshift(y, 31) * inverse(0x94D049BB133111EBL);
        z = unshift(z, 27) * inverse(0xBF58476D1CE4E5B9L);
        return unshift(z, 30);
    }

    /** x with x ^ (x >>> k) = y. */
    private static long unshift(long y, int k) {
        long x = y;
        for (int i = 0; i < 64 / k + 1; i++) x = y ^ (x >>> k);
        return x;
    }

    /** The inverse of an odd multiplier modulo 2⁶⁴ (Newton: each step doubles the correct bits). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) x *= 2 - a * x;
        return x;
    }
}
