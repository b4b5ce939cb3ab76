package io.descent.data;

import io.descent.tensor.Rng;
import java.util.List;
import java.util.Objects;

/**
 * A data set seen through a fixed transform: example {@code i} is {@code transform(base[i])}
 * with an Rng seeded by {@code (seed, i)}, so even a random transform gives the same example
 * every time. Use it for preprocessing that belongs to the data (resizing Fashion-MNIST,
 * 1 → 3 channels) and for frozen corruption of a validation set (denoising); per-epoch
 * augmentation belongs in {@link LoaderOptions#transform()} instead. Runs on the loader's workers.
 */
public final class TransformedDataset implements Dataset {
    private final Dataset base;
    private final Transform transform;
    private final long seed;

    public TransformedDataset(Dataset base, Transform transform, long seed) {
        this.base = Objects.requireNonNull(base, "base");
        this.transform = Objects.requireNonNull(transform, "transform");
        this.seed = seed;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Example get(int index) {
        return transform.apply(base.get(index), new Rng(Seeds.derive(seed, index)));
    }

    /** The base label: transforms keep labels. */
    @Override
    public int label(int index) {
        return base.label(index);
    }

    @Override
    public List<String> classes() {
        return base.classes();
    }
}
