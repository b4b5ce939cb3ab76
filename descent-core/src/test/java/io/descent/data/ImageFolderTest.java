package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    /** A w×h RGB image whose pixel (x, y) is (10x mod 256, 10y mod 256, 200). */
    private static BufferedImage rgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (10 * x & 0xFF) << 16 | (10 * y & 0xFF) << 8 | 200);
        return img;
    }

    /** A w×h grey image whose pixel (x, y) is 20x + y. */
    private static BufferedImage grey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, 20 * x + y);
        return img;
    }

    private static Path write(Path dir, String name, BufferedImage img) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        String format = name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg");
        assertTrue(ImageIO.write(img, format, f.toFile()), "ImageIO wrote " + format);
        return f;
    }

    @Test
    void readsPngAndJpegFilesByClassFolder() throws IOException {
        write(root.resolve("dog"), "b.png", rgb(4, 3));
        write(root.resolve("dog"), "a.jpg", rgb(4, 3));
        write(root.resolve("cat"), "z.png", rgb(4, 3));
        write(root.resolve("cat/nested"), "y.PNG", rgb(4, 3));
        Files.writeString(root.resolve("cat/readme.txt"), "not an image, ignored by extension");
        ImageFolder f = new ImageFolder(root, ImageFolder.Options.DEFAULT);
        assertEquals(List.of("cat", "dog"), f.classes());
        assertEquals(4, f.size());
        assertEquals(List.of(root.resolve("cat/nested/y.PNG"), root.resolve("cat/z.png"), root.resolve("dog/a.jpg"), root.resolve("dog/b.png")), f.files());
        assertArrayEquals(new int[] {0, 0, 1, 1}, new int[] {f.label(0), f.label(1), f.label(2), f.label(3)});
        Example png = f.get(3);
        assertArrayEquals(new int[] {3, 3, 4}, png.shape());
        assertEquals(1, png.label());
        // pixel (x=2, y=1) = (20, 10, 200) / 255 in channels R, G, B
        int plane = 12, at = 1 * 4 + 2;
        assertEquals(20 / 255f, png.data()[at], 1e-6f);
        assertEquals(10 / 255f, png.data()[plane + at], 1e-6f);
        assertEquals(200 / 255f, png.data()[2 * plane + at], 1e-6f);
        Example jpeg = f.get(2);
        assertArrayEquals(new int[] {3, 3, 4}, jpeg.shape());
        for (int i = 0; i < png.data().length; i++) assertEquals(png.data()[i], jpeg.data()[i], 0.1f, "JPEG is lossy but close");
    }

    @Test
    void greyImagesKeepTheirValuesAndConvertBetweenChannelCounts() throws IOException {
        write(root.resolve("g"), "g.png", grey(5, 4));
        write(root.resolve("c"), "c.png", rgb(5, 4));
        ImageFolder one = new ImageFolder(root, ImageFolder.Options.DEFAULT.withChannels(1));
        Example g = one.get(1);
        assertArrayEquals(new int[] {1, 4, 5}, g.shape());
        assertEquals((20 * 3 + 2) / 255f, g.data()[2 * 5 + 3], 1e-6f, "raw grey value, not gamma-converted");
        Example c = one.get(0);
        assertEquals(0.299f * 30 / 255 + 0.587f * 20 / 255 + 0.114f * 200 / 255, c.data()[2 * 5 + 3], 1e-5f, "luma of an RGB pixel");
        Example g3 = new ImageFolder(root, ImageFolder.Options.DEFAULT).get(1);
        assertArrayEquals(new int[] {3, 4, 5}, g3.shape());
        assertEquals(g.data()[13], g3.data()[20 + 13]);
        assertEquals(g.data()[13], g3.data()[40 + 13]);
    }

    @Test
    void resizesTheShorterSideThenCropsTheCentre() throws IOException {
        write(root.resolve("a"), "wide.png", rgb(40, 20));
        write(root.resolve("a"), "tall.bmp", rgb(10, 30));
        write(root.resolve("b"), "anim.gif", rgb(16, 16));
        ImageFolder f = new ImageFolder(root, ImageFolder.Options.DEFAULT.withSize(8));
        for (int i = 0; i < f.size(); i++) assertArrayEquals(new int[] {3, 8, 8}, f.get(i).shape(), f.files().get(i).toString());
        assertArrayEquals(new int[] {3, 8, 8}, f.exampleShape());
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root, ImageFolder.Options.DEFAULT));
        assertTrue(e.getMessage().contains("set an image size (--image-size)"), e.getMessage());
    }

    @Test
    void unreadableFilesAreSkippedOrFailByPath() throws IOException {
        write(root.resolve("a"), "ok.png", rgb(4, 4));
        write(root.resolve("b"), "ok.png", rgb(4, 4));
        Path broken = root.resolve("b/broken.png");
        Files.writeString(broken, "this is not a PNG");
        var fail = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root, ImageFolder.Options.DEFAULT));
        assertTrue(fail.getMessage().contains(broken + ": not an image ImageIO can read"), fail.getMessage());
        ImageFolder skip = new ImageFolder(root, ImageFolder.Options.DEFAULT.withOnUnreadable(ImageFolder.OnUnreadable.SKIP));
        assertEquals(2, skip.size());
        assertEquals(List.of(broken), skip.skipped().stream().map(ImageFolder.Unreadable::path).toList());
    }

    @Test
    void aCorruptImageBodyFailsInTheLoaderWithPathAndIndex() throws IOException {
        write(root.resolve("a"), "a.png", rgb(64, 64));
        Path bad = write(root.resolve("a"), "b.png", rgb(64, 64));
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(bytes, 60)); // header intact, pixel data cut
        ImageFolder f = new ImageFolder(root, ImageFolder.Options.DEFAULT);
        try (DataLoader loader = new DataLoader(f, LoaderOptions.DEFAULT.withBatchSize(2))) {
            var e = assertThrows(DataLoaderException.class, () -> loader.epoch(0).iterator().next());
            assertTrue(e.getMessage().startsWith("DataLoader: dataset index 1 failed (batch 0 of epoch 0)"), e.getMessage());
            assertTrue(e.getMessage().contains("cannot decode image " + bad), e.getMessage());
        }
    }

    @Test
    void trainAndValFoldersOrASeededSplit() throws IOException {
        for (String split : new String[] {"train", "val"}) {
            for (String c : new String[] {"x", "y"}) for (int i = 0; i < 3; i++) write(root.resolve(split).resolve(c), i + ".png", rgb(4, 4));
        }
        TrainVal tv = ImageFolder.trainVal(root, ImageFolder.Options.DEFAULT, 0.2, 1);
        assertEquals(6, tv.train().size());
        assertEquals(6, tv.val().size());
        assertEquals(List.of("x", "y"), tv.val().classes());

        Path flat = root.resolve("train");
        TrainVal split = ImageFolder.trainVal(flat, ImageFolder.Options.DEFAULT, 1 / 3.0, 1);
        assertEquals(4, split.train().size());
        assertEquals(2, split.val().size());

        write(root.resolve("val/z"), "0.png", rgb(4, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.trainVal(root, ImageFolder.Options.DEFAULT, 0.2, 1));
        assertTrue(e.getMessage().contains("has classes [x, y, z] but"), e.getMessage());
    }

    @Test
    void badFoldersAndOptionsAreRefused() throws IOException {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root, ImageFolder.Options.DEFAULT)).getMessage().contains("has no class folders"));
        Files.createDirectories(root.resolve("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root, ImageFolder.Options.DEFAULT)).getMessage()
                .endsWith("empty has no .png, .jpg, .jpeg, .bmp or .gif files"));
        assertEquals("ImageFolder: channels must be 1 or 3, got 2", assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.DEFAULT.withChannels(2)).getMessage());
        assertEquals("ImageFolder: size must be >= 0 (0 keeps the images' size), got -1",
                assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.DEFAULT.withSize(-1)).getMessage());
    }
}
