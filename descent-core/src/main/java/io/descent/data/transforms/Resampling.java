package io.descent.data.transforms;

/**
 * Bilinear resampling of a [C, H, W] image as PIL's {@code Image.resize(BILINEAR, box)} and
 * torchvision's {@code resize(antialias=True)} do it: a separable triangle filter whose
 * support widens by the shrink factor, so shrinking averages every source pixel (no aliasing)
 * and enlarging interpolates between the two nearest (half-pixel centres, edge pixels
 * repeated). The weights are normalised over the pixels inside the image (or crop box).
 */
public final class Resampling {
    private Resampling() {}

    /** Resizes the whole image to {@code outH × outW}. */
    public static float[] resize(float[] src, int c, int h, int w, int outH, int outW) {
        return resizedCrop(src, c, h, w, 0, 0, h, w, outH, outW);
    }

    /**
     * Resizes the box of {@code cropH × cropW} pixels at ({@code top}, {@code left}) to
     * {@code outH × outW} (torchvision's {@code resized_crop}: crop, then resize, so pixels
     * outside the box never contribute); the box must lie inside the image.
     */
    public static float[] resizedCrop(float[] src, int c, int h, int w, int top, int left, int cropH, int cropW, int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("resize: output size must be positive, got " + outH + "x" + outW);
        if (cropH < 1 || cropW < 1 || top < 0 || left < 0 || top + cropH > h || left + cropW > w) {
            throw new IllegalArgumentException("resize: box " + cropH + "x" + cropW + " at (" + top + ", " + left + ") is not inside a " + h + "x" + w + " image");
        }
        if (cropH == outH && cropW == outW) return Cropping.crop(src, c, h, w, top, left, outH, outW, 0f);
        Kernel kx = Kernel.of(left, cropW, outW), ky = Kernel.of(top, cropH, outH);
        int y0 = ky.start[0], y1 = ky.start[outH - 1] + ky.len[outH - 1]; // source rows the vertical pass reads
        float[] rows = new float[(y1 - y0) * outW];
        float[] out = new float[c * outH * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = y0; y < y1; y++) {
                int s = (ch * h + y) * w, r = (y - y0) * outW;
                for (int ox = 0; ox < outW; ox++) {
                    int k = ox * kx.size, x = kx.start[ox], n = kx.len[ox];
                    float acc = 0;
                    for (int j = 0; j < n; j++) acc += kx.weights[k + j] * src[s + x + j];
                    rows[r + ox] = acc;
                }
            }
            for (int oy = 0; oy < outH; oy++) {
                int k = oy * ky.size, y = ky.start[oy] - y0, n = ky.len[oy], o = (ch * outH + oy) * outW;
                for (int j = 0; j < n; j++) {
                    float wgt = ky.weights[k + j];
                    int r = (y + j) * outW;
                    for (int ox = 0; ox < outW; ox++) out[o + ox] += wgt * rows[r + ox];
                }
            }
        }
        return out;
    }

    /** For each output position: the first source pixel, how many, and their normalised weights (PIL's precompute_coeffs). */
    private record Kernel(int[] start, int[] len, float[] weights, int size) {
        static Kernel of(int in0, int inLen, int outSize) {
            double scale = (double) inLen / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's support is 1 source pixel, widened when shrinking
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize], len = new int[outSize];
            float[] weights = new float[outSize * size];
            double[] tmp = new double[size];
            for (int o = 0; o < outSize; o++) {
                double center = in0 + (o + 0.5) * scale;
                int xmin = Math.max(in0, (int) (center - support + 0.5));
                int xmax = Math.min(in0 + inLen, (int) (center + support + 0.5));
                int n = Math.min(size, xmax - xmin);
                double total = 0;
                for (int j = 0; j < n; j++) {
                    double t = Math.abs((j + xmin - center + 0.5) / filterScale);
                    tmp[j] = t < 1 ? 1 - t : 0;
                    total += tmp[j];
                }
                start[o] = xmin;
                len[o] = n;
                for (int j = 0; j < n; j++) weights[o * size + j] = (float) (total == 0 ? 0 : tmp[j] / total);
            }
            return new Kernel(start, len, weights, size);
        }
    }
}
