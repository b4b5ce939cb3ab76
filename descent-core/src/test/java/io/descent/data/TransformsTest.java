package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.transforms.CenterCrop;
import io.descent.data.transforms.CleanTarget;
import io.descent.data.transforms.ColorJitter;
import io.descent.data.transforms.Compose;
import io.descent.data.transforms.GaussianNoise;
import io.descent.data.transforms.Grayscale;
import io.descent.data.transforms.MaskingNoise;
import io.descent.data.transforms.Normalize;
import io.descent.data.transforms.RandomCrop;
import io.descent.data.transforms.RandomHorizontalFlip;
import io.descent.data.transforms.RandomResizedCrop;
import io.descent.data.transforms.Resampling;
import io.descent.data.transforms.Resize;
import io.descent.tensor.Rng;
import org.junit.jupiter.api.Test;

class TransformsTest {
    /** The 5×6 image a[i][j] = ((7i + 3j) mod 11) / 10 used for the PIL/torchvision reference values below. */
    private static Example reference() {
        float[] a = new float[30];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 6; j++) a[i * 6 + j] = ((7 * i + 3 * j) % 11) / 10f;
        return new Example(a, new int[] {1, 5, 6}, 3);
    }

    /** Values v[c][y][x] = 100c + 10y + x, to see where each output pixel came from. */
    private static Example coded(int c, int h, int w) {
        float[] x = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int xx = 0; xx < w; xx++) x[(ch * h + y) * w + xx] = 100 * ch + 10 * y + xx;
        return new Example(x, new int[] {c, h, w}, 1);
    }

    @Test
    void resizeMatchesPilAndTorchvisionAntialiasedBilinear() {
        // PIL Image.resize(BILINEAR) on mode "F" and torchvision F.resize(antialias=True) give these values
        float[] down = new Resize(3, 2).apply(reference(), null).data();
        assertArrayEquals(new float[] {0.4982143f, 0.44285715f, 0.56805557f, 0.43194446f, 0.5571429f, 0.5017857f}, down, 1e-5f);
        float[] up = new Resize(7, 9).apply(reference(), null).data();
        assertArrayEquals(new float[] {0.0f, 0.15f, 0.35f, 0.55f, 0.75f, 0.76666665f, 0.23333333f, 0.25f, 0.4f}, java.util.Arrays.copyOfRange(up, 0, 9), 1e-5f);
        assertArrayEquals(new float[] {0.3f, 0.45f, 0.65f, 0.85f, 0.5f, 0.15f, 0.35f, 0.55f, 0.7f}, java.util.Arrays.copyOfRange(up, 27, 36), 1e-5f);
        // torchvision F.resized_crop(t, top=1, left=2, height=3, width=4, size=[2, 3], antialias=True)
        float[] rc = Resampling.resizedCrop(reference().data(), 1, 5, 6, 1, 2, 3, 4, 2, 3);
        assertArrayEquals(new float[] {0.42875004f, 0.5f, 0.37874997f, 0.61625004f, 0.34375f, 0.36000004f}, rc, 1e-5f);
    }

    @Test
    void resizeOfTheShorterSideKeepsTheAspectRatio() {
        assertArrayEquals(new int[] {1, 4, 4}, new Resize(4).apply(reference(), null).shape(), "5x6 → 4x4 (int(4 * 6 / 5) = 4)");
        assertArrayEquals(new int[] {10, 12}, new Resize(10).outputSize(5, 6));
        assertArrayEquals(new int[] {12, 10}, new Resize(10).outputSize(9, 7), "int(10 * 9 / 7) = 12");
        Example e = reference();
        assertSame(e, new Resize(5, 6).apply(e, null), "same size: nothing to do");
    }

    @Test
    void centerCropRoundsHalfToEvenAndPadsSmallImages() {
        // torchvision center_crop(5x6 → 2x3): top = round(1.5) = 2, left = round(1.5) = 2
        assertArrayEquals(new float[] {0.9f, 0.1f, 0.4f, 0.5f, 0.8f, 0.0f}, new CenterCrop(2, 3).apply(reference(), null).data(), 1e-6f);
        Example big = new CenterCrop(8, 7).apply(reference(), null);
        float[] col0 = new float[8];
        for (int y = 0; y < 8; y++) col0[y] = big.data()[y * 7];
        assertArrayEquals(new float[] {0f, 0f, 0.7f, 0.3f, 1f, 0.6f, 0f, 0f}, col0, 1e-6f);
    }

    @Test
    void randomCropWithPaddingShiftsTheImageAndFillsWithZeros() {
        Example e = coded(2, 4, 4);
        float[] src = e.data().clone();
        for (int i = 0; i < src.length; i++) src[i] += 1; // 0 now means padding only
        e = e.withData(src, 2, 4, 4);
        java.util.Set<String> offsets = new java.util.HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            float[] y = new RandomCrop(4, 2).apply(e, new Rng(seed)).data();
            int first = 0;
            while (y[first] == 0) first++; // pad 2 on a 4x4 crop always overlaps the image
            int v = (int) y[first] - 1, dy = v / 10 - first / 4, dx = v % 10 - first % 4;
            assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "offset " + dy + "," + dx);
            offsets.add(dy + "," + dx);
            for (int ch = 0; ch < 2; ch++) {
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        int sy = r + dy, sx = c + dx;
                        float expected = sy < 0 || sy >= 4 || sx < 0 || sx >= 4 ? 0f : 1 + 100 * ch + 10 * sy + sx;
                        assertEquals(expected, y[(ch * 4 + r) * 4 + c], "seed " + seed);
                    }
                }
            }
        }
        assertEquals(25, offsets.size(), "every offset in [-2, 2]² occurs");
    }

    @Test
    void horizontalFlipMirrorsRowsWithProbabilityP() {
        Example e = coded(1, 2, 3);
        int flips = 0;
        for (long seed = 0; seed < 400; seed++) {
            float[] y = new RandomHorizontalFlip().apply(e, new Rng(seed)).data();
            if (y[0] == 2) {
                flips++;
                assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10}, y);
            } else {
                assertArrayEquals(e.data(), y);
            }
        }
        assertTrue(flips > 150 && flips < 250, "about half flipped: " + flips);
        assertArrayEquals(e.data(), new RandomHorizontalFlip(0).apply(e, new Rng(1)).data());
    }

    @Test
    void randomResizedCropFollowsTorchvisionsParameters() {
        Example e = coded(1, 20, 30);
        // scale (1, 1) and ratio (1.5, 1.5) on a 20x30 image: the only box is the whole image
        Example whole = new RandomResizedCrop(10, 15, 1, 1, 1.5, 1.5).apply(e, new Rng(0));
        assertArrayEquals(Resampling.resize(e.data(), 1, 20, 30, 10, 15), whole.data(), 1e-5f);
        // boxes that never fit (area >= 90%, ratio 3..4 on a 20x30 image) fall back to the centre
        // box clamped to the ratio range: width 30, height round(30 / 3) = 10, top (20 - 10) / 2 = 5
        Example fallback = new RandomResizedCrop(4, 6, 0.9, 1, 3, 4).apply(e, new Rng(0));
        assertArrayEquals(Resampling.resizedCrop(e.data(), 1, 20, 30, 5, 0, 10, 30, 4, 6), fallback.data());
        for (long seed = 0; seed < 20; seed++) assertArrayEquals(new int[] {1, 8, 8}, new RandomResizedCrop(8).apply(e, new Rng(seed)).shape());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(8, 8, 0.5, 0.1, 0.75, 1.33)).getMessage()
                .startsWith("RandomResizedCrop: scale must satisfy 0 < min <= max <= 1"));
    }

    @Test
    void normalizeUsesPerChannelMeanAndStd() {
        Example e = coded(2, 1, 2);
        float[] y = new Normalize(new float[] {1, 100}, new float[] {2, 10}).apply(e, null).data();
        assertArrayEquals(new float[] {-0.5f, 0f, 0f, 0.1f}, y, 1e-6f);
        assertEquals("Normalize: 3 means for an image of 2 channels",
                assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[3], new float[] {1, 1, 1}).apply(e, null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0})).getMessage()
                .startsWith("Normalize: std must be positive"));
        assertEquals("Normalize: expects an image [C, H, W], got an example of shape [4]",
                assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {1}).apply(new Example(new float[4], new int[] {4}, 0), null)).getMessage());
    }

    @Test
    void colorJitterScalesBrightnessAndPivotsContrastOnTheMean() {
        Example e = new Example(new float[] {0.2f, 0.4f, 0.6f, 0.4f}, new int[] {1, 2, 2}, 0);
        for (long seed = 0; seed < 30; seed++) {
            float[] b = new ColorJitter(0.5f, 0).apply(e, new Rng(seed)).data();
            float f = b[0] / 0.2f;
            assertTrue(f >= 0.5f && f <= 1.5f, "brightness factor " + f);
            for (int i = 0; i < 4; i++) assertEquals(Math.min(1f, e.data()[i] * f), b[i], 1e-5f);
            float[] c = new ColorJitter(0, 0.5f).apply(e, new Rng(seed)).data();
            assertEquals(0.4f, (c[0] + c[1] + c[2] + c[3]) / 4, 1e-5f, "contrast keeps the mean (no clamping here)");
        }
        assertArrayEquals(e.data(), new ColorJitter(0, 0).apply(e, new Rng(0)).data());
    }

    @Test
    void noiseCorruptsTheInputAndCleanTargetKeepsTheCleanImage() {
        Example e = new Example(filled(10000, 0.5f), new int[] {1, 100, 100}, 2);
        Example noisy = new Compose(new CleanTarget(), new GaussianNoise(0.1f)).apply(e, new Rng(3));
        assertArrayEquals(e.data(), noisy.target());
        double sum = 0, sq = 0;
        for (float v : noisy.data()) {
            sum += v - 0.5;
            sq += (v - 0.5) * (v - 0.5);
        }
        assertEquals(0, sum / 1e4, 0.005);
        assertEquals(0.1, Math.sqrt(sq / 1e4), 0.005);
        Example masked = new Compose(new CleanTarget(), new MaskingNoise(0.3f)).apply(e, new Rng(4));
        int zeros = 0;
        for (float v : masked.data()) {
            if (v == 0) zeros++;
            else assertEquals(0.5f, v);
        }
        assertEquals(3000, zeros, 150);
        assertArrayEquals(e.data(), masked.target());
        float[] clipped = new GaussianNoise(0, 5f, true).apply(e, new Rng(5)).data();
        for (float v : clipped) assertTrue(v >= 0 && v <= 1);
        assertEquals(0.5f, e.data()[0], "the input example is not modified");
    }

    @Test
    void grayscaleUsesLumaAndRepeatsChannels() {
        Example rgb = new Example(new float[] {1, 0, 0, 1, 0, 0}, new int[] {3, 1, 2}, 0);
        assertArrayEquals(new float[] {0.299f, 0.587f}, new Grayscale(1).apply(rgb, null).data(), 1e-6f);
        Example grey = new Example(new float[] {0.25f, 0.75f}, new int[] {1, 1, 2}, 0);
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f}, new Grayscale(3).apply(grey, null).data());
        assertEquals("Grayscale: numOutputChannels must be 1 or 3, got 2", assertThrows(IllegalArgumentException.class, () -> new Grayscale(2)).getMessage());
    }

    @Test
    void composeAppliesInOrder() {
        Example e = coded(1, 4, 4);
        Example y = new Compose(new CenterCrop(2), new Normalize(new float[] {11}, new float[] {1})).apply(e, new Rng(0));
        assertArrayEquals(new float[] {0, 1, 10, 11}, y.data());
        assertEquals(1, y.label());
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
