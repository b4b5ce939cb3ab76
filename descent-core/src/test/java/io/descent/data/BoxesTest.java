package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.transforms.CenterCrop;
import io.descent.data.transforms.GaussianNoise;
import io.descent.data.transforms.RandomCrop;
import io.descent.data.transforms.RandomHorizontalFlip;
import io.descent.data.transforms.RandomResizedCrop;
import io.descent.data.transforms.Resize;
import io.descent.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection boxes: their checks and maps, and every transform that moves pixels moving them too. */
class BoxesTest {
    @Test
    void boxesAreCheckedAndCopied() {
        float[] xyxy = {1, 2, 3, 4};
        Boxes b = new Boxes(xyxy, new int[] {7});
        xyxy[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.box(0));
        assertEquals("Boxes: 3 coordinates for 1 labels (4 per box: x1, y1, x2, y2)",
                assertThrows(IllegalArgumentException.class, () -> new Boxes(new float[3], new int[1])).getMessage());
        assertEquals("Boxes: box 0 [3.0, 0.0, 1.0, 1.0] is not x1 <= x2, y1 <= y2",
                assertThrows(IllegalArgumentException.class, () -> new Boxes(new float[] {3, 0, 1, 1}, new int[1])).getMessage());
        assertEquals("Boxes: box 0 has a non-finite coordinate [0.0, NaN, 1.0, 1.0]",
                assertThrows(IllegalArgumentException.class, () -> new Boxes(new float[] {0, Float.NaN, 1, 1}, new int[1])).getMessage());
        assertEquals("Boxes: box 0 has class -1 (must be >= 0)", assertThrows(IllegalArgumentException.class, () -> new Boxes(new float[4], new int[] {-1})).getMessage());
    }

    @Test
    void mapsFlipScaleShiftAndClip() {
        Boxes b = new Boxes(new float[] {1, 2, 5, 6, 8, 8, 12, 9}, new int[] {0, 3});
        assertEquals(new Boxes(new float[] {5, 2, 9, 6, -2, 8, 2, 9}, new int[] {0, 3}), b.flippedHorizontally(10));
        assertEquals(new Boxes(new float[] {1, 3, 9, 7, 15, 9, 23, 10}, new int[] {0, 3}), b.affine(2, -1, 1, 1));
        assertEquals(new Boxes(new float[] {1, 2, 5, 6, 8, 8, 10, 9}, new int[] {0, 3}), b.clipped(10, 10));
        assertEquals(new Boxes(new float[] {1, 2, 5, 6}, new int[] {0}), b.clipped(7, 7), "the box wholly outside is dropped");
        assertEquals(Boxes.empty(), b.clipped(0, 0));
    }

    /** A grey image with a bright block at columns [x1, x2) and rows [y1, y2), and that block's box. */
    private static Example block(int h, int w, int x1, int y1, int x2, int y2) {
        float[] x = new float[h * w];
        for (int y = y1; y < y2; y++) for (int c = x1; c < x2; c++) x[y * w + c] = 1;
        return new Example(x, new int[] {1, h, w}, Example.UNLABELED, null, new Boxes(new float[] {x1, y1, x2, y2}, new int[] {4}));
    }

    /** The box still encloses the block's bright pixels, each edge within {@code tol} pixels of them. */
    private static void assertBoxFollowsBlock(String what, Example e, double tol) {
        int[] s = e.shape();
        int h = s[1], w = s[2];
        int x1 = w, y1 = h, x2 = -1, y2 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (e.data()[y * w + x] > 0.5f) {
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x + 1);
                    y2 = Math.max(y2, y + 1);
                }
            }
        }
        if (x2 < 0) {
            assertTrue(e.boxes().size() == 0 || area(e.boxes().box(0)) < 2 * tol * Math.max(h, w), what + ": block gone, box left " + e.boxes());
            return;
        }
        assertEquals(1, e.boxes().size(), what);
        float[] b = e.boxes().box(0);
        float[] expected = {x1, y1, x2, y2};
        for (int k = 0; k < 4; k++) assertEquals(expected[k], b[k], tol, what + ": box " + e.boxes() + " vs bright pixels " + java.util.Arrays.toString(expected));
    }

    private static float area(float[] b) {
        return (b[2] - b[0]) * (b[3] - b[1]);
    }

    @Test
    void pixelMovingTransformsMoveTheBoxes() {
        Example e = block(24, 32, 5, 4, 13, 15);
        Rng rng = new Rng(3);
        assertBoxFollowsBlock("flip", new RandomHorizontalFlip(1f).apply(e, rng), 0);
        assertBoxFollowsBlock("resize 48x64", new Resize(48, 64).apply(e, rng), 1);
        assertBoxFollowsBlock("resize 12x16", new Resize(12, 16).apply(e, rng), 1);
        assertBoxFollowsBlock("center crop", new CenterCrop(16, 16).apply(e, rng), 0);
        for (int i = 0; i < 20; i++) {
            assertBoxFollowsBlock("random crop " + i, new RandomCrop(16, 20, 4, 0f).apply(e, rng), 0);
            assertBoxFollowsBlock("random resized crop " + i, new RandomResizedCrop(20, 20, 0.3, 1, 0.75, 1.33).apply(e, rng), 1.5);
        }
    }

    @Test
    void valueTransformsKeepTheBoxesAndASizeChangeWithoutThemIsRefused() {
        Example e = block(8, 8, 1, 1, 4, 4);
        assertEquals(e.boxes(), new GaussianNoise(0.1f).apply(e, new Rng(1)).boxes());
        var err = assertThrows(IllegalArgumentException.class, () -> e.withData(new float[16], 1, 4, 4));
        assertEquals("Example: an image with boxes changed from [1, 8, 8] to [1, 4, 4] without moving its boxes (the transform must use withImage)", err.getMessage());
        assertNull(new Example(new float[4], new int[] {1, 2, 2}, 0).withImage(new float[1], new int[] {1, 1, 1}, b -> b.affine(0.5f, 0, 0.5f, 0)).boxes());
    }

    @Test
    void collateKeepsEachImagesBoxesAndRefusesAMix() {
        Example a = block(8, 8, 1, 1, 4, 4), b = block(8, 8, 2, 2, 6, 7).withBoxes(Boxes.empty());
        Batch batch = Collate.collate(List.of(a, b), new int[] {10, 11});
        assertEquals(List.of(a.boxes(), Boxes.empty()), batch.boxes());
        Example plain = new Example(new float[64], new int[] {1, 8, 8}, 0);
        assertEquals("collate: example 5 lacks detection boxes but example 4 has them",
                assertThrows(IllegalArgumentException.class, () -> Collate.collate(List.of(a, plain), new int[] {4, 5})).getMessage());
        assertNull(Collate.collate(List.of(plain), new int[] {0}).boxes());
    }
}
