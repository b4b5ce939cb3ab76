package io.descent.data;

import io.descent.tensor.Shape;
import java.util.Objects;

/**
 * One example as a {@link Dataset} yields it and a {@link Transform} rewrites it: the input
 * values row-major in {@code shape} ([C, H, W] for an image, [F] for a table row), the class
 * {@code label} ({@link #UNLABELED} when there is none), and an optional reconstruction
 * {@code target} of the same shape (the clean image a denoising autoencoder must output).
 *
 * <p>Image values follow torchvision's {@code ToTensor}: channels first, floats in [0, 1].
 * Arrays are handed over, not copied: transforms never write into an example they receive,
 * they return a new one.
 */
public record Example(float[] data, int[] shape, int label, float[] target) {
    /** The label of an example without a class. */
    public static final int UNLABELED = -1;

    public Example {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        if (data.length != Shape.numel(shape)) {
            throw new IllegalArgumentException("Example: " + data.length + " values do not fill shape " + Shape.str(shape));
        }
        if (label < UNLABELED) throw new IllegalArgumentException("Example: label must be >= 0 (or UNLABELED), got " + label);
        if (target != null && target.length != data.length) {
            throw new IllegalArgumentException("Example: target has " + target.length + " values, data " + data.length);
        }
    }

    /** A labelled example without a reconstruction target. */
    public Example(float[] data, int[] shape, int label) {
        this(data, shape, label, null);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The same label and target with new input values (a transform's output). */
    public Example withData(float[] newData, int... newShape) {
        return new Example(newData, newShape, label, target);
    }

    public Example withLabel(int newLabel) {
        return new Example(data, shape, newLabel, target);
    }

    public Example withTarget(float[] newTarget) {
        return new Example(data, shape, label, newTarget);
    }

    /** Channels of an image example; {@code op} names the caller in the error for other ranks. */
    public int channels(String op) {
        return requireImage(op)[0];
    }

    /**
     * The [C, H, W] shape of an image example; {@code op} (the transform's name) and the actual
     * shape appear in the error when the example is not an image.
     */
    public int[] requireImage(String op) {
        if (shape.length != 3) {
            throw new IllegalArgumentException(op + ": expects an image [C, H, W], got an example of shape " + Shape.str(shape));
        }
        return shape.clone();
    }
}
