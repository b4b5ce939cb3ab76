package io.descent.log;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * One image as a {@code data:image/png;base64,...} URI, so a report can show images with no
 * file beside it. The image is a float array in PyTorch's channel-first layout {@code [C,H,W]},
 * values in {@code [0,1]} (clamped; NaN shows black), with 1 channel (grey) or 3 (RGB).
 */
final class PngDataUri {
    private PngDataUri() {}

    static String of(float[] chw, int c, int h, int w) {
        if (c != 1 && c != 3) throw new IllegalArgumentException("images need 1 or 3 channels, got " + c);
        if (h <= 0 || w <= 0) throw new IllegalArgumentException("bad image size " + h + "x" + w);
        if (chw.length != c * h * w) throw new IllegalArgumentException("image of " + chw.length + " values is not " + c + "x" + h + "x" + w);
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        // samples go straight into the raster: setRGB would push grey through a colour conversion
        WritableRaster raster = img.getRaster();
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) raster.setSample(x, y, ch, toByte(chw[ch * plane + y * w + x]));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", png)) throw new IllegalStateException("no PNG writer in this JDK");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static int toByte(float v) {
        if (!(v > 0)) return 0; // also NaN
        return v >= 1 ? 255 : Math.round(v * 255);
    }
}
