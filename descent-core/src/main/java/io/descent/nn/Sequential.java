package io.descent.nn;

import io.descent.tensor.Tensor;

/** Runs its children in order; they are named "0", "1", ... as in PyTorch. */
public class Sequential extends Module {
    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a layer under the next index. */
    public final Sequential add(Module m) {
        registerModule(Integer.toString(children().size()), m);
        return this;
    }

    /** Appends a layer under a name of its own (PyTorch's OrderedDict form). */
    public final Sequential add(String name, Module m) {
        registerModule(name, m);
        return this;
    }

    public final int size() {
        return children().size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : children().values()) x = m.forward(x);
        return x;
    }
}
