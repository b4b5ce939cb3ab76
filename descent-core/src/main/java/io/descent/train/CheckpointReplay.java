package io.descent.train;

import io.descent.nn.Dropout;
import io.descent.nn.Module;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The state a segment's forward pass reads and changes besides its input and parameters: the
 * generators of its {@link Dropout} layers and its buffers (batch-norm running statistics and
 * {@code num_batches_tracked}). A checkpoint captures it before the first run; the
 * recomputation in backward restores it, runs, and then puts back the state it found, so the
 * recomputation draws the same dropout masks and leaves no trace: running statistics are
 * updated exactly once per forward, and later forward passes draw the masks they would have
 * drawn without checkpointing.
 *
 * <p>PyTorch's {@code torch.utils.checkpoint} saves and restores the global RNG state the same
 * way ({@code preserve_rng_state=True}); it does not restore buffers, so there a recomputed
 * batch norm updates its running statistics twice. Restoring every buffer of the segment is
 * generic (any module that updates state in forward) and costs a copy of the buffers, which
 * for batch norm is two floats per channel.
 */
final class CheckpointReplay {
    private final List<Rng> rngs;
    private final List<long[]> rngStates;
    private final List<Tensor> buffers;
    private final List<float[]> values;

    private CheckpointReplay(List<Rng> rngs, List<Tensor> buffers) {
        this.rngs = rngs;
        this.buffers = buffers;
        this.rngStates = new ArrayList<>(rngs.size());
        for (Rng r : rngs) rngStates.add(r.state());
        this.values = new ArrayList<>(buffers.size());
        for (Tensor b : buffers) values.add(b.data().clone());
    }

    /** The current generator states and buffer values of {@code modules} and their descendants. */
    static CheckpointReplay capture(List<? extends Module> modules) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Rng> rngs = new ArrayList<>();
        List<Tensor> buffers = new ArrayList<>();
        for (Module root : modules) {
            for (Module m : root.namedModules().values()) {
                if (m instanceof Dropout d && seen.add(d.rng())) rngs.add(d.rng());
            }
            for (Tensor b : root.namedBuffers().values()) if (seen.add(b)) buffers.add(b);
        }
        return new CheckpointReplay(rngs, buffers);
    }

    /** The state as it is now, of the same generators and buffers (to put back after a replay). */
    CheckpointReplay current() {
        return new CheckpointReplay(rngs, buffers);
    }

    /** Writes the captured state back into the generators and buffers. */
    void restore() {
        for (int i = 0; i < rngs.size(); i++) rngs.get(i).restore(rngStates.get(i));
        for (int i = 0; i < buffers.size(); i++) {
            float[] v = values.get(i);
            System.arraycopy(v, 0, buffers.get(i).data(), 0, v.length);
        }
    }

    /** Bytes this snapshot keeps (counted on the tape like any saved array). */
    long bytes() {
        long n = 24L * rngs.size();
        for (float[] v : values) n += 4L * v.length;
        return n;
    }
}
