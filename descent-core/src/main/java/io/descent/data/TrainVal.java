package io.descent.data;

import java.util.Objects;

/** A training set and the validation set it is judged on (Fashion-MNIST's test set, a folder's {@code val/}, a seeded split). */
public record TrainVal(Dataset train, Dataset val) {
    public TrainVal {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
    }
}
