package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.AdaptiveAvgPool2d;
import io.descent.nn.BatchNorm;
import io.descent.nn.Conv2d;
import io.descent.nn.Dropout;
import io.descent.nn.Intermediates;
import io.descent.nn.Linear;
import io.descent.nn.MaxPool2d;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.nn.init.Init;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * VGG (Simonyan & Zisserman, 2015) with torchvision's structure and names: {@code features}
 * (3×3 convs, optional batch norm, ReLU, 2×2 max-pools), {@code avgpool} to 7×7, and
 * {@code classifier} (4096-4096-classes with dropout; the head is {@code classifier.6}).
 */
public final class VGG extends Module {
    private static final int M = -1;
    static final int[] VGG11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG13 = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG16 = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    static final int[] VGG19 = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M};

    public VGG(int[] config, boolean batchNorm, int numClasses, int inChannels, float dropout, Rng rng) {
        if (numClasses < 1 || inChannels < 1) throw new IllegalArgumentException("VGG: num_classes and in_channels must be positive");
        Sequential features = new Sequential();
        int in = inChannels;
        for (int v : config) {
            if (v == M) {
                features.add(new MaxPool2d(2, 2, 0));
                continue;
            }
            // torchvision: kaiming_normal(fan_out, relu) weights, zero bias
            Conv2d conv = new Conv2d(in, v, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, rng);
            Init.kaimingNormal(conv.weight, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, rng);
            Init.zeros(conv.bias);
            features.add(conv);
            if (batchNorm) features.add(BatchNorm.batchNorm2d(v));
            features.add(Activation.relu());
            in = v;
        }
        registerModule("features", features);
        registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        registerModule("classifier", new Sequential(
                linear(512 * 7 * 7, 4096, rng), Activation.relu(), new Dropout(dropout, rng.fork()),
                linear(4096, 4096, rng), Activation.relu(), new Dropout(dropout, rng.fork()),
                linear(4096, numClasses, rng)));
    }

    /** torchvision's linear init for VGG: N(0, 0.01²) weights, zero bias. */
    private static Linear linear(int in, int out, Rng rng) {
        Linear l = new Linear(in, out, true, rng);
        Init.normal(l.weight, 0, 0.01, rng);
        Init.zeros(l.bias);
        return l;
    }

    public static VGG create(int depth, boolean batchNorm, int numClasses, int inChannels, Rng rng) {
        int[] cfg = switch (depth) {
            case 11 -> VGG11;
            case 13 -> VGG13;
            case 16 -> VGG16;
            case 19 -> VGG19;
            default -> throw new IllegalArgumentException("VGG: depth must be 11, 13, 16 or 19, got " + depth);
        };
        return new VGG(cfg, batchNorm, numClasses, inChannels, 0.5f, rng);
    }

    /** The network up to the classifier, flattened: [N, 512·7·7]. */
    public Tensor features(Tensor x) {
        return features(new Intermediates(x), x);
    }

    private Tensor features(Intermediates chain, Tensor x) {
        Module features = child("features"), avgpool = child("avgpool");
        Tensor y = chain.next(x, features.forward(x), features);
        return chain.next(y, avgpool.forward(y), avgpool).flatten();
    }

    @Override
    public Tensor forward(Tensor x) {
        Intermediates chain = new Intermediates(x); // one chain, so the features go back once the classifier has read them
        Tensor f = features(chain, x);
        Module classifier = child("classifier");
        return chain.next(f, classifier.forward(f), classifier);
    }
}
