package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.Flatten;
import io.descent.nn.Linear;
import io.descent.nn.Sequential;
import io.descent.tensor.Rng;

/**
 * A multi-layer perceptron: Flatten, then Linear + ReLU per hidden width, then a Linear head.
 * As a Sequential its names are "1.weight", "3.weight", ... like the same nn.Sequential in
 * PyTorch.
 */
public final class Mlp extends Sequential {
    public Mlp(int inFeatures, int[] hidden, int numClasses, Rng rng) {
        if (inFeatures < 1 || numClasses < 1) throw new IllegalArgumentException("Mlp: in_features and num_classes must be positive");
        add(new Flatten());
        int in = inFeatures;
        for (int h : hidden) {
            add(new Linear(in, h, true, rng));
            add(Activation.relu());
            in = h;
        }
        add(new Linear(in, numClasses, true, rng));
    }
}
