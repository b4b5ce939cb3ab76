package io.descent.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Intra-op parallelism over one fixed pool sized to the cores ({@code DESCENT_THREADS}
 * overrides). Work is split statically into contiguous chunks that write disjoint outputs,
 * so results are bit-identical for a given thread count; work below a size threshold, or
 * issued from inside a pool worker, runs on the calling thread.
 */
public final class Parallel {
    /** A body over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool = newPool(threads);

    private Parallel() {}

    private static int initialThreads() {
        String env = System.getenv("DESCENT_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
            throw new IllegalArgumentException("DESCENT_THREADS must be a positive integer, got '" + env + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static ForkJoinPool newPool(int n) {
        return n <= 1 ? null : new ForkJoinPool(n, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("descent-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** The number of threads ops may use. */
    public static int threads() {
        return threads;
    }

    /** Changes the thread count (benchmarks compare 1 and 2 threads). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: thread count must be >= 1, got " + n);
        if (n == threads) return;
        ForkJoinPool old = pool;
        pool = newPool(n);
        threads = n;
        if (old != null) old.shutdown();
    }

    /** True inside one of the pool's workers (nested parallel calls then run serially). */
    public static boolean inWorker() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} chunks of at
     * least {@code grain} items each. Chunk boundaries depend only on n, grain and the thread
     * count.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int chunks = (int) Math.min(Math.min(t, Math.max(1, n)), Math.max(1, n / (long) Math.max(1, grain)));
        ForkJoinPool p = pool;
        if (chunks <= 1 || p == null || inWorker()) {
            if (n > 0) body.run(0, n);
            return;
        }
        // workers record their own failure: ForkJoinTask.join would re-wrap it in a copy
        Throwable[] failures = new Throwable[chunks];
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = bound(n, chunks, c), to = bound(n, chunks, c + 1), slot = c;
            tasks[c - 1] = p.submit(() -> {
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    failures[slot] = e;
                }
            });
        }
        try {
            body.run(0, bound(n, chunks, 1));
        } catch (Throwable e) {
            failures[0] = e;
        }
        for (ForkJoinTask<?> task : tasks) task.join();
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException re) throw re;
            if (failure instanceof Error er) throw er;
            if (failure != null) throw new RuntimeException(failure);
        }
    }

    private static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }
}
