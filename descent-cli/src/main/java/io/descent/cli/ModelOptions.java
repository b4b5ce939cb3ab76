package io.descent.cli;

import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.tensor.Tensor;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model flags every command shares: {@code --model}, {@code --num-classes},
 * {@code --in-channels}, {@code --image-size}, {@code --stem}. Flags left out can be read off
 * a weights file ({@link #resolve(Map, int)}).
 */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME",
            description = "Architecture: mlp, small-cnn, autoencoder, conv-autoencoder, resnet18..resnet152, vgg11..vgg19[_bn].")
    String model;

    /** The model name, or {@code fallback} when --model was not given; null fallback makes it required. */
    public String model(String fallback) {
        if (model != null) return model;
        if (fallback == null) throw new IllegalArgumentException("--model is required (one of " + String.join(", ", Models.NAMES) + ")");
        return fallback;
    }

    @Option(names = "--num-classes", paramLabel = "N", description = "Output classes (default: from the weights, else 10).")
    Integer numClasses;

    @Option(names = "--in-channels", paramLabel = "C", description = "Input channels (default: from the weights, else 1).")
    Integer inChannels;

    @Option(names = "--image-size", paramLabel = "S", description = "Input height and width (default: from the input, else 28).")
    Integer imageSize;

    @Option(names = "--stem", paramLabel = "imagenet|small",
            description = "ResNet stem: imagenet (7x7/2 conv + max-pool) or small (3x3/1 conv, no pool, for 28-32 px; default: from the weights).")
    String stem;

    @Option(names = "--bottleneck", paramLabel = "D", defaultValue = "32", description = "Autoencoder code size (default ${DEFAULT-VALUE}).")
    int bottleneck;

    /**
     * The configuration, filling unset flags from a state dict when one is given: classes =
     * rows of the last 2-D weight, channels = dim 1 of the first conv weight, small stem when
     * {@code conv1.weight} is 3×3.
     */
    public Models.Config resolve(Map<String, Tensor> weights, int imageSizeHint) {
        int classes = numClasses != null ? numClasses : 10;
        int channels = inChannels != null ? inChannels : 1;
        ResNet.Stem s = parseStem(stem);
        if (weights != null) {
            Tensor last2d = null, firstConv = null;
            for (Tensor t : weights.values()) {
                if (t.dim() == 2) last2d = t;
                if (t.dim() == 4 && firstConv == null) firstConv = t;
            }
            if (numClasses == null && last2d != null) classes = last2d.size(0);
            if (inChannels == null && firstConv != null) channels = firstConv.size(1);
            Tensor c1 = weights.get("conv1.weight");
            if (stem == null && c1 != null && c1.dim() == 4 && c1.size(2) == 3) s = ResNet.Stem.SMALL;
        }
        int size = imageSize != null ? imageSize : imageSizeHint > 0 ? imageSizeHint : 28;
        return new Models.Config(classes, channels, size, s, bottleneck, 0);
    }

    /**
     * The configuration for training on examples of {@code shape} ([C, H, W]) with
     * {@code classes} classes: flags win; the stem defaults to small for images up to 64 px.
     */
    public Models.Config forData(int[] shape, int classes, long seed) {
        int size = shape.length > 1 ? shape[1] : 1;
        ResNet.Stem s = parseStem(stem != null ? stem : size <= 64 ? "small" : "imagenet");
        return new Models.Config(numClasses != null ? numClasses : classes, shape[0], size, s, bottleneck, seed);
    }

    static ResNet.Stem parseStem(String s) {
        if (s == null || s.equals("imagenet")) return ResNet.Stem.IMAGENET;
        if (s.equals("small")) return ResNet.Stem.SMALL;
        throw new IllegalArgumentException("--stem must be imagenet or small, got '" + s + "'");
    }
}
