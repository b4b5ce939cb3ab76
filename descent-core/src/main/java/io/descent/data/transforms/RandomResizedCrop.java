package io.descent.data.transforms;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.tensor.Rng;

/**
 * Crops a random box of random area and aspect ratio and resizes it to {@code height × width}
 * (torchvision's {@code RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(3/4, 4/3))}, the
 * Inception/ImageNet augmentation). As in torchvision's {@code get_params}: up to 10 tries of
 * area {@code ~ U(scale) · H · W} and log-uniform ratio, keeping the first box that fits; else a
 * centred box of the whole image clamped to the ratio range. Python's {@code round} (half to
 * even) is used where torchvision rounds.
 */
public final class RandomResizedCrop implements Transform {
    private final int height;
    private final int width;
    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;

    /** A square output with torchvision's default scale and ratio ranges. */
    public RandomResizedCrop(int size) {
        this(size, size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    public RandomResizedCrop(int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("RandomResizedCrop: size must be positive, got " + height + "x" + width);
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop: scale must satisfy 0 < min <= max <= 1, got (" + scaleMin + ", " + scaleMax + ")");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
            throw new IllegalArgumentException("RandomResizedCrop: ratio must satisfy 0 < min <= max, got (" + ratioMin + ", " + ratioMax + ")");
        }
        this.height = height;
        this.width = width;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
    }

    @Override
    public Example apply(Example e, Rng rng) {
        int[] s = e.requireImage("RandomResizedCrop");
        int[] box = box(s[1], s[2], rng);
        float[] y = Resampling.resizedCrop(e.data(), s[0], s[1], s[2], box[0], box[1], box[2], box[3], height, width);
        // box = {top, left, h, w} of the source: x → (x − left)·width/w
        float sx = width / (float) box[3], sy = height / (float) box[2];
        return e.withImage(y, new int[] {s[0], height, width}, b -> b.affine(sx, -box[1] * sx, sy, -box[0] * sy).clipped(width, height));
    }

    /** {top, left, h, w} of the crop box for an {@code imgH × imgW} image. */
    int[] box(int imgH, int imgW, Rng rng) {
        double area = (double) imgH * imgW;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logRatioMin + (logRatioMax - logRatioMin) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= imgW && h > 0 && h <= imgH) {
                int top = rng.nextInt(imgH - h + 1);
                int left = rng.nextInt(imgW - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) imgW / imgH, rMin = Math.exp(logRatioMin), rMax = Math.exp(logRatioMax);
        int w = imgW, h = imgH;
        if (inRatio < rMin) {
            h = (int) Math.rint(w / rMin);
        } else if (inRatio > rMax) {
            w = (int) Math.rint(h * rMax);
        }
        return new int[] {(imgH - h) / 2, (imgW - w) / 2, h, w};
    }
}
