package io.descent.autograd;

import io.descent.kernels.BufferPool;
import io.descent.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The gradient arrays one backward pass made, each with the number of pending gradients that
 * hold it, so that an array goes back to {@link BufferPool} when the last of them has been
 * consumed, and is added into in place only while one holds it. A node's backward may hand
 * one array to several inputs (add+ReLU returns the masked gradient for both of its inputs;
 * add passes its incoming gradient on to both): counted once per input, it goes back after
 * both have run, where an owner-or-nothing rule would leave it to the GC (16 activation-sized
 * arrays per ResNet-50 step, one per residual block).
 *
 * <p>An array a node's backward returns is the engine's when it is not the array of the
 * incoming gradient (a pass-through or a view of it, which stays the engine's only if the
 * incoming one was). The caller's output gradient is never the engine's.
 */
final class GradientArrays {
    /** Per array: {pending gradients holding it, 1 when it came from the pool}. */
    private final Map<float[], int[]> held = new IdentityHashMap<>();

    /** Counts {@code t}, returned by a node's backward on {@code incoming}, as held by one more pending gradient. */
    void hold(Tensor t, Tensor incoming) {
        int[] c = held.get(t.data());
        if (c != null) {
            c[0]++;
        } else if (t.data() != incoming.data()) {
            held.put(t.data(), new int[] {1, t.isRecyclable() ? 1 : 0});
        }
    }

    /** Whether {@code t}'s array is the engine's and held by one pending gradient only: it may be written. */
    boolean isSole(Tensor t) {
        int[] c = held.get(t.data());
        return c != null && c[0] == 1;
    }

    /** {@code t} was consumed: one holder less; at none, its array goes back to the pool if it came from there. */
    void drop(Tensor t) {
        int[] c = held.get(t.data());
        if (c == null || --c[0] > 0) return;
        held.remove(t.data());
        if (c[1] == 1) BufferPool.give(t.data());
    }

    /** {@code t}'s array was adopted by a leaf as its {@code .grad}: no longer the engine's. */
    void handOver(Tensor t) {
        held.remove(t.data());
    }

    /** A copy of {@code t} in an array of the engine's (from the pool), held once. */
    Tensor copy(Tensor t) {
        Tensor c = Tensor.recyclable(t.shape());
        System.arraycopy(t.data(), 0, c.data(), 0, c.numel());
        held.put(c.data(), new int[] {1, 1});
        return c;
    }
}
