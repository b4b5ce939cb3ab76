package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ParallelProfile}: each op counted once, its longest chunk on the critical path. */
class ParallelProfileTest {
    private static volatile double sink;
    private static volatile float[] kept;

    /** Burns CPU in proportion to {@code units}. */
    private static void burn(long units) {
        double s = 0;
        for (long i = 0; i < units * 200_000; i++) s += Math.sqrt(i);
        sink = s;
    }

    @Test
    void anOpWithOneLongChunkIsAsLongAsThatChunk() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(4);
            for (int i = 0; i < 10; i++) Parallel.forRange(4, 1, (from, to) -> burn(1)); // compiled before the profile, on every thread
            ParallelProfile.start();
            // chunk 0 does 40 units, the others 1 each: the longest chunk is most of the work
            // even if a thread's burn ran a few times slower (the JIT, a busy machine)
            Parallel.forRange(4, 1, (from, to) -> burn(from == 0 ? 40 : 1));
            Parallel.forRange(1, 1, (from, to) -> burn(10)); // one chunk: runs on the caller, serial
            kept = new float[1 << 18]; // 1 MiB allocated by the caller
            ParallelProfile.Projection p = ParallelProfile.stop();
            assertEquals(1, p.ops(), "only the op split over the team counts as one");
            assertEquals(1, p.sites().size(), p.toString());
            ParallelProfile.Site site = p.sites().get(0);
            assertTrue(site.where().startsWith("ParallelProfileTest.lambda") || site.where().startsWith("ParallelProfileTest.anOp"), site.where());
            assertEquals(p.criticalNanos(), site.criticalNanos());
            assertEquals(site, ParallelProfile.byWaiting(p).get(0));
            assertTrue(p.callerAllocatedBytes() == -1 || p.callerAllocatedBytes() >= 4 << 18, "allocated " + p.callerAllocatedBytes());
            assertEquals(4, p.threads());
            assertTrue(p.criticalNanos() > 0.5 * p.workNanos() && p.criticalNanos() < p.workNanos(), p.toString());
            assertTrue(p.serialNanos() > 0.1 * p.criticalNanos(), "the caller's own op is serial time: " + p);
            assertTrue(p.seconds() > p.balancedSeconds(), p.toString());
            assertEquals((p.serialNanos() + p.criticalNanos()) / 1e9, p.seconds(), 1e-12);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void opsOutsideAProfileAreNotCounted() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            ParallelProfile.start();
            ParallelProfile.Projection empty = ParallelProfile.stop();
            Parallel.forRange(2, 1, (from, to) -> burn(1));
            assertEquals(0, empty.ops());
            ParallelProfile.start();
            Parallel.forRange(2, 1, (from, to) -> burn(1));
            Parallel.forRange(2, 1, (from, to) -> burn(1));
            assertEquals(2, ParallelProfile.stop().ops());
            assertThrows(IllegalStateException.class, ParallelProfile::stop, "no profile open");
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
