package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;
import java.util.List;
import java.util.Objects;

/** Applies transforms in order, all drawing from the example's one Rng (torchvision's {@code Compose}). */
public final class Compose implements Transform {
    private final List<Transform> transforms;

    public Compose(Transform... transforms) {
        this(List.of(transforms));
    }

    public Compose(List<Transform> transforms) {
        Objects.requireNonNull(transforms, "transforms");
        for (int i = 0; i < transforms.size(); i++) Objects.requireNonNull(transforms.get(i), "Compose: transform " + i + " is null");
        this.transforms = List.copyOf(transforms);
    }

    @Override
    public Example apply(Example example, Rng rng) {
        Example e = example;
        for (Transform t : transforms) e = t.apply(e, rng);
        return e;
    }
}
