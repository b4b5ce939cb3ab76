package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.detect.BoxOps;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShapesDetectionTest {
    @Test
    void imagesArePureFunctionsOfSeedAndIndex() {
        ShapesDetection a = new ShapesDetection(100, 5, 64, 3, 4), b = new ShapesDetection(10, 5, 64, 3, 4), c = new ShapesDetection(100, 6, 64, 3, 4);
        assertArrayEquals(a.get(7).data(), b.get(7).data());
        assertEquals(a.get(7).boxes(), b.get(7).boxes());
        assertFalse(Arrays.equals(a.get(7).data(), c.get(7).data()));
        assertEquals(Example.UNLABELED, a.get(3).label());
        assertEquals(Shapes.CLASSES, a.classes());
    }

    @Test
    void everyImageHasOneToFourTightBoxesThatBarelyOverlap() {
        ShapesDetection d = new ShapesDetection(300, 1, 64, 1, 4);
        int[] perCount = new int[5], perClass = new int[10];
        for (int i = 0; i < d.size(); i++) {
            Example e = d.get(i);
            Boxes b = e.boxes();
            assertTrue(b.size() >= 1 && b.size() <= 4, "image " + i + ": " + b.size() + " objects");
            perCount[b.size()]++;
            for (int k = 0; k < b.size(); k++) {
                float[] box = b.box(k);
                perClass[b.label(k)]++;
                assertTrue(box[0] >= 0 && box[1] >= 0 && box[2] <= 64 && box[3] <= 64, "inside the image: " + b);
                double w = box[2] - box[0], h = box[3] - box[1];
                assertTrue(w >= 2 && h >= 2 && w <= 0.47 * 64 && h <= 0.47 * 64, "object size " + w + "x" + h);
            }
            float[] iou = BoxOps.iou(b.xyxy(), b.xyxy());
            for (int p = 0; p < b.size(); p++) {
                for (int q = 0; q < b.size(); q++) if (p != q) assertTrue(iou[p * b.size() + q] < 0.45, "image " + i + " boxes " + p + ", " + q + " overlap " + iou[p * b.size() + q]);
            }
            for (float v : e.data()) assertTrue(v >= 0 && v <= 1);
        }
        for (int n = 1; n <= 4; n++) assertTrue(perCount[n] > 40, "counts " + Arrays.toString(perCount));
        for (int c : perClass) assertTrue(c > 40, "classes " + Arrays.toString(perClass));
    }

    @Test
    void theObjectIsDrawnInsideItsBox() {
        // a single-object image: pixels far from the background inside the box, the box's
        // surroundings at background level (up to noise and strokes)
        ShapesDetection d = new ShapesDetection(200, 9, 64, 1, 1);
        int checked = 0;
        for (int i = 0; i < d.size(); i++) {
            Example e = d.get(i);
            float[] box = e.boxes().box(0), x = e.data();
            double inside = 0, n = 0;
            for (int y = (int) Math.ceil(box[1]); y < (int) box[3]; y++) for (int c = (int) Math.ceil(box[0]); c < (int) box[2]; c++) {
                inside += x[y * 64 + c];
                n++;
            }
            double border = 0, m = 0;
            for (int c = 0; c < 64; c++) {
                border += x[c] + x[63 * 64 + c];
                m += 2;
            }
            if (n > 0) {
                assertTrue(inside / n > border / m + 0.1, "image " + i + ": box mean " + inside / n + " vs image edge " + border / m);
                checked++;
            }
        }
        assertEquals(200, checked);
    }

    @Test
    void badArgumentsAreRefused() {
        assertEquals("ShapesDetection: imageSize must be >= 16 pixels, got 8",
                assertThrows(IllegalArgumentException.class, () -> new ShapesDetection(1, 0, 8, 1, 1)).getMessage());
        assertEquals("ShapesDetection: maxObjects must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new ShapesDetection(1, 0, 64, 1, 0)).getMessage());
        assertEquals("--classes and --shots select images by their class: shapes-detection's images hold several classes",
                assertThrows(IllegalArgumentException.class, () -> DataSpec.of("shapes-detection").withShots(3)).getMessage());
    }
}
