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
}
