package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Sets each input value to 0 with probability {@code p}, independently: the masking noise of
 * denoising autoencoders (Vincent et al. 2008, 2010). Only the input is corrupted: put
 * {@link CleanTarget} before it so the model learns to restore the clean image.
 */
public final class MaskingNoise implements Transform {
    private final float p;

    public MaskingNoise(float p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("MaskingNoise: p must be in [0, 1], got " + p);
        this.p = p;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        float[] x = e.data(), y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = rng.nextFloat() < p ? 0f : x[i];
        return e.withData(y, e.shape());
    }
}
