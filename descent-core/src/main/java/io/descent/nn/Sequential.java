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

    /**
     * Runs the children in order; a {@link FusesRelu} layer followed by {@link Activation#relu()}
     * runs as one fused op (same values and gradients, one array and one pass fewer).
     */
    @Override
    public Tensor forward(Tensor x) {
        Module[] layers = children().values().toArray(Module[]::new);
        for (int i = 0; i < layers.length; i++) {
            if (i + 1 < layers.length && FusesRelu.fuses(layers[i], layers[i + 1])) {
                x = ((FusesRelu) layers[i]).forwardRelu(x);
                i++;
            } else {
                x = layers[i].forward(x);
            }
        }
        return x;
    }
}
