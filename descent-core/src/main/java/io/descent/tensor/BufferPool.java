package io.descent.tensor;

import java.util.ArrayDeque;
import java.util.HashMap;
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
 * the backward pass and never handed out by {@link Tensor#grad()} (see {@link Tensor#zeroGrad()}),
 * and an activation inside a chain of known layers once the next layer has read it and no
 * autograd node still needs it ({@code nn.Intermediates}, {@code autograd.SavedArrays}); the ops
 * that make large activations take their output arrays here. Only arrays that user code
 * cannot reach are ever given back.
 *
 * <p>Arrays below {@link #MIN_LENGTH} are not pooled (the JVM's thread-local allocation is
 * cheaper than a lookup); the pool holds at most an eighth of the maximum heap and drops what
 * would exceed it. An array from {@link #take} holds stale values: callers overwrite every
 * element (a kernel that accumulates zeroes its output first). Thread-safe.
 */
public final class BufferPool {
    /** Shortest array worth pooling (128 KiB). */
    public static final int MIN_LENGTH = 1 << 15;

    private static final long CAP_BYTES = Runtime.getRuntime().maxMemory() / 8;
    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    private static long pooledBytes;

    private BufferPool() {}

    /** An array of {@code n} floats with unspecified contents. */
    public static float[] take(int n) {
        if (n >= MIN_LENGTH) {
            synchronized (FREE) {
                ArrayDeque<float[]> q = FREE.get(n);
                float[] a = q == null ? null : q.poll();
                if (a != null) {
                    pooledBytes -= 4L * n;
                    return a;
                }
            }
        }
        return new float[n];
    }

    /** Hands {@code a} back for reuse; the caller must hold the only reference to it. */
    public static void give(float[] a) {
        if (a.length < MIN_LENGTH) return;
        synchronized (FREE) {
            if (pooledBytes + 4L * a.length > CAP_BYTES) return;
            FREE.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
            pooledBytes += 4L * a.length;
        }
    }

    /** Bytes held for reuse now. */
    public static long pooledBytes() {
        synchronized (FREE) {
            return pooledBytes;
        }
    }

    /** Drops every pooled array (for tests, and before measuring memory). */
    public static void clear() {
        synchronized (FREE) {
            FREE.clear();
            pooledBytes = 0;
        }
    }
}
