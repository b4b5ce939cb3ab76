package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void coversTheRangeExactlyOnceWithAnyThreadCount() {
        int saved = Parallel.threads();
        try {
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                for (int n : new int[] {0, 1, 5, 1000}) {
                    int[] hits = new int[n];
                    Parallel.forRange(n, 1, (from, to) -> {
                        for (int i = from; i < to; i++) hits[i]++;
                    });
                    int[] ones = new int[n];
                    java.util.Arrays.fill(ones, 1);
                    assertArrayEquals(ones, hits, "threads=" + t + " n=" + n);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void nestedCallsRunSeriallyWithoutDeadlock() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicInteger count = new AtomicInteger();
            Parallel.forRange(8, 1, (f, t) -> {
                for (int i = f; i < t; i++) Parallel.forRange(10, 1, (a, b) -> count.addAndGet(b - a));
            });
            assertEquals(80, count.get());
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void workerFailureSurfacesOnTheCaller() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (f, t) -> {
                if (f > 0) throw new IllegalStateException("boom at " + f);
            }));
            assertEquals("boom at 50", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void manyQuickOpsAndOpsAfterTheWorkersParkedAllComplete() throws InterruptedException {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            long[] sum = new long[3];
            for (int op = 0; op < 20_000; op++) {
                Parallel.forRange(3, 1, (f, t) -> sum[f]++);
                if (op % 5_000 == 0) Thread.sleep(5); // longer than the spin: the workers park and must be woken
            }
            assertArrayEquals(new long[] {20_000, 20_000, 20_000}, sum);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            int callers = 4, n = 1000, rounds = 500;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<long[]>>();
                for (int c = 0; c < callers; c++) {
                    futures.add(pool.submit(() -> {
                        long[] hits = new long[n];
                        for (int r = 0; r < rounds; r++) {
                            Parallel.forRange(n, 1, (from, to) -> {
                                for (int i = from; i < to; i++) hits[i]++;
                            });
                        }
                        return hits;
                    }));
                }
                long[] expected = new long[n];
                java.util.Arrays.fill(expected, rounds);
                for (var f : futures) assertArrayEquals(expected, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void callerChunkFailureSurfacesAfterTheWorkersFinish() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicInteger workerRan = new AtomicInteger();
            var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (f, t) -> {
                if (f == 0) throw new IllegalStateException("caller chunk");
                workerRan.addAndGet(t - f);
            }));
            assertEquals("caller chunk", e.getMessage());
            assertEquals(50, workerRan.get());
            // the team is still usable
            int[] hits = new int[10];
            Parallel.forRange(10, 1, (f, t) -> { for (int i = f; i < t; i++) hits[i]++; });
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, hits);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
