package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.kernels.Parallel;
import org.junit.jupiter.api.Test;

/** Descent's side of W4 and W5 at toy sizes: the path runs and its figures are sane (speed is never asserted). */
class SyntheticWorkloadTest {
    // batch 2: a train-mode batch norm needs more than one value per channel, and at 32 px ResNet ends at 1 x 1
    private static final E2eSizes TOY = new E2eSizes(2, 32, 1, 2, 4, 64, 16, 2);

    @Test
    void modelRowsTimeForwardAndTraining() {
        int threads = Parallel.threads();
        for (boolean train : new boolean[] {false, true}) {
            E2eResult r = new ModelWorkload("resnet18", train, TOY).descent(1, 0, null);
            assertTrue(r.imagesPerSecond() > 0 && Double.isFinite(r.imagesPerSecond()), "images/s " + r.imagesPerSecond());
            assertTrue(Double.isNaN(r.testAccuracy()));
            assertEquals(2, r.steps());
            assertEquals(-1, r.savedBytes());
        }
        assertEquals(threads, Parallel.threads(), "thread count restored");
    }

    @Test
    void checkpointRowsMeasureTheTape() {
        E2eResult none = new CheckpointWorkload(0, TOY).descent(1, 0, null);
        E2eResult four = new CheckpointWorkload(4, TOY).descent(1, 0, null);
        // 4 Linears and 4 ReLUs each save a 16 x 64 float tensor: 8 x 4 KiB, plus the loss's
        assertTrue(none.savedBytes() >= 8 * 16 * 64 * 4, "saved " + none.savedBytes());
        assertTrue(four.savedBytes() < none.savedBytes(), four.savedBytes() + " vs " + none.savedBytes());
        assertTrue(four.imagesPerSecond() > 0 && Double.isFinite(four.imagesPerSecond()));
        assertTrue(Double.isNaN(four.testAccuracy()));
    }
}
