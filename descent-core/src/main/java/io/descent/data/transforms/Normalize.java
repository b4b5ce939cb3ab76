package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;
import java.util.Arrays;

/**
 * {@code (x - mean[c]) / std[c]} per channel (torchvision's {@code Normalize}); one value
 * applies to every channel. Acts on the input only: a reconstruction target keeps its scale.
 */
public final class Normalize implements Transform {
    /** torchvision's ImageNet statistics (RGB), what its pretrained classifiers and detectors expect. */
    public static final Normalize IMAGENET = new Normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std must have the same non-zero length, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("Normalize: std must be positive and finite, got " + Arrays.toString(std));
        }
        for (float m : mean) if (!Float.isFinite(m)) throw new IllegalArgumentException("Normalize: mean must be finite, got " + Arrays.toString(mean));
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("Normalize");
        int c = s[0], plane = s[1] * s[2];
        if (mean.length != 1 && mean.length != c) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means for an image of " + c + " channels");
        }
        float[] x = e.data(), y = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            float m = mean[mean.length == 1 ? 0 : ch], inv = 1f / std[std.length == 1 ? 0 : ch];
            for (int i = ch * plane, end = i + plane; i < end; i++) y[i] = (x[i] - m) * inv;
        }
        return e.withData(y, s);
    }

    /** The pixels a normalised image {@code x} ([C, H, W] flattened, {@code channels} planes) came from, for display. */
    public float[] invert(float[] x, int channels) {
        int plane = x.length / channels;
        float[] y = new float[x.length];
        for (int ch = 0; ch < channels; ch++) {
            float m = mean[mean.length == 1 ? 0 : ch], sd = std[std.length == 1 ? 0 : ch];
            for (int i = ch * plane, end = i + plane; i < end; i++) y[i] = x[i] * sd + m;
        }
        return y;
    }
}
