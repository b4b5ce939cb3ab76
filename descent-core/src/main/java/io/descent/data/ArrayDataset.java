package io.descent.data;

import io.descent.tensor.Shape;
import java.util.List;
import java.util.Objects;

/**
 * Examples held in one float array (PyTorch's {@code TensorDataset}): {@code values} holds
 * {@code size} examples of {@code exampleShape} back to back; {@code labels} is null for
 * unlabelled data. {@link #get} returns a copy, so callers may keep or change it.
 */
public final class ArrayDataset implements Dataset {
    private final float[] values;
    private final int[] exampleShape;
    private final int per;
    private final int[] labels;
    private final List<String> classes;

    public ArrayDataset(float[] values, int[] exampleShape, int[] labels, List<String> classes) {
        this.values = Objects.requireNonNull(values, "values");
        this.exampleShape = Objects.requireNonNull(exampleShape, "exampleShape").clone();
        this.per = Shape.numel(exampleShape);
        this.classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
        if (per == 0 || values.length % per != 0) {
            throw new IllegalArgumentException("ArrayDataset: " + values.length + " values are not a whole number of examples of shape " + Shape.str(exampleShape));
        }
        int n = values.length / per;
        if (labels != null) {
            if (labels.length != n) throw new IllegalArgumentException("ArrayDataset: " + labels.length + " labels for " + n + " examples");
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || (!this.classes.isEmpty() && labels[i] >= this.classes.size())) {
                    throw new IllegalArgumentException("ArrayDataset: label " + labels[i] + " of example " + i + " is out of range for " + this.classes.size() + " classes");
                }
            }
        }
        this.labels = labels == null ? null : labels.clone();
    }

    @Override
    public int size() {
        return values.length / per;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(this, index);
        float[] x = new float[per];
        System.arraycopy(values, index * per, x, 0, per);
        return new Example(x, exampleShape, label(index));
    }

    @Override
    public int label(int index) {
        return labels == null ? Example.UNLABELED : labels[Dataset.checkIndex(this, index)];
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** The shape of one example. */
    public int[] exampleShape() {
        return exampleShape.clone();
    }
}
