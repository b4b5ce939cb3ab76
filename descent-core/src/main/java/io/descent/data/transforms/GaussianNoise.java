package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Adds {@code N(mean, sigma²)} noise to every input value and, by default, clips to [0, 1]
 * (torchvision's {@code v2.GaussianNoise(mean=0, sigma=0.1, clip=True)}). Only the input is
 * corrupted: put {@link CleanTarget} before it to train a denoising autoencoder.
 */
public final class GaussianNoise implements Transform {
    private final float mean;
    private final float sigma;
    private final boolean clip;

    public GaussianNoise(float sigma) {
        this(0f, sigma, true);
    }

    public GaussianNoise(float mean, float sigma, boolean clip) {
        if (!Float.isFinite(mean)) throw new IllegalArgumentException("GaussianNoise: mean must be finite, got " + mean);
        if (!(sigma >= 0) || !Float.isFinite(sigma)) throw new IllegalArgumentException("GaussianNoise: sigma must be >= 0, got " + sigma);
        this.mean = mean;
        this.sigma = sigma;
        this.clip = clip;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        float[] x = e.data(), y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float v = x[i] + mean + sigma * (float) rng.nextGaussian();
            y[i] = clip ? Math.min(1f, Math.max(0f, v)) : v;
        }
        return e.withData(y, e.shape());
    }
}
