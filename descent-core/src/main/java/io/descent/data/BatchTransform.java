package io.descent.data;

import io.descent.tensor.Rng;

/**
 * A transform of a whole collated batch (mixup, CutMix: they pair rows of the batch). The
 * {@link DataLoader} runs it on its worker threads with an {@code rng} derived from (seed,
 * epoch, batch number). Implementations must not write into the batch they receive.
 */
@FunctionalInterface
public interface BatchTransform {
    Batch apply(Batch batch, Rng rng);
}
