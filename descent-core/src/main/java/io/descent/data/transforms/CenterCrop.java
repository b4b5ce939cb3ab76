package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Cuts the central {@code height × width} window (torchvision's {@code CenterCrop}): the offset
 * is {@code round((H - h) / 2)} with Python's half-to-even rounding, and an image smaller than
 * the window is padded with zeros around it first.
 */
public final class CenterCrop implements Transform {
    private final int height;
    private final int width;

    public CenterCrop(int size) {
        this(size, size);
    }

    public CenterCrop(int height, int width) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("CenterCrop: size must be positive, got " + height + "x" + width);
        this.height = height;
        this.width = width;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("CenterCrop");
        if (s[1] == height && s[2] == width) return e;
        int top = offset(s[1], height), left = offset(s[2], width);
        return e.withImage(crop(e.data(), s[0], s[1], s[2], height, width), new int[] {s[0], height, width},
                b -> b.affine(1, -left, 1, -top).clipped(width, height));
    }

    /** The central window of a [C, H, W] array (shared with image folders' resize-then-crop). */
    public static float[] crop(float[] x, int c, int h, int w, int outH, int outW) {
        return Cropping.crop(x, c, h, w, offset(h, outH), offset(w, outW), outH, outW, 0f);
    }

    private static int offset(int size, int out) {
        return size >= out ? (int) Math.rint((size - out) / 2.0) : -((out - size) / 2);
    }
}
