package io.descent.train;

import java.util.Map;

/** Hook points of {@link Trainer#fit}, in the order they fire. Every method has a no-op default. */
public interface Callback {
    default void onTrainStart(Trainer t) {}

    default void onEpochStart(Trainer t, int epoch) {}

    /** After the gradients of a full window are ready (clipped), before {@code optimizer.step()}. */
    default void beforeOptimizerStep(Trainer t, double gradNorm) {}

    /** After every micro-batch: its loss, and whether an optimizer update just happened. */
    default void onBatchEnd(Trainer t, int batchInEpoch, double loss, boolean updated) {}

    /** After an evaluation: the metrics row (epoch, step, lr, train_*, val_*, ...). */
    default void onValidationEnd(Trainer t, Map<String, Double> row) {}

    default void onEpochEnd(Trainer t, int epoch) {}

    default void onTrainEnd(Trainer t) {}
}
