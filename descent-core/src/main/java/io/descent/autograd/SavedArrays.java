package io.descent.autograd;

import io.descent.kernels.BufferPool;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * How many live autograd nodes saved each large array, so that an activation the forward pass
 * is done with goes back to {@link BufferPool} as soon as the last node that saved it has run
 * backward (or at once, when none did): PyTorch frees it then through its reference count.
 *
 * <p>{@link Node#save} counts an array once per saved tensor that holds it (a tensor and its
 * {@code detach()} share one), and {@link Node}'s release after backward uncounts it. Only the
 * caller of {@link #giveBack} knows that nothing outside the tape holds the array
 * ({@code nn.Intermediates} does, for activations inside a chain of known layers). A graph that
 * never runs backward, or keeps its saved tensors ({@code retainGraph}), never releases its
 * count, and its arrays are left to the GC. Keys are weak: an array the GC reclaims drops out.
 * Thread-safe.
 */
public final class SavedArrays {
    /** Per array: {saves, 1 when it is to go back once the saves reach 0}. */
    private static final Map<float[], int[]> COUNTS = new WeakHashMap<>();

    private SavedArrays() {}

    static void retain(float[] a) {
        if (a.length < BufferPool.MIN_LENGTH) return;
        synchronized (COUNTS) {
            COUNTS.computeIfAbsent(a, k -> new int[2])[0]++;
        }
    }

    static void release(float[] a) {
        if (a.length < BufferPool.MIN_LENGTH) return;
        synchronized (COUNTS) {
            int[] c = COUNTS.get(a);
            if (c == null || --c[0] > 0) return;
            COUNTS.remove(a);
            if (c[1] == 1) BufferPool.give(a);
        }
    }

    /**
     * Hands {@code a} back to {@link BufferPool} now if no live node saved it, else when the last
     * one is released. The caller must know that nothing but the tape can still reach it, and call
     * this once per array.
     */
    public static void giveBack(float[] a) {
        if (a.length < BufferPool.MIN_LENGTH) return;
        synchronized (COUNTS) {
            int[] c = COUNTS.get(a);
            if (c == null) {
                BufferPool.give(a);
            } else {
                c[1] = 1;
            }
        }
    }
}
