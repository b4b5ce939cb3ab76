package io.descent.cli;

import io.descent.models.Models;
import io.descent.models.ResNet;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model flags every command shares: {@code --model}, {@code --num-classes},
 * {@code --in-channels}, {@code --image-size}, {@code --stem}. Flags left out can be read off
 * a weights file ({@link #withInputFrom}, {@link #resolve(Map, int)}).
 */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME",
            description = "Architecture: mlp, small-cnn, autoencoder, conv-autoencoder, resnet18..resnet152, vgg11..vgg19[_bn], centernet-resnet18..centernet-resnet152 (detection).")
    String model;

    /** Weights-file metadata keys: what train and finetune record and later commands default from. */
    static final String META_MODEL = "descent.model", META_TASK = "descent.task", META_IMAGE_SIZE = "descent.image_size";

    /** What a weights file records of the run that wrote it ({@code __metadata__}, strings). */
    static Map<String, String> metadata(String model, Models.Config c, String task, String normalize) {
        return Map.of(META_MODEL, model, META_TASK, task, META_IMAGE_SIZE, Integer.toString(c.imageSize()),
                "descent.in_channels", Integer.toString(c.inChannels()), "descent.num_classes", Integer.toString(c.numClasses()),
                "descent.stem", c.stem().name().toLowerCase(java.util.Locale.ROOT), NormalizeOptions.META, normalize);
    }

    /**
     * Fills {@code --model} and {@code --image-size}, where left out, from what {@code weights}
     * records (files written by train and finetune do); returns the task it records, or null.
     */
    String defaultsFrom(java.nio.file.Path weights) throws java.io.IOException {
        Map<String, String> meta = io.descent.io.Weights.metadata(weights);
        if (model == null) model = meta.get(META_MODEL);
        if (imageSize == null && meta.containsKey(META_IMAGE_SIZE)) {
            try {
                imageSize = Integer.parseInt(meta.get(META_IMAGE_SIZE));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(weights + ": its metadata's image size '" + meta.get(META_IMAGE_SIZE) + "' is not a number");
            }
        }
        return meta.get(META_TASK);
    }

    /** Fills {@code --model}, where left out, with the model a weights file records (train and finetune record theirs). */
    void modelFrom(java.nio.file.Path weights) throws java.io.IOException {
        if (model == null) model = io.descent.io.Weights.metadata(weights).get(META_MODEL);
    }

    /** The model name, or {@code fallback} when --model was not given; null fallback makes it required. */
    public String model(String fallback) {
        if (model != null) return model;
        if (fallback == null) throw new IllegalArgumentException("--model is required (one of " + String.join(", ", Models.NAMES) + ")");
        return fallback;
    }

    @Option(names = "--num-classes", paramLabel = "N", description = "Output classes (default: the weights', else the data's).")
    Integer numClasses;

    @Option(names = "--in-channels", paramLabel = "C", description = "Input channels, 1 or 3 (default: the weights', else the data's; grey images are repeated for 3).")
    Integer inChannels;

    @Option(names = "--image-size", paramLabel = "S", description = "Input height and width (default: from the input, else 28).")
    Integer imageSize;

    @Option(names = "--stem", paramLabel = "imagenet|small",
            description = "ResNet stem: imagenet (7x7/2 conv + max-pool) or small (3x3/1 conv, no pool, for 28-32 px; default: the weights', else small up to 64 px).")
    String stem;

    @Option(names = "--bottleneck", paramLabel = "D", defaultValue = "32", description = "Autoencoder code size (default ${DEFAULT-VALUE}).")
    int bottleneck;

    /**
     * These flags, with {@code --in-channels} and {@code --stem}, when left out, read off the
     * tensor shapes of a weights file ({@code Weights.shapes}): channels = dim 1 of its input layer's weight ({@link #firstConv}), the small stem when
     * {@code conv1.weight} is 3×3 and the ImageNet one when it is larger. Weights decide what the
     * data must look like: a data set opened with these options repeats grey images for a
     * 3-channel model.
     */
    public ModelOptions withInputFrom(Map<String, int[]> weights) {
        weights = io.descent.io.Weights.unwrapped(weights); // saved from a DataParallel-wrapped model
        ModelOptions o = new ModelOptions();
        o.model = model;
        o.numClasses = numClasses;
        o.inChannels = inChannels;
        o.imageSize = imageSize;
        o.stem = stem;
        o.bottleneck = bottleneck;
        if (o.inChannels == null) {
            int[] first = firstConv(weights);
            if (first != null) o.inChannels = first[1];
        }
        int[] c1 = weights.get("conv1.weight");
        if (o.stem == null && c1 != null && c1.length == 4) o.stem = c1[2] == 3 ? "small" : "imagenet";
        return o;
    }

    /** The registry's first layers: ResNet and CenterNet, VGG, the conv autoencoder, the small CNN. */
    private static final java.util.List<String> FIRST_CONVS = java.util.List.of("conv1.weight", "features.0.weight", "encoder.0.weight", "0.weight");

    /**
     * The input layer's weight: the registry's first-layer names, else the first 4-D tensor in
     * file order (a file written with sorted keys lists a conv autoencoder's decoder first).
     */
    static int[] firstConv(Map<String, int[]> weights) {
        for (String k : FIRST_CONVS) if (weights.get(k) != null && weights.get(k).length == 4) return weights.get(k);
        for (int[] s : weights.values()) if (s.length == 4) return s;
        return null;
    }

    /**
     * The configuration for running a state dict: {@link #withInputFrom} and classes = rows of
     * its last 2-D weight, when the flags leave them out; else 10 classes, 1 channel, the
     * ImageNet stem, and {@code imageSizeHint} (the input's) or 28 px.
     */
    public Models.Config resolve(Map<String, int[]> weights, int imageSizeHint) {
        ModelOptions o = withInputFrom(weights);
        int classes = 10;
        for (int[] s : weights.values()) if (s.length == 2) classes = s[0];
        int[] heatmap = weights.get("head.heatmap.2.bias"); // a CenterNet: one heatmap plane per class
        if (heatmap != null) classes = heatmap[0];
        if (numClasses != null) classes = numClasses;
        int size = imageSize != null ? imageSize : imageSizeHint > 0 ? imageSizeHint : 28;
        return new Models.Config(classes, o.inChannels != null ? o.inChannels : 1, size, parseStem(o.stem), bottleneck, 0);
    }

    /**
     * The configuration for training on examples of {@code shape} ([C, H, W]) with
     * {@code classes} classes: flags win; the stem defaults to small for images up to 64 px
     * (a detector's to imagenet: both give it a stride-4 output, the small stem at ~16× the
     * backbone's compute).
     */
    public Models.Config forData(int[] shape, int classes, long seed) {
        int size = shape.length > 1 ? shape[1] : 1;
        boolean small = size <= 64 && !(model != null && Models.isDetector(model));
        ResNet.Stem s = parseStem(stem != null ? stem : small ? "small" : "imagenet");
        return new Models.Config(numClasses != null ? numClasses : classes, shape[0], size, s, bottleneck, seed);
    }

    static ResNet.Stem parseStem(String s) {
        if (s == null || s.equals("imagenet")) return ResNet.Stem.IMAGENET;
        if (s.equals("small")) return ResNet.Stem.SMALL;
        throw new IllegalArgumentException("--stem must be imagenet or small, got '" + s + "'");
    }
}
