package io.descent.bench;

import io.descent.kernels.Parallel;
import java.util.ArrayList;
import java.util.List;

/** Wall-clock timing shared by the benchmark runners (JMH drives the fine-grained kernels). */
public final class Timing {
    private Timing() {}

    /**
     * Median seconds of one call of {@code work}: warm up for a quarter of {@code seconds}
     * (at least {@code minWarmups} calls), then time calls for {@code seconds} (at least
     * {@code minReps}).
     */
    public static double medianSeconds(Runnable work, double seconds, int minWarmups, int minReps) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.25e9);
        int warm = 0;
        while (warm < minWarmups || System.nanoTime() < warmEnd) {
            work.run();
            warm++;
        }
        List<Long> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (times.size() < minReps || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            work.run();
            times.add(System.nanoTime() - t0);
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2] / 1e9;
    }

    /** A JSON list of pre-rendered objects, one per line. */
    /** Runs {@code work} with {@code threads} kernel threads, then restores the previous count. */
    public static <T> T withThreads(int threads, java.util.function.Supplier<T> work) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            return work.get();
        } finally {
            Parallel.setThreads(before);
        }
    }

    public static String jsonList(List<String> objects) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < objects.size(); i++) sb.append("  ").append(objects.get(i)).append(i + 1 < objects.size() ? ",\n" : "\n");
        return sb.append("]\n").toString();
    }
}
