package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Bilinear resize (torchvision's {@code Resize} with {@code antialias=True}, see
 * {@link Resampling}). {@code Resize(size)} scales the shorter side to {@code size} and keeps the
 * aspect ratio, the longer side becoming {@code int(size · long / short)} as in torchvision;
 * {@code Resize(h, w)} gives exactly that size.
 */
public final class Resize implements Transform {
    private final int height; // 0 when only the shorter side is fixed
    private final int width;
    private final int shorter;

    /** Scales the shorter side to {@code size}. */
    public Resize(int size) {
        if (size < 1) throw new IllegalArgumentException("Resize: size must be positive, got " + size);
        this.height = 0;
        this.width = 0;
        this.shorter = size;
    }

    public Resize(int height, int width) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("Resize: size must be positive, got " + height + "x" + width);
        this.height = height;
        this.width = width;
        this.shorter = 0;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("Resize");
        int[] out = outputSize(s[1], s[2]);
        if (out[0] == s[1] && out[1] == s[2]) return e;
        float sy = out[0] / (float) s[1], sx = out[1] / (float) s[2];
        return e.withImage(Resampling.resize(e.data(), s[0], s[1], s[2], out[0], out[1]), new int[] {s[0], out[0], out[1]},
                b -> b.affine(sx, 0, sy, 0));
    }

    /** {height, width} after resizing an {@code h × w} image. */
    public int[] outputSize(int h, int w) {
        if (shorter == 0) return new int[] {height, width};
        return h <= w ? new int[] {shorter, (int) ((long) shorter * w / h)} : new int[] {(int) ((long) shorter * h / w), shorter};
    }
}
