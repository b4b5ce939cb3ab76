package io.descent.data;

import io.descent.tensor.Rng;
import java.util.List;

/**
 * A built-in synthetic image data set, so that training needs no download: 10 classes of
 * shapes drawn procedurally (filled circle, square, triangle, plus-cross, ring, horizontal bar,
 * vertical bar, diamond, X, L) at a random position, size (a quarter to three quarters of the
 * image), rotation (±20°), stretch (±15%), background and foreground intensity (or colours),
 * anti-aliased, with Gaussian pixel noise of random strength.
 *
 * <p>Example {@code i} is a pure function of {@code (seed, i)}, so the set is unlimited (any
 * size, nothing stored) and reproducible; its label is {@code i mod 10}, so every prefix is
 * class-balanced. Because the position varies over the whole image, a classifier needs
 * translation-invariant features: a small CNN learns it well, a linear model or an MLP on raw
 * pixels clearly less well.
 */
public final class Shapes implements Dataset {
    /** The class names, in label order. */
    public static final List<String> CLASSES = List.of(
            "circle", "square", "triangle", "cross", "ring", "horizontal-bar", "vertical-bar", "diamond", "x", "l-shape");

    private static final int SUPERSAMPLE = 3;
    static final int MAX_STROKES = 3;
    static final double STROKE_HALF_WIDTH = 0.5;

    private final int size;
    private final long seed;
    private final int imageSize;
    private final int channels;

    /** {@code size} examples of 28×28 grey images. */
    public Shapes(int size, long seed) {
        this(size, seed, 28, 1);
    }

    public Shapes(int size, long seed, int imageSize, int channels) {
        if (size < 0) throw new IllegalArgumentException("Shapes: size must be >= 0, got " + size);
        if (imageSize < 8) throw new IllegalArgumentException("Shapes: imageSize must be >= 8 pixels, got " + imageSize);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("Shapes: channels must be 1 or 3, got " + channels);
        this.size = size;
        this.seed = seed;
        this.imageSize = imageSize;
        this.channels = channels;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        return Dataset.checkIndex(this, index) % CLASSES.size();
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }

    @Override
    public Example get(int index) {
        int label = label(index);
        Rng rng = new Rng(Seeds.derive(seed, index));
        int s = imageSize;
        double radius = s * (0.13 + 0.2 * rng.nextDouble());
        double margin = 1.1 * radius;
        double cx = margin + (s - 2 * margin) * rng.nextDouble();
        double cy = margin + (s - 2 * margin) * rng.nextDouble();
        double angle = Math.toRadians(-20 + 40 * rng.nextDouble());
        double ru = radius * (0.85 + 0.3 * rng.nextDouble()), rv = radius * (0.85 + 0.3 * rng.nextDouble());
        float[] background = new float[channels], foreground = new float[channels];
        float contrast = 0.35f + 0.35f * rng.nextFloat();
        for (int c = 0; c < channels; c++) {
            background[c] = 0.3f * rng.nextFloat();
            foreground[c] = background[c] + (channels == 1 ? contrast : 0.35f + 0.35f * rng.nextFloat());
        }
        float sigma = 0.02f + 0.1f * rng.nextFloat();
        int strokes = rng.nextInt(MAX_STROKES + 1);
        double[] seg = new double[strokes * 4];
        for (int k = 0; k < seg.length; k++) seg[k] = s * rng.nextDouble();
        float strokeLevel = 0.3f + 0.5f * rng.nextFloat();
        int plane = s * s;
        float[] x = new float[channels * plane], cover = new float[plane];
        render(label, cx, cy, angle, ru, rv, s, cover);
        for (int py = 0; py < s; py++) {
            for (int px = 0; px < s; px++) {
                float coverage = cover[py * s + px];
                for (int k = 0; k < strokes && coverage == 0; k++) {
                    if (distanceToSegment(px + 0.5, py + 0.5, seg, 4 * k) <= STROKE_HALF_WIDTH) coverage = strokeLevel;
                }
                for (int c = 0; c < channels; c++) {
                    float value = background[c] + coverage * (foreground[c] - background[c]) + sigma * (float) rng.nextGaussian();
                    x[c * plane + py * s + px] = Math.min(1f, Math.max(0f, value));
                }
            }
        }
        return new Example(x, new int[] {channels, s, s}, label);
    }

    /**
     * Draws shape {@code kind} centred at (cx, cy), turned by {@code angle} radians, with radii
     * {@code ru} and {@code rv} along its own axes, into the {@code s}×{@code s} coverage map
     * {@code cover} (the fraction of each pixel's SUPERSAMPLE² sample points inside the shape),
     * and returns the tight box {x1, y1, x2, y2} of the sample cells inside (null when the shape
     * misses every sample point).
     */
    static float[] render(int kind, double cx, double cy, double angle, double ru, double rv, int s, float[] cover) {
        double cos = Math.cos(angle), sin = Math.sin(angle);
        float step = 1f / SUPERSAMPLE;
        float x1 = Float.POSITIVE_INFINITY, y1 = Float.POSITIVE_INFINITY, x2 = Float.NEGATIVE_INFINITY, y2 = Float.NEGATIVE_INFINITY;
        for (int py = 0; py < s; py++) {
            for (int px = 0; px < s; px++) {
                int hits = 0;
                for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                    double dy = py + (sy + 0.5) * step - cy;
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        double dx = px + (sx + 0.5) * step - cx;
                        double u = (cos * dx + sin * dy) / ru, v = (-sin * dx + cos * dy) / rv;
                        if (inside(kind, u, v)) {
                            hits++;
                            x1 = Math.min(x1, px + sx * step);
                            x2 = Math.max(x2, px + (sx + 1) * step);
                            y1 = Math.min(y1, py + sy * step);
                            y2 = Math.max(y2, py + (sy + 1) * step);
                        }
                    }
                }
                cover[py * s + px] = hits / (float) (SUPERSAMPLE * SUPERSAMPLE);
            }
        }
        return x1 > x2 ? null : new float[] {x1, y1, x2, y2};
    }

    static double distanceToSegment(double x, double y, double[] seg, int o) {
        double ax = seg[o], ay = seg[o + 1], dx = seg[o + 2] - ax, dy = seg[o + 3] - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
        double ex = x - ax - t * dx, ey = y - ay - t * dy;
        return Math.sqrt(ex * ex + ey * ey);
    }

    /** Whether the point (u, v) of the shape's own frame (unit radius, v pointing down) is inside shape {@code kind}. */
    static boolean inside(int kind, double u, double v) {
        double au = Math.abs(u), av = Math.abs(v);
        return switch (kind) {
            case 0 -> u * u + v * v <= 1; // circle
            case 1 -> au <= 0.8 && av <= 0.8; // square
            case 2 -> v <= 0.8 && au <= (v + 1) / 1.8; // triangle, apex up
            case 3 -> (au <= 0.28 && av <= 1) || (av <= 0.28 && au <= 1); // plus-cross
            case 4 -> { // ring
                double r2 = u * u + v * v;
                yield r2 <= 1 && r2 >= 0.4;
            }
            case 5 -> au <= 1 && av <= 0.3; // horizontal bar
            case 6 -> au <= 0.3 && av <= 1; // vertical bar
            case 7 -> au + av <= 1; // diamond
            case 8 -> (Math.abs(u - v) <= 0.4 || Math.abs(u + v) <= 0.4) && au <= 0.9 && av <= 0.9; // X
            case 9 -> (u >= -0.85 && u <= -0.3 && av <= 1) || (v >= 0.45 && v <= 1 && u >= -0.85 && u <= 0.85); // L
            default -> throw new IllegalArgumentException("Shapes: no shape " + kind);
        };
    }
}
