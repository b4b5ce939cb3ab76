package io.descent.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What a run of ops would take on as many cores as {@link Parallel} has threads, measured on
 * however few the machine has: the critical path of the team's work. While a profile is open,
 * every chunk's CPU time is taken on the thread that runs it (CPU time, not wall time, so 16
 * threads sharing 2 cores still measure each chunk's own work), and so is the calling
 * thread's work outside the team (allocation, autograd bookkeeping, ops too small to split).
 * With one core per thread, an op ends when its longest chunk does, so
 * <pre>projected = serial + Σ_ops max_chunk</pre>
 * while perfectly balanced ops would give {@code serial + Σ_ops Σ_chunks / threads}. The gap
 * between the two is the time threads idle because an op has too few chunks (fewer images
 * than threads) or unequal ones. The projection leaves out what cores share (memory
 * bandwidth, L3) and the team's hand-off costs, so it is a lower bound on a real machine's
 * time and a guide to where threads wait, not a measurement of one.
 */
public final class ParallelProfile {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Read by the team for each op: whether to time its chunks. */
    static volatile boolean active;

    private static Thread caller;
    private static long callerStart, callerInOps, ops, critical, work;

    private ParallelProfile() {}

    /**
     * Totals of a profile: the calling thread's own CPU time outside the team's ops
     * ({@code serialNanos}), and over the ops, the sum of their longest chunks and of all
     * their chunks.
     */
    public record Projection(int threads, long ops, long serialNanos, long criticalNanos, long workNanos) {
        /** Seconds on {@code threads} cores, if each op lasted as long as its longest chunk. */
        public double seconds() {
            return (serialNanos + criticalNanos) / 1e9;
        }

        /** Seconds if every op's work were spread evenly over the threads. */
        public double balancedSeconds() {
            return (serialNanos + (double) workNanos / threads) / 1e9;
        }
    }

    /** Starts a profile of the ops the calling thread issues from now on (and resets any open one). */
    public static synchronized void start() {
        if (!MX.isCurrentThreadCpuTimeSupported()) throw new UnsupportedOperationException("ParallelProfile: this JVM cannot measure thread CPU time");
        if (!MX.isThreadCpuTimeEnabled()) MX.setThreadCpuTimeEnabled(true);
        caller = Thread.currentThread();
        callerInOps = ops = critical = work = 0;
        callerStart = cpu();
        active = true;
    }

    /** Ends the profile the calling thread started, and returns its totals. */
    public static synchronized Projection stop() {
        if (caller != Thread.currentThread()) throw new IllegalStateException("ParallelProfile.stop: no profile started on this thread");
        active = false;
        caller = null;
        return new Projection(Parallel.threads(), ops, cpu() - callerStart - callerInOps, critical, work);
    }

    /** This thread's CPU time in nanoseconds. */
    static long cpu() {
        return MX.getCurrentThreadCpuTime();
    }

    /** Adds one op: its chunks' CPU times, and the CPU time its caller spent in it (chunks and waiting). */
    static synchronized void record(long[] chunkNanos, long callerNanos) {
        if (!active || Thread.currentThread() != caller) return; // another thread's op, or the profile ended meanwhile
        long max = 0, sum = 0;
        for (long t : chunkNanos) {
            max = Math.max(max, t);
            sum += t;
        }
        ops++;
        critical += max;
        work += sum;
        callerInOps += callerNanos;
    }
}
