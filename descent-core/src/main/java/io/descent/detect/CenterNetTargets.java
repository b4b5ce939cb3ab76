package io.descent.detect;

import io.descent.data.Boxes;
import java.util.List;

/**
 * What a {@link io.descent.models.CenterNet} must output for a batch of images with known boxes,
 * as CenterNet's training code builds it ({@code ctdet.py}; Zhou et al., 2019, §3): per image,
 * on the output grid of {@code height × width} cells, where a box {x1, y1, x2, y2} in input
 * pixels maps to cells by multiplying by {@code scaleX, scaleY} (1/R):
 * <ul>
 *   <li>{@code heatmap} [N, C, H, W]: for each box a Gaussian at its centre cell
 *       p̃ = ⌊(x1+x2)/2, (y1+y2)/2⌋ in its class's plane, exactly 1 at p̃, σ = (2r+1)/6 with r
 *       CornerNet's radius for a 0.7 overlap ({@link #gaussianRadius}); where Gaussians meet,
 *       the larger value;</li>
 *   <li>{@code regression} [N, 4, H, W] at p̃: the box's width and height in cells, then the
 *       centre's offset within the cell p − p̃;</li>
 *   <li>{@code mask} [N, 1, H, W]: 1 at each centre cell. Two objects whose centres fall in one
 *       cell share it; the later box's size and offset are kept (CenterNet has the same
 *       collision; with stride 4 on COCO it affects under 0.1 % of objects).</li>
 * </ul>
 * Boxes with no area on the grid are skipped, as CenterNet skips them.
 */
public record CenterNetTargets(float[] heatmap, float[] regression, float[] mask, int batch, int classes, int height, int width, int objects) {
    /**
     * The targets of {@code boxes} (one per image) on a {@code height × width} grid of
     * {@code classes} heatmap planes, the output of images {@code height / scaleY} pixels high.
     */
    public static CenterNetTargets encode(List<Boxes> boxes, int classes, int height, int width, float scaleX, float scaleY) {
        if (classes < 1 || height < 1 || width < 1) throw new IllegalArgumentException("CenterNetTargets: classes, height and width must be positive, got " + classes + ", " + height + ", " + width);
        if (!(scaleX > 0 && scaleY > 0)) throw new IllegalArgumentException("CenterNetTargets: scales must be positive, got " + scaleX + ", " + scaleY);
        int n = boxes.size(), plane = height * width;
        float[] heat = new float[n * classes * plane], reg = new float[n * 4 * plane], mask = new float[n * plane];
        int objects = 0;
        for (int i = 0; i < n; i++) {
            Boxes b = boxes.get(i);
            for (int k = 0; k < b.size(); k++) {
                int cls = b.label(k);
                if (cls >= classes) throw new IllegalArgumentException("CenterNetTargets: image " + i + " has a box of class " + cls + " but the model has " + classes + " classes");
                float[] xy = b.box(k);
                float x1 = xy[0] * scaleX, y1 = xy[1] * scaleY, x2 = xy[2] * scaleX, y2 = xy[3] * scaleY;
                float w = x2 - x1, h = y2 - y1;
                if (!(w > 0 && h > 0)) continue;
                float cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
                int px = Math.min(width - 1, Math.max(0, (int) cx)), py = Math.min(height - 1, Math.max(0, (int) cy));
                int radius = Math.max(0, (int) gaussianRadius(Math.ceil(h), Math.ceil(w), 0.7));
                drawGaussian(heat, (i * classes + cls) * plane, height, width, px, py, radius);
                int at = py * width + px, base = i * 4 * plane;
                reg[base + at] = w;
                reg[base + plane + at] = h;
                reg[base + 2 * plane + at] = cx - px;
                reg[base + 3 * plane + at] = cy - py;
                mask[i * plane + at] = 1;
                objects++;
            }
        }
        return new CenterNetTargets(heat, reg, mask, n, classes, height, width, objects);
    }

    /**
     * The radius r around a box's corners within which a box of {@code height × width} still
     * overlaps the true one by {@code minOverlap} IoU: the smallest root of CornerNet's three
     * quadratics (Law and Deng, 2018), with the exact expressions of CenterNet's
     * {@code gaussian_radius} (whose divisions by 2, not 2a, every CenterNet model was trained
     * with; they give a larger radius than the geometry alone).
     */
    public static double gaussianRadius(double height, double width, double minOverlap) {
        double b1 = height + width, c1 = width * height * (1 - minOverlap) / (1 + minOverlap);
        double r1 = (b1 + Math.sqrt(b1 * b1 - 4 * c1)) / 2;
        double a2 = 4, b2 = 2 * (height + width), c2 = (1 - minOverlap) * width * height;
        double r2 = (b2 + Math.sqrt(b2 * b2 - 4 * a2 * c2)) / 2;
        double a3 = 4 * minOverlap, b3 = -2 * minOverlap * (height + width), c3 = (minOverlap - 1) * width * height;
        double r3 = (b3 + Math.sqrt(b3 * b3 - 4 * a3 * c3)) / 2;
        return Math.min(r1, Math.min(r2, r3));
    }

    /**
     * Raises the plane at {@code offset} to exp(−(dx² + dy²)/(2σ²)), σ = (2r+1)/6, within r cells
     * of (px, py) (CenterNet's {@code draw_umich_gaussian}; values below float64's ε are 0).
     */
    private static void drawGaussian(float[] heat, int offset, int height, int width, int px, int py, int radius) {
        double sigma = (2 * radius + 1) / 6.0, eps = Math.ulp(1.0);
        for (int dy = -Math.min(py, radius); dy <= Math.min(height - 1 - py, radius); dy++) {
            for (int dx = -Math.min(px, radius); dx <= Math.min(width - 1 - px, radius); dx++) {
                double g = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                if (g < eps) continue;
                int at = offset + (py + dy) * width + px + dx;
                heat[at] = Math.max(heat[at], (float) g);
            }
        }
    }
}
