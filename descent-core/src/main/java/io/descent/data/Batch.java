package io.descent.data;

import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A collated mini-batch: {@code inputs} [N, C, H, W] (or [N, F] for tables), the hard
 * {@code labels} (one per row, {@link Example#UNLABELED} where there is none), and two optional
 * targets:
 * <ul>
 *   <li>{@code softTargets} [N, K]: class probabilities summing to 1 per row, set by batch
 *       transforms such as mixup and CutMix (the cross-entropy accepts them in place of labels);
 *   <li>{@code targets}: reconstruction targets of the inputs' shape (autoencoders, denoising);
 *   <li>{@code boxes}: each row's detection boxes, in the pixels of its image (detection).
 * </ul>
 * {@code indices} are the data set indices of the rows, for error reports and evaluation.
 */
public record Batch(Tensor inputs, int[] labels, Tensor softTargets, Tensor targets, int[] indices, java.util.List<Boxes> boxes) {
    public Batch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(indices, "indices");
        if (inputs.dim() < 2) throw new IllegalArgumentException("Batch: inputs must be [N, ...], got " + Shape.str(inputs.shape()));
        int n = inputs.size(0);
        if (labels.length != n) throw new IllegalArgumentException("Batch: " + labels.length + " labels for " + n + " inputs");
        if (indices.length != n) throw new IllegalArgumentException("Batch: " + indices.length + " indices for " + n + " inputs");
        if (softTargets != null && (softTargets.dim() != 2 || softTargets.size(0) != n)) {
            throw new IllegalArgumentException("Batch: soft targets must be [" + n + ", K], got " + Shape.str(softTargets.shape()));
        }
        if (targets != null && !Arrays.equals(targets.shape(), inputs.shape())) {
            throw new IllegalArgumentException("Batch: targets " + Shape.str(targets.shape()) + " do not match inputs " + Shape.str(inputs.shape()));
        }
        if (boxes != null) {
            boxes = java.util.List.copyOf(boxes);
            if (boxes.size() != n) throw new IllegalArgumentException("Batch: boxes for " + boxes.size() + " images, " + n + " inputs");
        }
    }

    /** A batch without detection boxes. */
    public Batch(Tensor inputs, int[] labels, Tensor softTargets, Tensor targets, int[] indices) {
        this(inputs, labels, softTargets, targets, indices, null);
    }

    /** The number of rows N. */
    public int size() {
        return labels.length;
    }

    /** The same batch with new inputs and soft targets (a batch transform's output). */
    public Batch withMixed(Tensor newInputs, Tensor newSoftTargets) {
        return new Batch(newInputs, labels, newSoftTargets, targets, indices, boxes);
    }
}
