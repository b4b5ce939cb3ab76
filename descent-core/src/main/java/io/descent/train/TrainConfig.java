package io.descent.train;

/**
 * How {@link Trainer#fit} trains. Build from {@link #defaults()} with the {@code with*} methods.
 *
 * @param epochs           passes over the training data
 * @param maxSteps         stop after this many optimizer updates (0: no limit)
 * @param accumulate       micro-batches per optimizer update (gradient accumulation, k)
 * @param clipNorm         clip the global gradient norm to this value (0: off; the norm is always logged)
 * @param clipValue        clamp every gradient element into ±this value (0: off)
 * @param nonFinite        what a NaN/Inf loss or gradient does: halt with a message, or skip the update
 * @param evalEverySteps   also evaluate every N optimizer updates (0: once per epoch)
 * @param ratioEverySteps  measure update-to-weight ratios every N updates (0: off)
 */
public record TrainConfig(int epochs, long maxSteps, int accumulate, double clipNorm, double clipValue,
                          NonFinite nonFinite, long evalEverySteps, long ratioEverySteps) {
    public enum NonFinite { HALT, SKIP }

    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (maxSteps < 0) throw new IllegalArgumentException("max steps must be >= 0, got " + maxSteps);
        if (accumulate < 1) throw new IllegalArgumentException("accumulate must be >= 1, got " + accumulate);
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clip value must be >= 0, got " + clipValue);
        if (nonFinite == null) throw new IllegalArgumentException("non-finite policy must be set");
        if (evalEverySteps < 0 || ratioEverySteps < 0) throw new IllegalArgumentException("intervals must be >= 0");
    }

    public static TrainConfig defaults() {
        return new TrainConfig(1, 0, 1, 0, 0, NonFinite.HALT, 0, 50);
    }

    public TrainConfig withEpochs(int v) {
        return new TrainConfig(v, maxSteps, accumulate, clipNorm, clipValue, nonFinite, evalEverySteps, ratioEverySteps);
    }

    public TrainConfig withMaxSteps(long v) {
        return new TrainConfig(epochs, v, accumulate, clipNorm, clipValue, nonFinite, evalEverySteps, ratioEverySteps);
    }

    public TrainConfig withAccumulate(int v) {
        return new TrainConfig(epochs, maxSteps, v, clipNorm, clipValue, nonFinite, evalEverySteps, ratioEverySteps);
    }

    public TrainConfig withClipNorm(double v) {
        return new TrainConfig(epochs, maxSteps, accumulate, v, clipValue, nonFinite, evalEverySteps, ratioEverySteps);
    }

    public TrainConfig withClipValue(double v) {
        return new TrainConfig(epochs, maxSteps, accumulate, clipNorm, v, nonFinite, evalEverySteps, ratioEverySteps);
    }

    public TrainConfig withNonFinite(NonFinite v) {
        return new TrainConfig(epochs, maxSteps, accumulate, clipNorm, clipValue, v, evalEverySteps, ratioEverySteps);
    }

    public TrainConfig withEvalEverySteps(long v) {
        return new TrainConfig(epochs, maxSteps, accumulate, clipNorm, clipValue, nonFinite, v, ratioEverySteps);
    }

    public TrainConfig withRatioEverySteps(long v) {
        return new TrainConfig(epochs, maxSteps, accumulate, clipNorm, clipValue, nonFinite, evalEverySteps, v);
    }
}
