package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Pads each side by {@code padding} pixels of {@code fill}, then cuts a random
 * {@code height × width} window (torchvision's {@code RandomCrop(size, padding, fill=0)}, the
 * CIFAR/Fashion-MNIST augmentation: {@code RandomCrop(28, padding=2)}). The top row is drawn
 * first, then the left column, each uniform over the positions that fit.
 */
public final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;
    private final float fill;

    /** A square crop with zero padding. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding, 0f);
    }

    public RandomCrop(int height, int width, int padding, float fill) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("RandomCrop: size must be positive, got " + height + "x" + width);
        if (padding < 0) throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.fill = fill;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("RandomCrop");
        int ph = s[1] + 2 * padding, pw = s[2] + 2 * padding;
        if (ph < height || pw < width) {
            throw new IllegalArgumentException("RandomCrop: crop " + height + "x" + width + " is larger than the padded image " + ph + "x" + pw);
        }
        int top = rng.nextInt(ph - height + 1) - padding;
        int left = rng.nextInt(pw - width + 1) - padding;
        return e.withImage(Cropping.crop(e.data(), s[0], s[1], s[2], top, left, height, width, fill), new int[] {s[0], height, width},
                b -> b.affine(1, -left, 1, -top).clipped(width, height));
    }
}
