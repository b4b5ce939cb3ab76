package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Makes the example's current input its reconstruction target, so an autoencoder learns to
 * output it. Transforms after it change only the input: {@code new Compose(new
 * RandomHorizontalFlip(), new CleanTarget(), new GaussianNoise(0.2f))} gives a denoising pair
 * (noisy flipped input, clean flipped target).
 */
public final class CleanTarget implements Transform {
    @Override
    public Example apply(Example e, Rng rng) {
        return e.withTarget(e.data());
    }
}
