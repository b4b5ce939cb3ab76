package io.descent.cli;

import io.descent.data.Transform;
import io.descent.data.transforms.CleanTarget;
import io.descent.data.transforms.GaussianNoise;
import io.descent.data.transforms.MaskingNoise;
import java.util.List;
import picocli.CommandLine.Option;

/** The corruption of {@code --task denoise} ({@code --noise}, {@code --noise-level}), shared by train and evaluate. */
public final class NoiseOptions {
    @Option(names = "--noise", defaultValue = "gaussian", paramLabel = "gaussian|mask", description = "denoise: the corruption (default ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--noise-level", defaultValue = "0.3", paramLabel = "X", description = "denoise: Gaussian sigma or masking probability (default ${DEFAULT-VALUE}).")
    float noiseLevel;

    /** For {@code denoise}: the clean image becomes the target, then the input is corrupted. */
    void addCorruption(String task, List<Transform> ts) {
        if (!task.equals("denoise")) return;
        ts.add(new CleanTarget());
        ts.add(switch (noise) {
            case "gaussian" -> new GaussianNoise(noiseLevel);
            case "mask" -> new MaskingNoise(noiseLevel);
            default -> throw new IllegalArgumentException("--noise must be gaussian or mask, got '" + noise + "'");
        });
    }
}
