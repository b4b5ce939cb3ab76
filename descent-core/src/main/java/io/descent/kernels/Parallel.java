package io.descent.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Intra-op parallelism over one fixed team of threads sized to the cores
 * ({@code DESCENT_THREADS} overrides). Work is split statically into contiguous chunks that
 * write disjoint outputs, so results are bit-identical for a given thread count; work below a
 * size threshold, or issued from inside a parallel region, runs on the calling thread.
 *
 * <p>Why not a ForkJoinPool: a training step issues thousands of parallel ops of 10–500 µs
 * each, and waking a parked pool worker costs 5–50 µs (a futex round trip, more on a loaded
 * VM) per op. Here the caller runs chunk 0 itself, and the workers, after finishing a chunk,
 * spin for {@link #SPIN_NANOS} waiting for the next op before they park (the OpenMP
 * "active wait" idea, bounded so an idle process does not burn a core). The caller spins on
 * the completion count the same way, then yields. One op runs on the team at a time; a second
 * caller thread waits for the team (so its chunking, and therefore its results, are the same
 * as if it had been alone).
 */
public final class Parallel {
    /** A body over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker (or a waiting caller) spins before parking; system property {@code descent.spinNanos}. */
    static final long SPIN_NANOS = Long.getLong("descent.spinNanos", 100_000);
    /** The first part of an idle worker's spin, before it starts yielding its core between checks. */
    static final long PURE_SPIN_NANOS = Long.getLong("descent.pureSpinNanos", 10_000);

    private static volatile Team team = new Team(initialThreads());

    private Parallel() {}

    private static int initialThreads() {
        String env = System.getenv("DESCENT_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("DESCENT_THREADS must be a positive integer, got '" + env + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads ops may use. */
    public static int threads() {
        return team.size;
    }

    /** Changes the thread count (benchmarks compare 1 and 2 threads). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: thread count must be >= 1, got " + n);
        Team old = team;
        if (n == old.size) return;
        team = new Team(n);
        old.shutdown();
    }

    /** True inside a parallel region (a worker, or the caller running its own chunk): nested calls run serially. */
    public static boolean inWorker() {
        return IN_REGION.get()[0];
    }

    private static final ThreadLocal<boolean[]> IN_REGION = ThreadLocal.withInitial(() -> new boolean[1]);

    /**
     * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} chunks of at
     * least {@code grain} items each. Chunk boundaries depend only on n, grain and the thread
     * count.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        Team t = team;
        int chunks = (int) Math.min(Math.min(t.size, Math.max(1, n)), Math.max(1, n / (long) Math.max(1, grain)));
        boolean[] inRegion = IN_REGION.get();
        if (chunks <= 1 || inRegion[0]) {
            if (n > 0) body.run(0, n);
            return;
        }
        inRegion[0] = true;
        try {
            t.run(n, chunks, body);
        } finally {
            inRegion[0] = false;
        }
    }

    static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /**
     * One op posted to the team: immutable but for its two counters, so a worker sees all of
     * it or none of it. Chunks are claimed in order by whoever comes first (caller or worker);
     * which thread runs a chunk never changes its bounds, so results stay the same.
     */
    private record Op(long seq, RangeBody body, int n, int chunks, Throwable[] failures, AtomicInteger next, AtomicInteger done, long[] cpu) {
        /** Claims and runs chunks until none is left; true when this call finished the op's last chunk. */
        boolean runChunks() {
            boolean last = false;
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (cpu == null) {
                        body.run(bound(n, chunks, c), bound(n, chunks, c + 1));
                    } else { // a ParallelProfile is open
                        long t = ParallelProfile.cpu();
                        body.run(bound(n, chunks, c), bound(n, chunks, c + 1));
                        cpu[c] = ParallelProfile.cpu() - t;
                    }
                } catch (Throwable e) {
                    failures[c] = e;
                }
                last = done.incrementAndGet() == chunks;
            }
            return last;
        }
    }

    /** The caller plus {@code size - 1} worker threads, handed one op at a time. */
    private static final class Team {
        final int size;
        private final Worker[] workers;
        private final ReentrantLock lock = new ReentrantLock();
        private long seq;
        private volatile Op op;
        private volatile Thread waiter;
        private volatile boolean stopped;

        Team(int size) {
            this.size = size;
            this.workers = new Worker[size - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        /**
         * Posts the op, runs chunks itself until none is left to claim (so a worker that the OS
         * has not scheduled yet, e.g. while the JIT compiler holds the other core, costs nothing
         * but its share), then waits for the chunks the workers took.
         */
        void run(int n, int chunks, RangeBody body) {
            lock.lock();
            try {
                long[] cpu = ParallelProfile.active ? new long[chunks] : null;
                long callerStart = cpu == null ? 0 : ParallelProfile.cpu();
                Op o = new Op(++seq, body, n, chunks, new Throwable[chunks], new AtomicInteger(), new AtomicInteger(), cpu);
                op = o;
                for (int w = 0; w < chunks - 1; w++) {
                    if (workers[w].parked) LockSupport.unpark(workers[w]);
                }
                o.runChunks();
                awaitWorkers(o);
                op = null; // let the op's arrays be collected
                if (cpu != null) ParallelProfile.record(cpu, ParallelProfile.cpu() - callerStart);
                for (Throwable failure : o.failures) {
                    if (failure instanceof RuntimeException re) throw re;
                    if (failure instanceof Error er) throw er;
                    if (failure != null) throw new RuntimeException(failure);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Spins for {@link #SPIN_NANOS}, then parks in short naps (the worker finishing the last chunk also unparks it). */
        private void awaitWorkers(Op o) {
            long start = System.nanoTime();
            while (o.done().get() != o.chunks()) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (o.done().get() != o.chunks()) LockSupport.parkNanos(this, 50_000);
                    waiter = null;
                }
            }
        }

        void finished() {
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        private final Team team;
        private final int index;
        volatile boolean parked;

        Worker(Team team, int index) {
            super("descent-" + index);
            this.team = team;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            IN_REGION.get()[0] = true;
            long seen = 0;
            while (!team.stopped) {
                Op o = team.op;
                if (o != null && o.seq() != seen) {
                    seen = o.seq();
                    if (index < o.chunks() && o.runChunks()) team.finished();
                    continue;
                }
                if (!idle(seen)) {
                    parked = true;
                    if (!posted(seen)) LockSupport.park(this);
                    parked = false;
                }
            }
        }

        /** Spins until an op after {@code seen} is posted (true) or {@link #SPIN_NANOS} pass (false). */
        private boolean idle(long seen) {
            long start = System.nanoTime();
            for (long waited; (waited = System.nanoTime() - start) < SPIN_NANOS; ) {
                if (posted(seen)) return true;
                // after a short pure spin, offer the core to other runnable threads (the JIT
                // compiler while the program warms up, the collector, a data loader)
                if (waited < PURE_SPIN_NANOS) Thread.onSpinWait();
                else Thread.yield();
            }
            return false;
        }

        private boolean posted(long seen) {
            Op o = team.op;
            return team.stopped || (o != null && o.seq() != seen);
        }
    }
}
