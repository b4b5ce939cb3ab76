package io.descent.kernels;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Float arrays nothing can read any more, kept for the next array of the same length.
 *
 * <p>Why: a training step allocates every activation gradient afresh, and on the JVM each new
 * large array is zeroed and, while the heap grows, lands on pages never touched before (a page
 * fault per 4 KiB). G1 grows the heap rather than collect when a large ("humongous") array
 * does not fit, so a step that throws away 1.5 GB of gradients walks over gigabytes of fresh
 * memory (W5 of issue 8: 4–6 s per step, 3.4 s once the memory is warm). PyTorch's allocator
 * reuses freed blocks; this pool does the same for the arrays the autograd engine can prove
 * dead: an intermediate gradient that the engine owns, once the node that consumed it returns
 * (see {@code Autograd.backward}), a leaf's gradient when it is cleared, if it was made by
 * the backward pass and never handed out by {@code Tensor.grad()} (see {@code Tensor.zeroGrad()}),
 * and an activation inside a chain of known layers once the next layer has read it and no
 * autograd node still needs it ({@code nn.Intermediates}, {@code autograd.SavedArrays}); the ops
 * that make large activations take their output arrays here. Only arrays that user code
 * cannot reach are ever given back.
 *
 * <p>Arrays below {@link #MIN_LENGTH} are not pooled (the JVM's thread-local allocation is
 * cheaper than a lookup). The pool holds at most half the maximum heap, evicting the arrays
 * given longest ago to stay within it, and holds them softly, as PyTorch's caching allocator
 * keeps freed blocks until an allocation fails: the GC takes pooled arrays back before it
 * would throw {@link OutOfMemoryError}, so the pool can never be why a run fails, yet keeps
 * them while the heap has room (HotSpot clears a soft reference unused for longer than a
 * second per free MiB). A vgg16 training step at batch 8 cycles through ~1.7 GB of
 * activations and gradients (its first classifier layer's weight gradient alone is 411 MB):
 * under a cap of a quarter of the default 6 GB heap, ~800 MB of them were allocated afresh
 * every step; under half, none. An array from {@link #take} holds stale
 * values: callers overwrite every element (a kernel that accumulates zeroes its output first).
 * Thread-safe.
 */
public final class BufferPool {
    /** Shortest array worth pooling (128 KiB). */
    public static final int MIN_LENGTH = 1 << 15;

    private static long capBytes = Runtime.getRuntime().maxMemory() / 2;
    private static final Map<Integer, ArrayDeque<Entry>> FREE = new HashMap<>();
    /** Every pooled entry, oldest given first: what a give that would pass the cap evicts. */
    private static final LinkedHashSet<Entry> ORDER = new LinkedHashSet<>();
    /** Entries whose array the GC took back, to uncount. */
    private static final ReferenceQueue<float[]> CLEARED = new ReferenceQueue<>();
    private static long pooledBytes, misses;

    /** A pooled array, softly held; remembers its size for when the GC clears it. */
    private static final class Entry extends SoftReference<float[]> {
        final long bytes;

        Entry(float[] a) {
            super(a, CLEARED);
            bytes = 4L * a.length;
        }
    }

    private BufferPool() {}

    /** An array of {@code n} floats with unspecified contents. */
    public static float[] take(int n) {
        if (n >= MIN_LENGTH) {
            synchronized (FREE) {
                uncountCleared();
                ArrayDeque<Entry> q = FREE.get(n);
                for (Entry e; q != null && (e = q.poll()) != null; ) {
                    ORDER.remove(e);
                    pooledBytes -= e.bytes;
                    float[] a = e.get();
                    if (a != null) { // else the GC cleared it, and the queue has not yet said so
                        e.clear();
                        return a;
                    }
                }
                misses++;
            }
        }
        return new float[n];
    }

    /**
     * Hands {@code a} back for reuse; the caller must hold the only reference to it. Where it
     * would take the pool past its cap, the arrays given longest ago make room: those of a model
     * or batch size no longer run, rather than the next step's.
     */
    public static void give(float[] a) {
        if (a.length < MIN_LENGTH) return;
        synchronized (FREE) {
            if (4L * a.length > capBytes) return;
            uncountCleared();
            for (Iterator<Entry> it = ORDER.iterator(); pooledBytes + 4L * a.length > capBytes; ) {
                Entry old = it.next();
                it.remove();
                FREE.get((int) (old.bytes / 4)).remove(old);
                old.clear();
                pooledBytes -= old.bytes;
            }
            Entry e = new Entry(a);
            FREE.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(e);
            ORDER.add(e);
            pooledBytes += 4L * a.length;
        }
    }

    /** Bytes held for reuse now (those the GC has not taken back). */
    public static long pooledBytes() {
        synchronized (FREE) {
            uncountCleared();
            return pooledBytes;
        }
    }

    /** Takes of a poolable length that found no array and allocated one, since the start or {@link #clear}. */
    public static long misses() {
        synchronized (FREE) {
            return misses;
        }
    }

    /** For tests: sets the cap (bytes), evicting nothing until the next give; returns the previous one. */
    static long setCap(long bytes) {
        synchronized (FREE) {
            long before = capBytes;
            capBytes = bytes;
            return before;
        }
    }

    /** For tests: writes {@code v} into every pooled array, the stale values a taker must not read. */
    static void fillPooled(float v) {
        synchronized (FREE) {
            for (ArrayDeque<Entry> q : FREE.values()) {
                for (Entry e : q) {
                    float[] a = e.get();
                    if (a != null) java.util.Arrays.fill(a, v);
                }
            }
        }
    }

    /** Drops every pooled array (for tests, and before measuring memory). */
    public static void clear() {
        synchronized (FREE) {
            FREE.clear();
            ORDER.clear();
            pooledBytes = 0;
            misses = 0;
        }
    }

    /** Uncounts and drops the entries whose arrays the GC took back since the last call. */
    private static void uncountCleared() {
        for (Reference<? extends float[]> r; (r = CLEARED.poll()) != null; ) {
            Entry e = (Entry) r;
            ArrayDeque<Entry> q = FREE.get((int) (e.bytes / 4));
            if (q != null && q.remove(e)) {
                ORDER.remove(e);
                pooledBytes -= e.bytes;
            }
        }
    }
}
