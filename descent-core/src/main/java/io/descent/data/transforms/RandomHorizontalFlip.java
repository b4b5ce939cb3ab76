package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/** Mirrors the image left–right with probability {@code p} (torchvision's {@code RandomHorizontalFlip(p=0.5)}). */
public final class RandomHorizontalFlip implements Transform {
    private final float p;

    public RandomHorizontalFlip() {
        this(0.5f);
    }

    public RandomHorizontalFlip(float p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        this.p = p;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("RandomHorizontalFlip");
        if (!(rng.nextFloat() < p)) return e;
        int w = s[2], rows = s[0] * s[1];
        float[] x = e.data(), y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            for (int i = 0; i < w; i++) y[o + i] = x[o + w - 1 - i];
        }
        return e.withImage(y, s, b -> b.flippedHorizontally(w));
    }
}
