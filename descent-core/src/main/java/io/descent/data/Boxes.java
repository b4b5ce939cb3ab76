package io.descent.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The objects of one image for detection: {@code k} boxes as {@code x1, y1, x2, y2} in pixels
 * of that image ({@code xyxy}, torchvision's {@code boxes} layout: x to the right, y down, the
 * image spanning [0, W] × [0, H]) and each box's class in {@code labels}. A box has no area when
 * x2 = x1 or y2 = y1; corners out of order, negative classes and non-finite coordinates are
 * refused. Arrays are copied in and out: a {@code Boxes} never changes.
 */
public record Boxes(float[] xyxy, int[] labels) {
    private static final Boxes EMPTY = new Boxes(new float[0], new int[0]);

    public Boxes {
        Objects.requireNonNull(xyxy, "xyxy");
        Objects.requireNonNull(labels, "labels");
        if (xyxy.length != 4 * labels.length) {
            throw new IllegalArgumentException("Boxes: " + xyxy.length + " coordinates for " + labels.length + " labels (4 per box: x1, y1, x2, y2)");
        }
        xyxy = xyxy.clone();
        labels = labels.clone();
        requireValid("Boxes", xyxy, labels);
    }

    /**
     * Refuses, naming {@code owner}, a box {@code i} (corners at {@code 4i..4i+3} of {@code xyxy},
     * {@code labels.length} of them) with a non-finite coordinate, corners out of order or a
     * negative class: the rules of every box, true or predicted.
     */
    public static void requireValid(String owner, float[] xyxy, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            float x1 = xyxy[4 * i], y1 = xyxy[4 * i + 1], x2 = xyxy[4 * i + 2], y2 = xyxy[4 * i + 3];
            if (!(Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(x2) && Float.isFinite(y2))) {
                throw new IllegalArgumentException(owner + ": box " + i + " has a non-finite coordinate " + Arrays.toString(box(xyxy, i)));
            }
            if (x2 < x1 || y2 < y1) throw new IllegalArgumentException(owner + ": box " + i + " " + Arrays.toString(box(xyxy, i)) + " is not x1 <= x2, y1 <= y2");
            if (labels[i] < 0) throw new IllegalArgumentException(owner + ": box " + i + " has class " + labels[i] + " (must be >= 0)");
        }
    }

    /** No objects. */
    public static Boxes empty() {
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
    public int[] labels() {
        return labels.clone();
    }

    /** Box {@code i}'s corners {x1, y1, x2, y2}. */
    public float[] box(int i) {
        return box(xyxy, Objects.checkIndex(i, labels.length));
    }

    public int label(int i) {
        return labels[i];
    }

    /** Every box mapped by x → sx·x + dx, y → sy·y + dy (sx, sy > 0): a resize and a crop's shift. */
    public Boxes affine(float sx, float dx, float sy, float dy) {
        if (!(sx > 0 && sy > 0)) throw new IllegalArgumentException("Boxes.affine: scales must be positive, got " + sx + ", " + sy);
        float[] out = new float[xyxy.length];
        for (int i = 0; i < out.length; i += 2) {
            out[i] = sx * xyxy[i] + dx;
            out[i + 1] = sy * xyxy[i + 1] + dy;
        }
        return new Boxes(out, labels);
    }

    /** The boxes of the image mirrored left–right, {@code width} pixels wide: x → width − x. */
    public Boxes flippedHorizontally(int width) {
        float[] out = new float[xyxy.length];
        for (int i = 0; i < out.length; i += 4) {
            out[i] = width - xyxy[i + 2];
            out[i + 1] = xyxy[i + 1];
            out[i + 2] = width - xyxy[i];
            out[i + 3] = xyxy[i + 3];
        }
        return new Boxes(out, labels);
    }

    /**
     * The boxes clipped to the image [0, width] × [0, height], without those left with no area
     * (wholly cropped away): torchvision's {@code clamp_bounding_boxes} then
     * {@code SanitizeBoundingBoxes}.
     */
    public Boxes clipped(int width, int height) {
        float[] out = new float[xyxy.length];
        int[] keep = new int[labels.length];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            float x1 = clamp(xyxy[4 * i], width), y1 = clamp(xyxy[4 * i + 1], height);
            float x2 = clamp(xyxy[4 * i + 2], width), y2 = clamp(xyxy[4 * i + 3], height);
            if (x2 <= x1 || y2 <= y1) continue;
            out[4 * k] = x1;
            out[4 * k + 1] = y1;
            out[4 * k + 2] = x2;
            out[4 * k + 3] = y2;
            keep[k++] = labels[i];
        }
        return new Boxes(Arrays.copyOf(out, 4 * k), Arrays.copyOf(keep, k));
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static float[] box(float[] xyxy, int i) {
        return Arrays.copyOfRange(xyxy, 4 * i, 4 * i + 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Boxes b && Arrays.equals(xyxy, b.xyxy) && Arrays.equals(labels, b.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(xyxy) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Boxes[");
        for (int i = 0; i < labels.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(labels[i]).append(Arrays.toString(box(xyxy, i)));
        }
        return sb.append(']').toString();
    }
}
