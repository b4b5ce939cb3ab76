package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    /** Needs Debian's dataset-fashion-mnist (or the files in DESCENT_DATA / ~/.descent/data): skipped only where absent. */
    @Test
    void readsTheRealFilesWhenInstalled() {
        boolean present = FashionMnist.searchPath().stream().anyMatch(p -> Files.isDirectory(p) && Files.exists(p.resolve("t10k-labels-idx1-ubyte.gz")));
        Assumptions.assumeTrue(present, "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        TrainVal fm = FashionMnist.load(null);
        assertEquals(60000, fm.train().size());
        assertEquals(10000, fm.val().size());
        // the first labels of the published files: train 9 0 0 3 0 2 7 2, test 9 2 1 1 6 1 4 6
        int[] train = new int[8], test = new int[8];
        for (int i = 0; i < 8; i++) {
            train[i] = fm.train().label(i);
            test[i] = fm.val().label(i);
        }
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2}, train);
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6}, test);
        Example first = fm.train().get(0);
        assertArrayEquals(new int[] {1, 28, 28}, first.shape());
        assertEquals("Ankle boot", fm.train().classes().get(first.label()));
        float max = 0;
        for (float v : first.data()) max = Math.max(max, v);
        assertEquals(1f, max, 1e-6f, "ToTensor scaling: the brightest pixel of image 0 is 255");
        int[] perClass = new int[10];
        for (int i = 0; i < 10000; i++) perClass[fm.val().label(i)]++;
        for (int c : perClass) assertEquals(1000, c);
    }

    @Test
    void loadsFromAGivenFolderRawOrGzip() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTest.idx(3, 28, 28));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.idx(3)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTest.gzip(IdxTest.idx(2, 28, 28)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.idx(2));
        TrainVal fm = FashionMnist.load(dir);
        assertEquals(3, fm.train().size());
        assertEquals(2, fm.val().size());
        assertEquals(2, fm.train().label(2));
        assertEquals(1 / 255f, fm.train().get(0).data()[1], 1e-7f);
    }

    @Test
    void mismatchedCountsAreRefused() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTest.idx(3, 28, 28));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxTest.idx(4));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.idx(1, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.idx(1));
        var e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.train(dir));
        assertTrue(e.getMessage().contains("3 images but 4 labels"), e.getMessage());
    }

    @Test
    void missingDataSaysWhereItLookedAndHowToGetIt() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxTest.gzip(IdxTest.idx(1, 28, 28)));
        var e = assertThrows(DataNotFoundException.class, () -> FashionMnist.test(dir));
        String m = e.getMessage();
        assertTrue(m.contains(dir + ": missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("~/.descent/data/fashion-mnist"), m);
        var none = assertThrows(DataNotFoundException.class, () -> FashionMnist.train(dir.resolve("nope")));
        assertTrue(none.getMessage().contains("nope: no such folder"), none.getMessage());
    }

    @Test
    void searchPathEndsWithHomeAndDebianFolders() {
        var path = FashionMnist.searchPath();
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), path.get(path.size() - 1));
        assertEquals(Path.of(System.getProperty("user.home"), ".descent", "data", "fashion-mnist"), path.get(path.size() - 2));
    }
}
