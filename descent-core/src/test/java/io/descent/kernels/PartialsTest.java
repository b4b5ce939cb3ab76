package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Partials}: the partials added in chunk order, element by element, on any number of threads. */
class PartialsTest {
    @Test
    void sumsInChunkOrderWhateverTheThreads() {
        int saved = Parallel.threads();
        try {
            Random rnd = new Random(3);
            int n = 3 * (1 << 14) + 77; // several grains and a ragged end
            float[][] parts = new float[5][];
            for (int p = 0; p < parts.length; p++) {
                if (p == 2) continue; // a chunk that ran no item: no partial
                parts[p] = new float[n];
                for (int i = 0; i < n; i++) parts[p][i] = (float) Math.scalb(rnd.nextFloat() - 0.5f, rnd.nextInt(40) - 20);
            }
            float[] want = parts[0].clone();
            for (int i = 0; i < n; i++) want[i] = ((want[i] + parts[1][i]) + parts[3][i]) + parts[4][i];
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                float[][] copy = parts.clone();
                copy[0] = parts[0].clone();
                Partials.sumIntoFirst(copy, n);
                assertArrayEquals(want, copy[0], "threads " + t);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
