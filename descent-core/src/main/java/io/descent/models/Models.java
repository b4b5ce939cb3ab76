package io.descent.models;

import io.descent.nn.Module;
import io.descent.nn.init.Init;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** The model registry: torchvision names plus mlp, small-cnn, autoencoder, conv-autoencoder and the CenterNet detectors. */
public final class Models {
    private Models() {}

    /** What adapts a named architecture to a task (the CLI's --num-classes, --in-channels, --stem, --image-size). */
    public record Config(int numClasses, int inChannels, int imageSize, ResNet.Stem stem, int bottleneck, long seed) {
        public Config {
            if (numClasses < 1) throw new IllegalArgumentException("num-classes must be positive, got " + numClasses);
            if (inChannels < 1) throw new IllegalArgumentException("in-channels must be positive, got " + inChannels);
            if (imageSize < 1) throw new IllegalArgumentException("image-size must be positive, got " + imageSize);
            if (bottleneck < 1) throw new IllegalArgumentException("bottleneck must be positive, got " + bottleneck);
        }

        /** ImageNet-style defaults: 1000 classes, 3 channels, 224 px. */
        public static Config imagenet() {
            return new Config(1000, 3, 224, ResNet.Stem.IMAGENET, 32, 0);
        }

        /** Fashion-MNIST-style: 10 classes, 1 channel, 28 px, small stem. */
        public static Config small() {
            return new Config(10, 1, 28, ResNet.Stem.SMALL, 32, 0);
        }
    }

    public static final List<String> NAMES = List.of(
            "mlp", "small-cnn", "autoencoder", "conv-autoencoder",
            "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
            "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
            "centernet-resnet18", "centernet-resnet34", "centernet-resnet50", "centernet-resnet101", "centernet-resnet152");

    /** Whether {@code name} is a detector (its output is a {@link CenterNet}'s maps, its task detection). */
    public static boolean isDetector(String name) {
        return name.startsWith("centernet-");
    }

    /**
     * Builds the model named {@code name} and loads {@code state} into it strictly (every
     * parameter and buffer, no key left over), without first drawing the random initial values
     * the state overwrites ({@link Init#skipRandom()}): what evaluating or running saved
     * weights needs.
     */
    public static Module load(String name, Config c, Map<String, Tensor> state) {
        Module m;
        try (var skip = Init.skipRandom()) {
            m = create(name, c);
        }
        m.loadStateDict(state, true);
        return m;
    }

    /**
     * {@link #load(String, Config, Map)} from a weights file: built under
     * {@link Init#skipRandom()}, then loaded strictly, the file's tensors read straight into the
     * model's arrays ({@link io.descent.io.Weights#load(Module, java.nio.file.Path)}), never held twice.
     */
    public static Module load(String name, Config c, java.nio.file.Path weights) throws java.io.IOException {
        Module m;
        try (var skip = Init.skipRandom()) {
            m = create(name, c);
        }
        io.descent.io.Weights.load(m, weights);
        return m;
    }

    /** Builds the model named {@code name}; unknown names are refused with the list of known ones. */
    public static Module create(String name, Config c) {
        Rng rng = new Rng(c.seed());
        int s = c.imageSize();
        return switch (name) {
            case "mlp" -> new Mlp(c.inChannels() * s * s, new int[] {512, 256}, c.numClasses(), rng);
            case "small-cnn" -> new SmallCnn(c.inChannels(), c.numClasses(), s, rng);
            case "autoencoder" -> Autoencoder.dense(c.inChannels(), s, s, 256, c.bottleneck(), rng);
            case "conv-autoencoder" -> Autoencoder.conv(c.inChannels(), s, s, c.bottleneck(), rng);
            case "resnet18" -> ResNet.resnet18(c.numClasses(), c.inChannels(), c.stem(), rng);
            case "resnet34" -> ResNet.resnet34(c.numClasses(), c.inChannels(), c.stem(), rng);
            case "resnet50" -> ResNet.resnet50(c.numClasses(), c.inChannels(), c.stem(), rng);
            case "resnet101" -> ResNet.resnet101(c.numClasses(), c.inChannels(), c.stem(), rng);
            case "resnet152" -> ResNet.resnet152(c.numClasses(), c.inChannels(), c.stem(), rng);
            default -> {
                if (isDetector(name) && name.substring("centernet-".length()).matches("resnet(18|34|50|101|152)")) {
                    yield CenterNet.resnet(Integer.parseInt(name.substring("centernet-resnet".length())), c.numClasses(), c.inChannels(), c.stem(), rng);
                }
                if (name.startsWith("vgg")) {
                    boolean bn = name.endsWith("_bn");
                    String depth = bn ? name.substring(3, name.length() - 3) : name.substring(3);
                    if (depth.matches("11|13|16|19")) {
                        // five 2×2 max-pools halve the image to 1 pixel at 32: smaller images fail deep in the forward pass
                        if (s < 32) throw new IllegalArgumentException(name + " needs images of at least 32×32 pixels (its five max-pools halve them); got " + s + "×" + s + ": resize them (--image-size 32)");
                        yield VGG.create(Integer.parseInt(depth), bn, c.numClasses(), c.inChannels(), rng);
                    }
                }
                throw new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", NAMES));
            }
        };
    }
}
