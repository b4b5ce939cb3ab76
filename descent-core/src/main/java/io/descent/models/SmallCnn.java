package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.Conv2d;
import io.descent.nn.Flatten;
import io.descent.nn.Linear;
import io.descent.nn.MaxPool2d;
import io.descent.nn.Sequential;
import io.descent.tensor.Rng;

/**
 * The benchmarks' small CNN for 28×28 images: Conv 1→32 3×3 p1, ReLU, MaxPool 2,
 * Conv 32→64 3×3 p1, ReLU, MaxPool 2, Flatten, Linear 3136→128, ReLU, Linear 128→classes.
 * For other sizes the first Linear takes 64·(H/4)·(W/4) inputs.
 */
public final class SmallCnn extends Sequential {
    public SmallCnn(int inChannels, int numClasses, int imageSize, Rng rng) {
        if (imageSize < 4) throw new IllegalArgumentException("SmallCnn: image size must be >= 4, got " + imageSize);
        int[] one = {1, 1};
        add(new Conv2d(inChannels, 32, new int[] {3, 3}, one, one, one, 1, true, rng));
        add(Activation.relu());
        add(new MaxPool2d(2));
        add(new Conv2d(32, 64, new int[] {3, 3}, one, one, one, 1, true, rng));
        add(Activation.relu());
        add(new MaxPool2d(2));
        add(new Flatten());
        int side = imageSize / 2 / 2;
        add(new Linear(64 * side * side, 128, true, rng));
        add(Activation.relu());
        add(new Linear(128, numClasses, true, rng));
    }
}
