package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecTest {
    @TempDir
    Path dir;

    @Test
    void shapesWithClassesShotsSizeAndChannels() {
        TrainVal tv = DataSpec.of("shapes").withClasses(5, 6, 7, 8, 9).withShots(3).withImageSize(32).withInChannels(3).withSeed(4).open();
        assertEquals(15, tv.train().size());
        assertEquals(DataSpec.SHAPES_VAL / 2, tv.val().size());
        assertEquals(List.of("horizontal-bar", "vertical-bar", "diamond", "x", "l-shape"), tv.train().classes());
        Example e = tv.train().get(0);
        assertArrayEquals(new int[] {3, 32, 32}, e.shape());
        assertEquals(tv.train().label(0), e.label());
        assertEquals(Shapes.CLASSES.indexOf(tv.train().classes().get(e.label())) - 5, e.label(), "class 5 + k is renumbered k");
        int[] count = new int[5];
        for (int i = 0; i < tv.train().size(); i++) count[tv.train().label(i)]++;
        assertArrayEquals(new int[] {3, 3, 3, 3, 3}, count);
    }

    @Test
    void theShapesDataDoNotDependOnTheRunSeed() {
        TrainVal a = DataSpec.of("shapes").withSeed(1).open(), b = DataSpec.of("shapes").withSeed(2).open();
        assertEquals(DataSpec.SHAPES_TRAIN, a.train().size());
        assertArrayEquals(a.train().get(5).data(), b.train().get(5).data());
        assertArrayEquals(new int[] {1, 28, 28}, a.val().get(0).shape());
    }

    @Test
    void aFolderWithoutValIsSplitWithTheSeed() throws IOException {
        for (String c : new String[] {"a", "b"}) {
            Files.createDirectories(dir.resolve(c));
            for (int i = 0; i < 10; i++) ImageIO.write(new BufferedImage(12, 9, BufferedImage.TYPE_INT_RGB), "png", dir.resolve(c).resolve(i + ".png").toFile());
        }
        TrainVal tv = DataSpec.of("folder:" + dir).withImageSize(8).withInChannels(1).withValFraction(0.25).open();
        assertEquals(15, tv.train().size());
        assertEquals(5, tv.val().size());
        assertArrayEquals(new int[] {1, 8, 8}, tv.val().get(0).shape());
    }

    /** Needs Debian's dataset-fashion-mnist (or the files in DESCENT_DATA / ~/.descent/data): skipped only where absent. */
    @Test
    void fashionMnistResizedToThreeChannels() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FashionMnist.searchPath().stream().anyMatch(p -> Files.exists(p.resolve("t10k-labels-idx1-ubyte.gz"))),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        TrainVal tv = DataSpec.of("fashion-mnist").withImageSize(32).withInChannels(3).withClasses(9, 0).open();
        assertEquals(12000, tv.train().size());
        assertEquals(2000, tv.val().size());
        Example e = tv.train().get(0); // the first training image is an ankle boot (class 9, now 0)
        assertArrayEquals(new int[] {3, 32, 32}, e.shape());
        assertEquals(0, e.label());
        assertArrayEquals(java.util.Arrays.copyOfRange(e.data(), 0, 1024), java.util.Arrays.copyOfRange(e.data(), 2048, 3072));
    }

    @Test
    void badFlagsAreRefusedNamingTheFlag() {
        assertEquals("--data must be shapes, shapes-detection, fashion-mnist, folder:PATH, coco:FILE.json or voc:DIR, got 'mnist'",
                assertThrows(IllegalArgumentException.class, () -> DataSpec.of("mnist")).getMessage());
        assertEquals("--data must be shapes, shapes-detection, fashion-mnist, folder:PATH, coco:FILE.json or voc:DIR, got 'folder:'",
                assertThrows(IllegalArgumentException.class, () -> DataSpec.of("folder:")).getMessage());
        assertEquals("--classes lists 3 twice", assertThrows(IllegalArgumentException.class, () -> DataSpec.of("shapes").withClasses(3, 1, 3)).getMessage());
        assertEquals("--shots must be >= 0 (0 keeps every example), got -1", assertThrows(IllegalArgumentException.class, () -> DataSpec.of("shapes").withShots(-1)).getMessage());
        assertEquals("--in-channels must be 1 or 3, got 2", assertThrows(IllegalArgumentException.class, () -> DataSpec.of("shapes").withInChannels(2)).getMessage());
        assertEquals("--image-size must be at least 8 pixels, got 4", assertThrows(IllegalArgumentException.class, () -> DataSpec.of("shapes").withImageSize(4)).getMessage());
        assertEquals("ClassSubset: class 12 in keep is out of range: the data set has 10 classes",
                assertThrows(IllegalArgumentException.class, () -> DataSpec.of("shapes").withClasses(12).open()).getMessage());
    }
}
