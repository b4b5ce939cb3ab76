package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Converts to grey with ITU-R 601 luma {@code 0.299 R + 0.587 G + 0.114 B} and outputs 1 or 3
 * identical channels (torchvision's {@code Grayscale(num_output_channels)}). A 1-channel image
 * is taken as already grey, so {@code Grayscale(3)} turns Fashion-MNIST into the 3-channel
 * input of an ImageNet model ({@code --in-channels 3}).
 */
public final class Grayscale implements Transform {
    private final int outChannels;

    public Grayscale(int numOutputChannels) {
        if (numOutputChannels != 1 && numOutputChannels != 3) {
            throw new IllegalArgumentException("Grayscale: numOutputChannels must be 1 or 3, got " + numOutputChannels);
        }
        this.outChannels = numOutputChannels;
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("Grayscale");
        int c = s[0], plane = s[1] * s[2];
        if (c != 1 && c != 3) throw new IllegalArgumentException("Grayscale: expects 1 or 3 channels, got " + c);
        if (c == outChannels && c == 1) return e;
        float[] x = e.data(), grey = c == 1 ? x : new float[plane];
        if (c == 3) for (int i = 0; i < plane; i++) grey[i] = luma(x[i], x[plane + i], x[2 * plane + i]);
        float[] y = new float[outChannels * plane];
        for (int ch = 0; ch < outChannels; ch++) System.arraycopy(grey, 0, y, ch * plane, plane);
        return e.withData(y, outChannels, s[1], s[2]);
    }

    /** ITU-R 601 luma, as PIL's {@code convert("L")} (to within its integer rounding). */
    public static float luma(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /** The mean grey level of a 1- or 3-channel image (the contrast adjustment's pivot). */
    static float meanLuma(float[] x, int c, int plane, String op) {
        if (c != 1 && c != 3) throw new IllegalArgumentException(op + ": expects 1 or 3 channels, got " + c);
        double sum = 0;
        for (int i = 0; i < plane; i++) sum += c == 3 ? luma(x[i], x[plane + i], x[2 * plane + i]) : x[i];
        return (float) (sum / plane);
    }
}
