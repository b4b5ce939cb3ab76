package io.descent.train;

import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A module that stands in for another under the same names: it registers the other's own
 * parameters, own buffers and children (the same objects) under the same names, in the same
 * order. Its state_dict therefore has exactly the keys, order and tensors of the module it
 * mirrors, so putting checkpointing in a model never changes a parameter path ("wrappers never
 * change parameter paths", as PyTorch's {@code checkpoint_sequential} leaves names alone) and
 * weights load into, and save from, the checkpointed model unchanged.
 *
 * <p>The children are shared, not copied: training the stand-in trains the mirrored module.
 * A child replaced later through the stand-in ({@code set("layer1.0", ...)}) is carried over
 * to the mirrored module by {@link #syncChildren()} before it runs.
 */
abstract class CheckpointMirror extends Module {
    /** The module whose members this one shares. */
    protected final Module mirrored;

    CheckpointMirror(Module mirrored) {
        this.mirrored = mirrored;
        // Module.train, not the override: with no children yet it sets only this module's flag
        super.train(mirrored.isTraining());
        Set<Tensor> params = Collections.newSetFromMap(new IdentityHashMap<>());
        params.addAll(mirrored.parameters());
        for (Map.Entry<String, Tensor> e : mirrored.stateDict().entrySet()) {
            String name = e.getKey();
            if (name.contains(".")) continue; // a descendant's member, shared through the children
            Tensor t = e.getValue();
            if (params.contains(t)) {
                boolean frozen = !t.requiresGrad();
                registerParameter(name, t);
                if (frozen) t.requiresGrad(false); // registration must not unfreeze a frozen parameter
            } else {
                registerBuffer(name, t);
            }
        }
        for (Map.Entry<String, Module> c : mirrored.children().entrySet()) registerModule(c.getKey(), c.getValue());
    }

    /** Sets the mode of the shared children and of the mirrored module itself. */
    @Override
    public Module train(boolean on) {
        super.train(on);
        mirrored.train(on);
        return this;
    }

    /** Carries children replaced through this module over to the mirrored one. */
    protected final void syncChildren() {
        Map<String, Module> theirs = mirrored.children();
        for (Map.Entry<String, Module> c : children().entrySet()) {
            if (theirs.get(c.getKey()) != c.getValue()) mirrored.set(c.getKey(), c.getValue());
        }
    }
}
