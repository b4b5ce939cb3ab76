package io.descent.data;

import io.descent.data.transforms.Grayscale;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The JDK's ImageIO (PNG, JPEG, BMP, GIF) for image folders: reads a file's size from its
 * header, and decodes it into a [C, H, W] float array in [0, 1], C = 3 (RGB) or 1 (grey), as
 * PIL's {@code convert("RGB" | "L")} followed by {@code ToTensor}: alpha is dropped, grey from
 * colour is the ITU-R 601 luma, grey to colour repeats the channel.
 *
 * <p>Grey images are read from their raster, not through {@code getRGB}: Java's
 * {@code getRGB} on a grey image applies a gamma conversion and would change the pixel values.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** The image file as [channels, H, W] values in [0, 1] (an unlabelled example); errors name the file. */
    public static Example read(Path file, int channels) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("ImageDecoder: channels must be 1 or 3, got " + channels);
        return decode(file, channels, Example.UNLABELED);
    }

    /** The image as an example [channels, H, W] with the given label; errors name the file. */
    static Example decode(Path file, int channels, int label) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode image " + file + ": " + BatchMaker.describe(e), e);
        } catch (RuntimeException e) { // ImageIO's plugins throw these on some corrupt files
            throw new UncheckedIOException("cannot decode image " + file + ": " + BatchMaker.describe(e), new IOException(e));
        }
        if (img == null) throw new UncheckedIOException("cannot decode image " + file, new IOException("no ImageIO reader recognises it"));
        return new Example(toChw(img, channels), new int[] {channels, img.getHeight(), img.getWidth()}, label);
    }

    static float[] toChw(BufferedImage img, int channels) {
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        float[] out = new float[channels * plane];
        Raster raster = img.getRaster();
        boolean grey = !(img.getColorModel() instanceof IndexColorModel) && raster.getNumBands() <= 2
                && img.getColorModel().getColorSpace().getNumComponents() == 1;
        if (grey) {
            float scale = 1f / ((1 << img.getColorModel().getComponentSize(0)) - 1);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) out[y * w + x] = row[x] * scale;
            }
            for (int ch = 1; ch < channels; ch++) System.arraycopy(out, 0, out, ch * plane, plane);
            return out;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            float r = (argb[i] >> 16 & 0xFF) / 255f, g = (argb[i] >> 8 & 0xFF) / 255f, b = (argb[i] & 0xFF) / 255f;
            if (channels == 3) {
                out[i] = r;
                out[plane + i] = g;
                out[2 * plane + i] = b;
            } else {
                out[i] = Grayscale.luma(r, g, b);
            }
        }
        return out;
    }

    /** {height, width} from the file's header, without decoding pixels. */
    static int[] probe(Path f) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            if (in == null) throw new IOException("cannot open");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new IOException("not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                return new int[] {r.getHeight(0), r.getWidth(0)};
            } catch (RuntimeException e) {
                throw new IOException("corrupt header: " + BatchMaker.describe(e), e);
            } finally {
                r.dispose();
            }
        }
    }
}
