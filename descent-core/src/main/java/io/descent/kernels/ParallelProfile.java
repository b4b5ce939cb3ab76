package io.descent.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private static long callerStart, callerInOps, ops, critical, work, allocatedStart;
    private static final Map<String, Site> SITES = new HashMap<>();

    private ParallelProfile() {}

    /**
     * Totals of a profile: the calling thread's own CPU time outside the team's ops
     * ({@code serialNanos}), and over the ops, the sum of their longest chunks and of all
     * their chunks; the bytes the calling thread allocated (which the JVM zeroes on that
     * thread: much of the serial time of a training step; -1 where the JVM does not say).
     */
    public record Projection(int threads, long ops, long serialNanos, long criticalNanos, long workNanos, List<Site> sites, long callerAllocatedBytes) {
        /** Seconds on {@code threads} cores, if each op lasted as long as its longest chunk. */
        public double seconds() {
            return (serialNanos + criticalNanos) / 1e9;
        }

        /** Seconds if every op's work were spread evenly over the threads. */
        public double balancedSeconds() {
            return (serialNanos + (double) workNanos / threads) / 1e9;
        }
    }

    /**
     * The ops issued from one place in the code (the first caller outside this package's
     * team, e.g. {@code ConvKernels.backwardData:152}): how many, their longest chunks and all
     * their chunks, in nanoseconds.
     */
    public record Site(String where, long ops, long criticalNanos, long workNanos) {
        /** Nanoseconds these ops add to the projection beyond perfectly split ones on {@code threads}. */
        public double waitNanos(int threads) {
            return criticalNanos - (double) workNanos / threads;
        }
    }

    /** The sites of a projection, most waiting first. */
    public static List<Site> byWaiting(Projection p) {
        List<Site> sorted = new ArrayList<>(p.sites());
        sorted.sort(Comparator.comparingDouble((Site x) -> -x.waitNanos(p.threads())));
        return sorted;
    }

    /** Starts a profile of the ops the calling thread issues from now on (and resets any open one). */
    public static synchronized void start() {
        if (!MX.isCurrentThreadCpuTimeSupported()) throw new UnsupportedOperationException("ParallelProfile: this JVM cannot measure thread CPU time");
        if (!MX.isThreadCpuTimeEnabled()) MX.setThreadCpuTimeEnabled(true);
        caller = Thread.currentThread();
        callerInOps = ops = critical = work = 0;
        SITES.clear();
        allocatedStart = allocated();
        callerStart = cpu();
        active = true;
    }

    /** Ends the profile the calling thread started, and returns its totals. */
    public static synchronized Projection stop() {
        if (caller != Thread.currentThread()) throw new IllegalStateException("ParallelProfile.stop: no profile started on this thread");
        active = false;
        caller = null;
        long serial = cpu() - callerStart - callerInOps, bytes = allocated();
        return new Projection(Parallel.threads(), ops, serial, critical, work, List.copyOf(SITES.values()), bytes < 0 ? -1 : bytes - allocatedStart);
    }

    /** Bytes this thread has allocated so far, or -1. */
    private static long allocated() {
        return MX instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported() ? sun.getCurrentThreadAllocatedBytes() : -1;
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
        long t = cpu();
        String where = site();
        callerInOps += callerNanos + cpu() - t; // the profile's own bookkeeping is not the program's serial work
        Site old = SITES.getOrDefault(where, new Site(where, 0, 0, 0));
        SITES.put(where, new Site(where, old.ops() + 1, old.criticalNanos() + max, old.workNanos() + sum));
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    /**
     * Where the op was issued: the first frame outside the team's code, and the first outside
     * the kernels package (the op or layer that called the kernel), e.g.
     * {@code "ConvKernels.backwardWeight:245 < Conv$ConvBackward.backward:180"}.
     */
    private static String site() {
        String kernels = Parallel.class.getPackageName() + ".";
        List<StackWalker.StackFrame> frames = WALKER.walk(st -> st
                .filter(f -> !isTeam(f.getClassName()))
                .limit(24).toList());
        if (frames.isEmpty()) return "?";
        String issuer = name(frames.get(0));
        for (StackWalker.StackFrame f : frames) if (!f.getClassName().startsWith(kernels)) return f == frames.get(0) ? issuer : issuer + " < " + name(f);
        return issuer;
    }

    /** Parallel, its nested classes, and this class. */
    private static boolean isTeam(String className) {
        String parallel = Parallel.class.getName();
        return className.equals(parallel) || className.startsWith(parallel + "$") || className.equals(ParallelProfile.class.getName());
    }

    private static String name(StackWalker.StackFrame f) {
        return f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName() + ":" + f.getLineNumber();
    }
}
