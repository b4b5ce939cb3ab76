package io.descent.cli;

import io.descent.data.transforms.Normalize;
import io.descent.io.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --normalize}: the per-channel input normalisation that pretrained weights expect
 * (torchvision's ImageNet mean and std for its classifiers and detectors). A run records it in
 * the weights files it writes ({@value #META}), and the commands that read them apply it again,
 * so evaluation and detection see inputs as training did.
 */
public final class NormalizeOptions {
    static final String META = "descent.normalize";

    @Option(names = "--normalize", paramLabel = "imagenet|none",
            description = "Input normalisation: imagenet (per RGB channel, mean 0.485, 0.456, 0.406 and std 0.229, 0.224, 0.225, as torchvision's"
                    + " pretrained weights expect) or none (default: what the weights file records; imagenet for a PyTorch file with a"
                    + " 3-channel input layer; else none).")
    String normalize;

    private boolean fromWeights;

    /** Fills the flag, when left out, from a weights file: what it records, else imagenet for a PyTorch file whose input layer takes 3 channels. */
    void defaultFrom(Path weights, Map<String, int[]> shapes) throws IOException {
        if (normalize == null) {
            fromWeights = true;
            String recorded = Weights.metadata(weights).get(META);
            int[] first = ModelOptions.firstConv(shapes);
            normalize = recorded != null ? recorded : Weights.isPytorch(weights) && first != null && first[1] == 3 ? "imagenet" : "none";
        }
        name();
    }

    /**
     * Refuses another weights file of an ensemble that records another normalisation than the
     * one the first file gave (the flag, when given, holds for all of them).
     */
    void requireAgrees(Path weights) throws IOException {
        String recorded = Weights.metadata(weights).get(META);
        if (fromWeights && recorded != null && !recorded.equals(name())) {
            throw new IllegalArgumentException(weights + " was trained on inputs normalised " + recorded + ", the first weights on " + name()
                    + ": evaluate them apart, or choose one with --normalize");
        }
    }

    /** imagenet or none (none when left out and not defaulted from weights). */
    String name() {
        String n = normalize == null ? "none" : normalize;
        if (!n.equals("imagenet") && !n.equals("none")) throw new IllegalArgumentException("--normalize must be imagenet or none, got '" + n + "'");
        return n;
    }

    /** The transform to apply to inputs, or null for none. */
    Normalize transform() {
        return name().equals("imagenet") ? Normalize.IMAGENET : null;
    }
}
