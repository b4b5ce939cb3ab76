package io.descent.nn;

import io.descent.nn.init.Init;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/** Inverted dropout in training mode, identity in eval mode (PyTorch's nn.Dropout, p = 0.5). */
public class Dropout extends Module {
    public final float p;
    private final Rng rng;

    public Dropout() {
        this(0.5f);
    }

    public Dropout(float p) {
        this(p, Init.generator().fork());
    }

    /** The mask generator is the layer's own, so a run replays its masks from the seed. */
    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        this.p = p;
        this.rng = rng;
    }

    /** The generator that draws the masks (checkpointing saves and restores its state). */
    public Rng rng() {
        return rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return io.descent.ops.Dropout.dropout(x, p, isTraining(), rng);
    }

    @Override
    protected String describe() {
        return "p=" + p;
    }
}
