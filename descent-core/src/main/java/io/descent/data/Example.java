package io.descent.data;

import io.descent.tensor.Shape;
import java.util.Objects;

/**
 * One example as a {@link Dataset} yields it and a {@link Transform} rewrites it: the input
 * values row-major in {@code shape} ([C, H, W] for an image, [F] for a table row), the class
 * {@code label} ({@link #UNLABELED} when there is none), an optional reconstruction
 * {@code target} of the same shape (the clean image a denoising autoencoder must output), and
 * optional detection {@code boxes} in the image's pixels.
 *
 * <p>A transform that moves pixels (resize, crop, flip) must move the boxes with them, through
 * {@link #withImage}: {@link #withData} refuses to keep boxes across a change of the image's
 * height or width, so a transform that knows nothing of boxes fails loudly instead of leaving
 * them where the objects no longer are.
 *
 * <p>Image values follow torchvision's {@code ToTensor}: channels first, floats in [0, 1].
 * Arrays are handed over, not copied: transforms never write into an example they receive,
 * they return a new one.
 */
public record Example(float[] data, int[] shape, int label, float[] target, Boxes boxes) {
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
        if (boxes != null && shape.length != 3) throw new IllegalArgumentException("Example: boxes need an image [C, H, W], got shape " + Shape.str(shape));
    }

    /** An example without boxes. */
    public Example(float[] data, int[] shape, int label, float[] target) {
        this(data, shape, label, target, null);
    }

    /** A labelled example without a reconstruction target. */
    public Example(float[] data, int[] shape, int label) {
        this(data, shape, label, null);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The same label, target and boxes with new input values (a transform's output); an example
     * with boxes must keep its height and width (else {@link #withImage}).
     */
    public Example withData(float[] newData, int... newShape) {
        if (boxes != null && (newShape.length != 3 || newShape[1] != shape[1] || newShape[2] != shape[2])) {
            throw new IllegalArgumentException("Example: an image with boxes changed from " + Shape.str(shape) + " to " + Shape.str(newShape)
                    + " without moving its boxes (the transform must use withImage)");
        }
        return new Example(newData, newShape, label, target, boxes);
    }

    /** New image values and the boxes moved with them (null boxes stay null); label and target kept. */
    public Example withImage(float[] newData, int[] newShape, java.util.function.UnaryOperator<Boxes> moveBoxes) {
        return new Example(newData, newShape, label, target, boxes == null ? null : moveBoxes.apply(boxes));
    }

    public Example withLabel(int newLabel) {
        return new Example(data, shape, newLabel, target, boxes);
    }

    public Example withTarget(float[] newTarget) {
        return new Example(data, shape, label, newTarget, boxes);
    }

    public Example withBoxes(Boxes newBoxes) {
        return new Example(data, shape, label, target, newBoxes);
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
