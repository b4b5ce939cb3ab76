package io.descent.autograd;

import io.descent.tensor.Tensor;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded op on the tape. A node points to the nodes of its inputs ({@link #next}; a
 * leaf that requires grad is reached through its {@link AccumulateGrad}), never to the input
 * tensors themselves, so activations that backward does not need are free to be collected.
 * What backward needs is kept through {@link #save}, which the tape counts in
 * {@link SavedTensors}; backward frees it unless the graph is retained.
 */
public abstract class Node {
    private static final Cleaner CLEANER = Cleaner.create();

    final Node[] next;
    private Tensor[] saved = new Tensor[0];
    private final AtomicLong savedBytes = new AtomicLong();
    private boolean released;

    /** @param inputs the op's inputs, in the order {@link #backward} returns their gradients */
    protected Node(Tensor... inputs) {
        next = new Node[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t != null && t.requiresGrad()) next[i] = t.gradFn() != null ? t.gradFn() : t.gradAccumulator();
        }
    }

    /**
     * Gradients of the loss with respect to each input, given the gradient of the output.
     * An entry may be null where {@link #needsGrad(int)} is false. Runs with recording off.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** A short name for errors and debugging, e.g. {@code "MatMulBackward"}. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Whether input {@code i} wants a gradient (lets backward skip work). */
    protected final boolean needsGrad(int i) {
        return next[i] != null;
    }

    /**
     * Keeps tensors for backward and counts their bytes on the tape. Parameters (leaves that
     * require grad) are not counted: the model holds them whether or not the tape does.
     */
    protected final void save(Tensor... tensors) {
        saved = tensors.clone();
        long bytes = 0;
        for (Tensor t : tensors) {
            if (t == null) continue;
            if (!(t.isLeaf() && t.requiresGrad())) bytes += 4L * t.numel();
            SavedArrays.retain(t.data());
        }
        account(bytes);
    }

    /** Counts other arrays a node keeps (e.g. max-pool indices, dropout masks). */
    protected final void account(long bytes) {
        if (bytes == 0) return;
        boolean first = savedBytes.get() == 0;
        savedBytes.addAndGet(bytes);
        SavedTensors.add(bytes);
        if (first) {
            AtomicLong counter = savedBytes;
            CLEANER.register(this, () -> SavedTensors.remove(counter.getAndSet(0)));
        }
    }

    /** The i-th tensor passed to {@link #save}. */
    protected final Tensor saved(int i) {
        if (released) {
            throw new IllegalStateException(name() + ": its saved tensors were freed by an earlier backward();"
                    + " call backward(grad, true) to retain the graph");
        }
        return saved[i];
    }

    final void release() {
        released = true;
        for (Tensor t : saved) if (t != null) SavedArrays.release(t.data());
        saved = null;
        SavedTensors.remove(savedBytes.getAndSet(0));
        releaseExtra();
    }

    /** Subclasses that keep extra arrays drop them here. */
    protected void releaseExtra() {}

    final boolean isReleased() {
        return released;
    }
}
