package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.transforms.CutMix;
import io.descent.data.transforms.Distributions;
import io.descent.data.transforms.Mixup;
import io.descent.data.transforms.RandomChoice;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MixupCutMixTest {
    private static final int N = 6, C = 2, H = 8, W = 10, K = 5;

    /** Row i of the batch is filled with the value i + 1, label i % K. */
    private static Batch batch() {
        float[] x = new float[N * C * H * W];
        int[] labels = new int[N], indices = new int[N];
        for (int i = 0; i < N; i++) {
            java.util.Arrays.fill(x, i * C * H * W, (i + 1) * C * H * W, i + 1);
            labels[i] = i % K;
            indices[i] = 100 + i;
        }
        return new Batch(Tensor.wrap(x, N, C, H, W), labels, null, null, indices);
    }

    private static void assertRowsSumToOne(Tensor p) {
        for (int i = 0; i < p.size(0); i++) {
            double s = 0;
            for (int j = 0; j < p.size(1); j++) {
                assertTrue(p.get(i, j) >= 0);
                s += p.get(i, j);
            }
            assertEquals(1.0, s, 1e-6, "row " + i);
        }
    }

    @Test
    void mixupBlendsEachRowWithThePreviousOne() {
        Batch in = batch();
        for (long seed = 0; seed < 20; seed++) {
            Batch out = new Mixup(0.4, K).apply(in, new Rng(seed));
            assertRowsSumToOne(out.softTargets());
            for (int i = 0; i < N; i++) {
                int prev = (i + N - 1) % N;
                float lambda = out.softTargets().get(i, in.labels()[i]);
                if (in.labels()[i] == in.labels()[prev]) {
                    assertEquals(1f, lambda, 1e-6f);
                    continue;
                }
                assertEquals(1 - lambda, out.softTargets().get(i, in.labels()[prev]), 1e-6f);
                float expected = lambda * (i + 1) + (1 - lambda) * (prev + 1);
                for (int j = 0; j < C * H * W; j++) assertEquals(expected, out.inputs().data()[i * C * H * W + j], 1e-5f);
            }
            assertEquals(in.labels(), out.labels());
        }
        assertEquals(1f, in.inputs().data()[0], "the input batch is not modified");
    }

    @Test
    void cutMixPastesABoxFromThePreviousRowAndWeighsLabelsByItsArea() {
        Batch in = batch();
        int boxesSeen = 0;
        for (long seed = 0; seed < 30; seed++) {
            Batch out = new CutMix(1.0, K).apply(in, new Rng(seed));
            assertRowsSumToOne(out.softTargets());
            float[] x = out.inputs().data();
            for (int i = 0; i < N; i++) {
                int prev = (i + N - 1) % N, pasted = 0;
                for (int j = 0; j < C * H * W; j++) {
                    float v = x[i * C * H * W + j];
                    assertTrue(v == i + 1 || v == prev + 1, "pixel from its own row or the previous one");
                    if (v == prev + 1) pasted++;
                }
                // the pasted pixels form the same box in every channel: area = pasted / C
                float lambda = 1f - (pasted / (float) C) / (H * W);
                if (in.labels()[i] != in.labels()[prev]) {
                    assertEquals(lambda, out.softTargets().get(i, in.labels()[i]), 1e-6f, "λ is the share outside the box");
                    assertEquals(1 - lambda, out.softTargets().get(i, in.labels()[prev]), 1e-6f);
                }
                if (i == 1 && pasted > 0) boxesSeen++;
            }
            assertBoxIsARectangle(x, 1);
        }
        assertTrue(boxesSeen > 10, "most draws paste a non-empty box: " + boxesSeen);
    }

    private static void assertBoxIsARectangle(float[] x, int row) {
        int minY = H, maxY = -1, minX = W, maxX = -1, count = 0;
        for (int y = 0; y < H; y++) {
            for (int xx = 0; xx < W; xx++) {
                if (x[row * C * H * W + y * W + xx] == row) { // pasted from row 0 (value 1)
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    minX = Math.min(minX, xx);
                    maxX = Math.max(maxX, xx);
                    count++;
                }
            }
        }
        if (count > 0) assertEquals((maxY - minY + 1) * (maxX - minX + 1), count, "the pasted pixels fill a rectangle");
    }

    @Test
    void existingSoftTargetsAreMixedAndBadInputRefused() {
        Batch in = new Mixup(1.0, K).apply(batch(), new Rng(1));
        Batch twice = new RandomChoice(new Mixup(1.0, K), new CutMix(1.0, K)).apply(in, new Rng(2));
        assertRowsSumToOne(twice.softTargets());
        assertEquals("Mixup: alpha must be positive, got 0.0", assertThrows(IllegalArgumentException.class, () -> new Mixup(0, K)).getMessage());
        assertEquals("CutMix: numClasses must be >= 1, got 0", assertThrows(IllegalArgumentException.class, () -> new CutMix(1, 0)).getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> new Mixup(1, 3).apply(batch(), new Rng(0)));
        assertEquals("Mixup: label 3 of data set index 103 is out of range for numClasses 3", e.getMessage());
    }

    @Test
    void betaSamplesHaveTheRightMeanAndVariance() {
        for (double[] ab : new double[][] {{0.2, 0.2}, {1, 1}, {2, 5}, {0.05, 0.05}}) {
            Rng rng = new Rng(7);
            int n = 40000;
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                double v = Distributions.beta(rng, ab[0], ab[1]);
                assertTrue(v >= 0 && v <= 1 && !Double.isNaN(v));
                sum += v;
                sq += v * v;
            }
            double a = ab[0], b = ab[1], mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
            assertEquals(mean, sum / n, 0.01, "mean of Beta" + java.util.Arrays.toString(ab));
            assertEquals(var, sq / n - (sum / n) * (sum / n), 0.01, "variance of Beta" + java.util.Arrays.toString(ab));
        }
        assertNotEquals(Distributions.gamma(new Rng(1), 3), Distributions.gamma(new Rng(2), 3));
    }
}
