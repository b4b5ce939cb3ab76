package io.descent.detect;

import java.util.Arrays;
import java.util.Objects;

/**
 * The objects a detector predicts in one image: {@code k} boxes as {@code x1, y1, x2, y2} in
 * pixels of that image ({@code xyxy}, the layout of {@link io.descent.data.Boxes} and of
 * torchvision's detection outputs {@code boxes, scores, labels}), each box's confidence in
 * {@code scores} and its class in {@code labels}. Corners out of order, non-finite coordinates or
 * scores, and negative classes are refused. Arrays are copied in and out: a {@code Detections}
 * never changes.
 */
public record Detections(float[] xyxy, float[] scores, int[] labels) {
    private static final Detections EMPTY = new Detections(new float[0], new float[0], new int[0]);

    public Detections {
        Objects.requireNonNull(xyxy, "xyxy");
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (xyxy.length != 4 * labels.length || scores.length != labels.length) {
            throw new IllegalArgumentException("Detections: " + xyxy.length + " coordinates, " + scores.length + " scores and "
                    + labels.length + " labels (4 coordinates x1, y1, x2, y2 and 1 score per label)");
        }
        xyxy = xyxy.clone();
        scores = scores.clone();
        labels = labels.clone();
        io.descent.data.Boxes.requireValid("Detections", xyxy, labels);
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isFinite(scores[i])) throw new IllegalArgumentException("Detections: box " + i + " has a non-finite score " + scores[i]);
        }
    }

    /** No objects. */
    public static Detections empty() {
        return EMPTY;
    }

    public int size() {
        return labels.length;
    }

    @Override
    public float[] xyxy() {
        return xyxy.clone();
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Box {@code i}'s corners {x1, y1, x2, y2}. */
    public float[] box(int i) {
        return box(xyxy, Objects.checkIndex(i, labels.length));
    }

    public float score(int i) {
        return scores[Objects.checkIndex(i, labels.length)];
    }

    public int label(int i) {
        return labels[Objects.checkIndex(i, labels.length)];
    }

    /**
     * The detections at {@code indices}, in that order (repeats allowed): what the indices that
     * {@link BoxOps#nms} or {@link BoxOps#batchedNms} keep pick out.
     */
    public Detections select(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        float[] b = new float[4 * indices.length], s = new float[indices.length];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IllegalArgumentException("Detections.select: index " + i + " (at " + k + ") is out of range for " + labels.length + " detections");
            }
            System.arraycopy(xyxy, 4 * i, b, 4 * k, 4);
            s[k] = scores[i];
            l[k] = labels[i];
        }
        return new Detections(b, s, l);
    }

    private static float[] box(float[] xyxy, int i) {
        return Arrays.copyOfRange(xyxy, 4 * i, 4 * i + 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Detections d && Arrays.equals(xyxy, d.xyxy) && Arrays.equals(scores, d.scores) && Arrays.equals(labels, d.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(xyxy) + Arrays.hashCode(scores)) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Detections[");
        for (int i = 0; i < labels.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(labels[i]).append(Arrays.toString(box(xyxy, i))).append('@').append(scores[i]);
        }
        return sb.append(']').toString();
    }
}
