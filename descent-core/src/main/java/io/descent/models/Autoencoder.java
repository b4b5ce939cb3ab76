package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.Conv2d;
import io.descent.nn.ConvTranspose2d;
import io.descent.nn.Flatten;
import io.descent.nn.Linear;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.nn.Unflatten;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * An encoder/decoder pair with a bottleneck of chosen size; the reconstruction has the
 * input's shape and lies in [0, 1] (sigmoid output), matching images scaled to [0, 1]. For a
 * denoising autoencoder train on corrupted inputs with the clean image as target.
 */
public final class Autoencoder extends Module {
    private final int[] imageShape;

    private Autoencoder(Module encoder, Module decoder, int[] imageShape) {
        this.imageShape = imageShape.clone();
        registerModule("encoder", encoder);
        registerModule("decoder", decoder);
    }

    /** Dense: Flatten → in-hidden-bottleneck, bottleneck-hidden-in → sigmoid. */
    public static Autoencoder dense(int channels, int height, int width, int hidden, int bottleneck, Rng rng) {
        int in = channels * height * width;
        Sequential enc = new Sequential(new Flatten(), new Linear(in, hidden, true, rng), Activation.relu(), new Linear(hidden, bottleneck, true, rng));
        Sequential dec = new Sequential(new Linear(bottleneck, hidden, true, rng), Activation.relu(), new Linear(hidden, in, true, rng),
                Activation.sigmoid(), new Unflatten(channels, height, width));
        return new Autoencoder(enc, dec, new int[] {channels, height, width});
    }

    /**
     * Convolutional: two stride-2 3×3 convs (C→16→32) and a Linear to the bottleneck; the
     * decoder mirrors it with stride-2 transposed convs. Height and width must be multiples of 4.
     */
    public static Autoencoder conv(int channels, int height, int width, int bottleneck, Rng rng) {
        if (height % 4 != 0 || width % 4 != 0) throw new IllegalArgumentException("conv autoencoder: image size must be a multiple of 4, got " + height + "x" + width);
        int h4 = height / 4, w4 = width / 4;
        int[] k = {3, 3}, s = {2, 2}, p = {1, 1}, d = {1, 1}, op = {1, 1};
        Sequential enc = new Sequential(
                new Conv2d(channels, 16, k, s, p, d, 1, true, rng), Activation.relu(),
                new Conv2d(16, 32, k, s, p, d, 1, true, rng), Activation.relu(),
                new Flatten(), new Linear(32 * h4 * w4, bottleneck, true, rng));
        Sequential dec = new Sequential(
                new Linear(bottleneck, 32 * h4 * w4, true, rng), Activation.relu(), new Unflatten(32, h4, w4),
                new ConvTranspose2d(32, 16, k, s, p, op, 1, true, d, rng), Activation.relu(),
                new ConvTranspose2d(16, channels, k, s, p, op, 1, true, d, rng), Activation.sigmoid());
        return new Autoencoder(enc, dec, new int[] {channels, height, width});
    }

    /** The bottleneck codes [N, bottleneck]. */
    public Tensor encode(Tensor x) {
        return child("encoder").forward(x);
    }

    /** Reconstructions [N, C, H, W] from codes. */
    public Tensor decode(Tensor z) {
        return child("decoder").forward(z);
    }

    @Override
    public Tensor forward(Tensor x) {
        return decode(encode(x));
    }

    public int[] imageShape() {
        return imageShape.clone();
    }
}
