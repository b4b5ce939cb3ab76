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
 * Float arrays nothing can read any more, kept for the next array of the same length (and int
 * arrays the same way: max pooling's argmax positions, saved for backward).
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
    /** Pooled entries by {@link #key}: element type and length. */
    private static final Map<Long, ArrayDeque<Entry>> FREE = new HashMap<>();
    /** Every pooled entry, oldest given first: what a give that would pass the cap evicts. */
    private static final LinkedHashSet<Entry> ORDER = new LinkedHashSet<>();
    /** Entries whose array the GC took back, to uncount. */
    private static final ReferenceQueue<Object> CLEARED = new ReferenceQueue<>();
    private static long pooledBytes, misses;

    /**
     * A pooled float[] or int[] (4 bytes an element either way), softly held; remembers its key
     * and size for when the GC clears it.
     */
    private static final class Entry extends SoftReference<Object> {
        final long key, bytes;

        Entry(Object a, int length, boolean ints) {
            super(a, CLEARED);
            key = key(length, ints);
            bytes = 4L * length;
        }
    }

    private BufferPool() {}

    private static long key(int length, boolean ints) {
        return 2L * length + (ints ? 1 : 0);
    }

    /** An array of {@code n} floats with unspecified contents. */
    public static float[] take(int n) {
        return n >= MIN_LENGTH && reuse(key(n, false)) instanceof float[] a ? a : new float[n];
    }

    /** An array of {@code n} ints with unspecified contents. */
    public static int[] takeInts(int n) {
        return n >= MIN_LENGTH && reuse(key(n, true)) instanceof int[] a ? a : new int[n];
    }

    /**
     * Hands {@code a} back for reuse; the caller must hold the only reference to it. Where it
     * would take the pool past its cap, the arrays given longest ago make room: those of a model
     * or batch size no longer run, rather than the next step's.
     */
    public static void give(float[] a) {
        keep(a, a.length, false);
    }

    /** {@link #give(float[])} for an int array. */
    public static void give(int[] a) {
        keep(a, a.length, true);
    }

    /** A pooled array under {@code key}, removed from the pool, or null (a miss). */
    private static Object reuse(long key) {
        synchronized (FREE) {
            uncountCleared();
            ArrayDeque<Entry> q = FREE.get(key);
            for (Entry e; q != null && (e = q.poll()) != null; ) {
                ORDER.remove(e);
                pooledBytes -= e.bytes;
                Object a = e.get();
                if (a != null) { // else the GC cleared it, and the queue has not yet said so
                    e.clear();
                    return a;
                }
            }
            misses++;
            return null;
        }
    }

    private static void keep(Object a, int length, boolean ints) {
        if (length < MIN_LENGTH) return;
        synchronized (FREE) {
            if (4L * length > capBytes) return;
            uncountCleared();
            for (Iterator<Entry> it = ORDER.iterator(); pooledBytes + 4L * length > capBytes; ) {
                Entry old = it.next();
                it.remove();
                FREE.get(old.key).remove(old);
                old.clear();
                pooledBytes -= old.bytes;
            }
            Entry e = new Entry(a, length, ints);
            FREE.computeIfAbsent(e.key, k -> new ArrayDeque<>()).push(e);
            ORDER.add(e);
            pooledBytes += e.bytes;
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

    /**
     * For tests: writes {@code v} into every pooled float array and {@code i} into every pooled
     * int array, the stale values a taker must not read.
     */
    static void fillPooled(float v, int i) {
        synchronized (FREE) {
            for (ArrayDeque<Entry> q : FREE.values()) {
                for (Entry e : q) {
                    if (e.get() instanceof float[] a) java.util.Arrays.fill(a, v);
                    if (e.get() instanceof int[] a) java.util.Arrays.fill(a, i);
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
        for (Reference<?> r; (r = CLEARED.poll()) != null; ) {
            Entry e = (Entry) r;
            ArrayDeque<Entry> q = FREE.get(e.key);
            if (q != null && q.remove(e)) {
                ORDER.remove(e);
                pooledBytes -= e.bytes;
            }
        }
    }
}
