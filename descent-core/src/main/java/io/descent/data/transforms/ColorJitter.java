package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Random brightness and contrast (torchvision's {@code ColorJitter(brightness, contrast)}):
 * factors are drawn uniformly from {@code [max(0, 1 - b), 1 + b]} and {@code [max(0, 1 - c),
 * 1 + c]}, and the two adjustments run in a random order, as torchvision does. Brightness
 * scales the image; contrast blends it with the mean of its grey version
 * ({@code 0.299 R + 0.587 G + 0.114 B}); both clamp to [0, 1]. A strength of 0 disables that part.
 */
public final class ColorJitter implements Transform {
    private final float brightness;
    private final float contrast;

    public ColorJitter(float brightness, float contrast) {
        if (!(brightness >= 0) || !Float.isFinite(brightness)) throw new IllegalArgumentException("ColorJitter: brightness must be >= 0, got " + brightness);
        if (!(contrast >= 0) || !Float.isFinite(contrast)) throw new IllegalArgumentException("ColorJitter: contrast must be >= 0, got " + contrast);
        this.brightness = brightness;
        this.contrast = contrast;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("ColorJitter");
        boolean brightnessFirst = rng.nextInt(2) == 0;
        float b = brightness > 0 ? factor(brightness, rng) : 1f;
        float c = contrast > 0 ? factor(contrast, rng) : 1f;
        float[] x = e.data().clone();
        if (brightnessFirst) {
            scale(x, b);
            blendWithMean(x, s, c);
        } else {
            blendWithMean(x, s, c);
            scale(x, b);
        }
        return e.withData(x, s);
    }

    private static float factor(float strength, Rng rng) {
        float lo = Math.max(0f, 1f - strength), hi = 1f + strength;
        return lo + (hi - lo) * rng.nextFloat();
    }

    private static void scale(float[] x, float f) {
        if (f == 1f) return;
        for (int i = 0; i < x.length; i++) x[i] = clamp01(x[i] * f);
    }

    private static void blendWithMean(float[] x, int[] s, float f) {
        if (f == 1f) return;
        float mean = Grayscale.meanLuma(x, s[0], s[1] * s[2], "ColorJitter");
        float add = (1f - f) * mean;
        for (int i = 0; i < x.length; i++) x[i] = clamp01(f * x[i] + add);
    }

    private static float clamp01(float v) {
        return Math.min(1f, Math.max(0f, v));
    }
}
