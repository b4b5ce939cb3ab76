package io.descent.bench;

import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 FMA peak of this machine, measured: each of {@code threads} threads runs
 * {@link #chains} (nothing but independent vector FMAs, no memory traffic) for the same wall
 * time, and the peak is their flops over that time. The GEMM bench reports its figures as a
 * share of this, so "% of peak" is of the machine it ran on (CPUs differ in FMA units, vector
 * width and clock), not of a figure written down for another one.
 */
public final class FmaPeak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * Independent accumulators per thread: an FMA's latency (4–5 cycles) times the FMA units
     * (2) is at most 10 in flight, so 12 keep every unit busy, and they fit in registers beside
     * the constant even where there are only 16 (AVX2; 24 chains were spilled to the stack there
     * and measured half the peak).
     */
    static final int CHAINS = 12;
    /** Timed samples per thread. */
    static final int SAMPLES = 5;
    /** Running time of the chains before any thread starts, so that they run compiled. */
    private static final long JIT_WARMUP_NANOS = 100_000_000L;
    /** Iterations of the chains between two looks at the clock. */
    private static final int BATCH = 1 << 16;
    /** The chains' multiplier and addend, 1: a field, not a constant, so the compiler cannot fold the FMA into an add. */
    static float unit = 1f;

    private FmaPeak() {}

    /**
     * GFLOPS of {@code threads} cores running FMAs for about {@code nanos}: each thread's rate is
     * the best of {@value #SAMPLES} samples (the least disturbed by other processes), after the
     * chains have been compiled and run untimed for a quarter of the time.
     */
    public static double gflops(int threads, long nanos) {
        if (threads < 1 || nanos < 1) throw new IllegalArgumentException("FmaPeak: threads and time must be positive, got " + threads + ", " + nanos);
        float[] warm = new float[S.length()];
        for (long end = System.nanoTime() + JIT_WARMUP_NANOS; System.nanoTime() < end; ) chains(BATCH, warm);
        double[] best = new double[threads];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] team = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            team[t] = new Thread(() -> {
                float[] sink = new float[S.length()];
                await(start);
                for (long end = System.nanoTime() + nanos / 4; System.nanoTime() < end; ) chains(BATCH, sink);
                for (int s = 0; s < SAMPLES; s++) {
                    long t0 = System.nanoTime(), n = 0;
                    do {
                        chains(BATCH, sink);
                        n += BATCH;
                    } while (System.nanoTime() - t0 < nanos / SAMPLES);
                    best[id] = Math.max(best[id], flopsPerIteration() * n / (System.nanoTime() - t0));
                }
            }, "fma-peak-" + t);
            team[t].start();
        }
        start.countDown();
        double total = 0;
        for (int t = 0; t < threads; t++) {
            join(team[t]);
            total += best[t];
        }
        return total;
    }

    /** Floating-point operations of one iteration of {@link #chains}: one FMA (2 flops) per lane per chain. */
    static double flopsPerIteration() {
        return 2.0 * CHAINS * S.length();
    }

    /**
     * {@code n} rounds of {@value #CHAINS} independent {@code acc = acc·1 + 1} chains from 0 (exact
     * up to 2^24), their sum over chains written to {@code sink} so that none of it is dead code:
     * each lane of {@code sink} ends up holding {@code CHAINS·n}.
     */
    static void chains(int n, float[] sink) {
        FloatVector one = FloatVector.broadcast(S, unit);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < n; i++) {
            c0 = c0.fma(one, one); c1 = c1.fma(one, one); c2 = c2.fma(one, one); c3 = c3.fma(one, one);
            c4 = c4.fma(one, one); c5 = c5.fma(one, one); c6 = c6.fma(one, one); c7 = c7.fma(one, one);
            c8 = c8.fma(one, one); c9 = c9.fma(one, one); c10 = c10.fma(one, one); c11 = c11.fma(one, one);
        }
        c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).intoArray(sink, 0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("FmaPeak: interrupted while measuring", e);
        }
    }
}
