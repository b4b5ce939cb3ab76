package io.descent.data;

import io.descent.tensor.Rng;

/**
 * A per-example transform (torchvision's transforms, applied to one [C, H, W] example).
 * Random ones draw only from {@code rng}, which the {@link DataLoader} derives from (seed,
 * epoch, index): the same example in the same epoch gets the same augmentation whatever the
 * number of worker threads. Implementations must not write into the example they receive, and
 * keep its label ({@link Dataset#label} is read without transforming, by class subsets and
 * stratified splits).
 */
@FunctionalInterface
public interface Transform {
    Example apply(Example example, Rng rng);
}
