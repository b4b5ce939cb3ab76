package io.descent.detect;

import io.descent.tensor.Shape;

/**
 * Box outlines drawn into an image, for reports: each box a one-pixel rectangle in its class's
 * colour ({@link #colour}), on an RGB copy of a [C, H, W] image in [0, 1] (grey is repeated).
 */
public final class BoxDrawing {
    /** Ten well-separated colours (Tableau 10), then repeated. */
    private static final int[] PALETTE = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};

    private BoxDrawing() {}

    /** The RGB colour (0xRRGGBB) of class {@code label}. */
    public static int colour(int label) {
        return PALETTE[Math.floorMod(label, PALETTE.length)];
    }

    /** A [3, H, W] copy of {@code image} ({@code channels} 1 or 3) with each box's outline drawn on it. */
    public static float[] draw(float[] image, int channels, int height, int width, float[] xyxy, int[] labels) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("BoxDrawing: 1 or 3 channels, got " + channels);
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("BoxDrawing: " + image.length + " values for an image " + Shape.str(new int[] {channels, height, width}));
        }
        if (xyxy.length != 4 * labels.length) throw new IllegalArgumentException("BoxDrawing: " + xyxy.length + " coordinates for " + labels.length + " labels");
        int plane = height * width;
        float[] rgb = new float[3 * plane];
        for (int c = 0; c < 3; c++) System.arraycopy(image, (channels == 1 ? 0 : c) * plane, rgb, c * plane, plane);
        for (int k = 0; k < labels.length; k++) {
            int x1 = pixel(xyxy[4 * k], width), y1 = pixel(xyxy[4 * k + 1], height);
            int x2 = pixel(xyxy[4 * k + 2] - 1, width), y2 = pixel(xyxy[4 * k + 3] - 1, height);
            int colour = colour(labels[k]);
            for (int x = x1; x <= x2; x++) {
                set(rgb, plane, y1 * width + x, colour);
                set(rgb, plane, y2 * width + x, colour);
            }
            for (int y = y1; y <= y2; y++) {
                set(rgb, plane, y * width + x1, colour);
                set(rgb, plane, y * width + x2, colour);
            }
        }
        return rgb;
    }

    /** The pixel holding coordinate {@code v} (the box's edge), inside [0, size). */
    private static int pixel(float v, int size) {
        return Math.max(0, Math.min(size - 1, (int) Math.floor(v)));
    }

    private static void set(float[] rgb, int plane, int at, int colour) {
        rgb[at] = ((colour >> 16) & 0xff) / 255f;
        rgb[plane + at] = ((colour >> 8) & 0xff) / 255f;
        rgb[2 * plane + at] = (colour & 0xff) / 255f;
    }
}
