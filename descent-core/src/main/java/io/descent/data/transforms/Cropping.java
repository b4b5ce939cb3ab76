package io.descent.data.transforms;

import java.util.Arrays;

/**
 * Cuts a window out of a [C, H, W] image. The window may extend past the image: those pixels
 * take {@code fill}, which is how torchvision's padding before a crop behaves
 * ({@code RandomCrop(padding=p)}, {@code CenterCrop} of a larger size), without building the
 * padded image.
 */
public final class Cropping {
    private Cropping() {}

    /** The window of {@code outH × outW} pixels whose top-left corner is at ({@code top}, {@code left}). */
    public static float[] crop(float[] src, int c, int h, int w, int top, int left, int outH, int outW, float fill) {
        float[] out = new float[c * outH * outW];
        int x0 = Math.max(0, -left), x1 = Math.min(outW, w - left); // columns of the window inside the image
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < outH; y++) {
                int sy = top + y, o = (ch * outH + y) * outW;
                if (sy < 0 || sy >= h || x0 >= x1) {
                    Arrays.fill(out, o, o + outW, fill);
                    continue;
                }
                if (x0 > 0) Arrays.fill(out, o, o + x0, fill);
                System.arraycopy(src, (ch * h + sy) * w + left + x0, out, o + x0, x1 - x0);
                if (x1 < outW) Arrays.fill(out, o + x1, o + outW, fill);
            }
        }
        return out;
    }
}
