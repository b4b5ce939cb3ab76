package io.descent.autograd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Honest memory accounting of the tape: the bytes of every array an op keeps for its
 * backward pass. Bytes are added when a node saves them and removed when backward frees the
 * node (or the garbage collector reclaims a graph that never ran backward). The peak is what
 * gradient checkpointing is judged by; {@link #resetPeak()} starts a new measurement.
 */
public final class SavedTensors {
    private static final AtomicLong CURRENT = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();

    private SavedTensors() {}

    /** Bytes currently held by live tape nodes. */
    public static long currentBytes() {
        return CURRENT.get();
    }

    /** Highest {@link #currentBytes()} seen since the last reset. */
    public static long peakBytes() {
        return PEAK.get();
    }

    /** Starts a new peak measurement from the current level. */
    public static void resetPeak() {
        PEAK.set(CURRENT.get());
    }

    static void add(long bytes) {
        long now = CURRENT.addAndGet(bytes);
        PEAK.accumulateAndGet(now, Math::max);
    }

    static void remove(long bytes) {
        CURRENT.addAndGet(-bytes);
    }
}
