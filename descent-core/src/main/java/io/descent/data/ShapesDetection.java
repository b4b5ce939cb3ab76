package io.descent.data;

import io.descent.tensor.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in synthetic detection data set: each image holds 1 to {@code maxObjects} of the
 * ten {@link Shapes} (same names, same drawing) at random positions, sizes (radius 8–20 % of
 * the image), turns (±20°) and stretches, each in its own intensity or colour over a random
 * background, with thin distractor strokes and Gaussian pixel noise; every object has its box
 * (the tight box of its drawn sample points, to a third of a pixel) and its shape's class.
 * Objects are placed so that no two boxes overlap by more than 0.2 IoU, so every object stays
 * mostly visible (later ones are drawn over earlier ones).
 *
 * <p>Example {@code i} is a pure function of {@code (seed, i)}, as in {@link Shapes}: unlimited,
 * reproducible, nothing stored. Its label is {@link Example#UNLABELED}; the classes are in its
 * boxes.
 */
public final class ShapesDetection implements Dataset {
    private static final int PLACEMENT_TRIES = 20;
    private static final double MAX_PLACED_IOU = 0.2;

    private final int size;
    private final long seed;
    private final int imageSize;
    private final int channels;
    private final int maxObjects;

    public ShapesDetection(int size, long seed, int imageSize, int channels, int maxObjects) {
        if (size < 0) throw new IllegalArgumentException("ShapesDetection: size must be >= 0, got " + size);
        if (imageSize < 16) throw new IllegalArgumentException("ShapesDetection: imageSize must be >= 16 pixels, got " + imageSize);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("ShapesDetection: channels must be 1 or 3, got " + channels);
        if (maxObjects < 1) throw new IllegalArgumentException("ShapesDetection: maxObjects must be >= 1, got " + maxObjects);
        this.size = size;
        this.seed = seed;
        this.imageSize = imageSize;
        this.channels = channels;
        this.maxObjects = maxObjects;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        Dataset.checkIndex(this, index);
        return Example.UNLABELED;
    }

    @Override
    public List<String> classes() {
        return Shapes.CLASSES;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(this, index);
        Rng rng = new Rng(Seeds.derive(seed, index));
        int s = imageSize, plane = s * s;
        float[] x = new float[channels * plane];
        float[] background = new float[channels];
        for (int c = 0; c < channels; c++) {
            background[c] = 0.3f * rng.nextFloat();
            Arrays.fill(x, c * plane, (c + 1) * plane, background[c]);
        }
        int count = 1 + rng.nextInt(maxObjects);
        float[] boxes = new float[4 * count];
        int[] labels = new int[count];
        float[] cover = new float[plane];
        int placed = 0;
        for (int k = 0; k < count; k++) {
            int kind = rng.nextInt(Shapes.CLASSES.size());
            double radius = s * (0.08 + 0.12 * rng.nextDouble());
            double margin = 1.1 * radius, cx = 0, cy = 0;
            boolean free = false;
            for (int t = 0; t < PLACEMENT_TRIES && !free; t++) {
                cx = margin + (s - 2 * margin) * rng.nextDouble();
                cy = margin + (s - 2 * margin) * rng.nextDouble();
                free = clearOf(boxes, placed, cx, cy, radius);
            }
            double angle = Math.toRadians(-20 + 40 * rng.nextDouble());
            double ru = radius * (0.85 + 0.3 * rng.nextDouble()), rv = radius * (0.85 + 0.3 * rng.nextDouble());
            float contrast = 0.35f + 0.35f * rng.nextFloat();
            float[] colour = new float[channels];
            for (int c = 0; c < channels; c++) colour[c] = channels == 1 ? contrast : 0.35f + 0.35f * rng.nextFloat();
            if (!free) continue; // no room left: the draws above keep the stream the same for any outcome
            float[] box = Shapes.render(kind, cx, cy, angle, ru, rv, s, cover);
            if (box == null) continue;
            for (int c = 0; c < channels; c++) {
                float level = Math.min(1f, background[c] + colour[c]);
                for (int p = 0; p < plane; p++) {
                    int i = c * plane + p;
                    x[i] += cover[p] * (level - x[i]); // drawn over what is there, anti-aliased
                }
            }
            System.arraycopy(box, 0, boxes, 4 * placed, 4);
            labels[placed++] = kind;
        }
        addStrokesAndNoise(x, s, rng);
        return new Example(x, new int[] {channels, s, s}, Example.UNLABELED, null,
                new Boxes(Arrays.copyOf(boxes, 4 * placed), Arrays.copyOf(labels, placed)));
    }

    /** Whether a square of half-side {@code radius} at (cx, cy) overlaps none of the first {@code n} boxes by more than the limit. */
    private static boolean clearOf(float[] boxes, int n, double cx, double cy, double radius) {
        double ax1 = cx - radius, ay1 = cy - radius, ax2 = cx + radius, ay2 = cy + radius, areaA = 4 * radius * radius;
        for (int j = 0; j < n; j++) {
            double bx1 = boxes[4 * j], by1 = boxes[4 * j + 1], bx2 = boxes[4 * j + 2], by2 = boxes[4 * j + 3];
            double iw = Math.min(ax2, bx2) - Math.max(ax1, bx1), ih = Math.min(ay2, by2) - Math.max(ay1, by1);
            if (iw <= 0 || ih <= 0) continue;
            double inter = iw * ih, union = areaA + (bx2 - bx1) * (by2 - by1) - inter;
            if (inter / union > MAX_PLACED_IOU) return false;
        }
        return true;
    }

    private void addStrokesAndNoise(float[] x, int s, Rng rng) {
        int plane = s * s;
        float sigma = 0.02f + 0.08f * rng.nextFloat();
        int strokes = rng.nextInt(Shapes.MAX_STROKES + 1);
        double[] seg = new double[strokes * 4];
        for (int k = 0; k < seg.length; k++) seg[k] = s * rng.nextDouble();
        float strokeLevel = 0.3f + 0.5f * rng.nextFloat();
        for (int py = 0; py < s; py++) {
            for (int px = 0; px < s; px++) {
                boolean stroke = false;
                for (int k = 0; k < strokes && !stroke; k++) stroke = Shapes.distanceToSegment(px + 0.5, py + 0.5, seg, 4 * k) <= Shapes.STROKE_HALF_WIDTH;
                for (int c = 0; c < channels; c++) {
                    int i = c * plane + py * s + px;
                    float v = stroke ? Math.max(x[i], strokeLevel) : x[i];
                    x[i] = Math.min(1f, Math.max(0f, v + sigma * (float) rng.nextGaussian()));
                }
            }
        }
    }
}
