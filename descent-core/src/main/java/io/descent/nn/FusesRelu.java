package io.descent.nn;

import io.descent.tensor.Tensor;

/**
 * A layer that can compute {@code relu(forward(x))} in one op (one output array, one pass
 * less, one backward node): {@link Sequential} calls {@link #forwardRelu} for such a layer
 * followed by {@link Activation#relu()}. The values and gradients are those of the two layers
 * run one after the other.
 */
public interface FusesRelu {
    /** {@code relu(forward(x))}. */
    Tensor forwardRelu(Tensor x);

    /**
     * Whether {@link #forwardRelu} may stand in for {@code forward} followed by a ReLU: false
     * for a subclass, whose own {@code forward} must run.
     */
    boolean fusesRelu();

    /** Whether {@code layer} followed by {@code next} runs as {@code layer.forwardRelu} ({@code next} may be null). */
    static boolean fuses(Module layer, Module next) {
        return layer instanceof FusesRelu f && f.fusesRelu() && next instanceof Activation a && a.isRelu();
    }
}
