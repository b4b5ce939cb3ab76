package io.descent.kernels;

import static io.descent.kernels.ConvKernelsTest.conv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A convolution's weight gradient summed by several threads takes each thread's partial sum
 * from {@link BufferPool} and gives it back: run again over those arrays filled with NaN, every
 * path must give the same bits, so no partial is read where it was not written first.
 */
class PooledPartialsTest {
    @AfterEach
    void emptyPool() {
        BufferPool.clear();
    }

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void weightGradientsIgnoreStalePartials() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                for (ConvGeometry g : new ConvGeometry[] {
                        conv(8, 64, 16, 16, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1),    // Winograd, a partial per block chunk
                        conv(1, 64, 32, 32, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1),   // Winograd in phases: one dU
                        conv(4, 64, 32, 32, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1),    // im2col, a partial per chunk of images
                        conv(4, 128, 12, 12, 256, 1, 1, 1, 1, 0, 0, 1, 1, 1)}) { // pointwise
                    float[] x = random(1, g.n() * g.imageSize()), dy = random(2, g.n() * g.outImageSize());
                    BufferPool.clear();
                    float[] fresh = new float[g.weightSize()];
                    ConvKernels.backwardWeight(g, x, dy, fresh);
                    assertTrue(BufferPool.pooledBytes() > 0, g + ": its partials went back");
                    BufferPool.fillPooled(Float.NaN, -1);
                    long misses = BufferPool.misses();
                    float[] again = new float[g.weightSize()];
                    ConvKernels.backwardWeight(g, x, dy, again);
                    assertEquals(misses, BufferPool.misses(), g + ": the partials came from the pool");
                    assertArrayEquals(fresh, again, 0f, g + ", " + threads + " threads");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
