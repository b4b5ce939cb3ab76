package io.descent.data.transforms;

import io.descent.data.Batch;
import io.descent.data.BatchTransform;
import io.descent.tensor.Rng;
import java.util.List;
import java.util.Objects;

/**
 * Applies one of several batch transforms, chosen uniformly per batch (torchvision's
 * {@code v2.RandomChoice([CutMix(...), MixUp(...)])}, the usual way to combine the two).
 */
public final class RandomChoice implements BatchTransform {
    private final List<BatchTransform> choices;

    public RandomChoice(BatchTransform... choices) {
        if (choices.length == 0) throw new IllegalArgumentException("RandomChoice: choices must not be empty");
        for (int i = 0; i < choices.length; i++) Objects.requireNonNull(choices[i], "RandomChoice: choice " + i + " is null");
        this.choices = List.of(choices);
    }

    @Override
    public Batch apply(Batch b, Rng rng) {
        return choices.get(rng.nextInt(choices.size())).apply(b, rng);
    }
}
