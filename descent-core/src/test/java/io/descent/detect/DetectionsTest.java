package io.descent.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DetectionsTest {
    private static final Detections THREE = new Detections(
            new float[] {0, 0, 10, 10, 5, 5, 6, 9, 1, 2, 1, 2}, new float[] {0.9f, 0.4f, 0.7f}, new int[] {2, 0, 2});

    @Test
    void holdsBoxesScoresAndLabels() {
        assertEquals(3, THREE.size());
        assertArrayEquals(new float[] {5, 5, 6, 9}, THREE.box(1));
        assertEquals(0.7f, THREE.score(2));
        assertEquals(0, THREE.label(1));
        assertEquals(0, Detections.empty().size());
        assertEquals(THREE, new Detections(THREE.xyxy(), THREE.scores(), THREE.labels()));
        assertEquals("Detections[2[0.0, 0.0, 10.0, 10.0]@0.9, 0[5.0, 5.0, 6.0, 9.0]@0.4, 2[1.0, 2.0, 1.0, 2.0]@0.7]", THREE.toString());
    }

    @Test
    void copiesItsArraysInAndOut() {
        float[] xyxy = {0, 0, 1, 1}, scores = {0.5f};
        int[] labels = {3};
        Detections d = new Detections(xyxy, scores, labels);
        xyxy[2] = 7;
        scores[0] = 0.1f;
        labels[0] = 4;
        d.xyxy()[0] = -5;
        d.scores()[0] = 2;
        d.labels()[0] = 9;
        assertEquals(new Detections(new float[] {0, 0, 1, 1}, new float[] {0.5f}, new int[] {3}), d);
    }

    @Test
    void selectPicksInTheOrderGiven() {
        Detections s = THREE.select(new int[] {2, 0, 2});
        assertArrayEquals(new float[] {1, 2, 1, 2, 0, 0, 10, 10, 1, 2, 1, 2}, s.xyxy());
        assertArrayEquals(new float[] {0.7f, 0.9f, 0.7f}, s.scores());
        assertArrayEquals(new int[] {2, 2, 2}, s.labels());
        assertEquals(0, THREE.select(new int[0]).size());
        assertEquals("Detections.select: index 3 (at 1) is out of range for 3 detections",
                assertThrows(IllegalArgumentException.class, () -> THREE.select(new int[] {0, 3})).getMessage());
        assertEquals("Detections.select: index -1 (at 0) is out of range for 3 detections",
                assertThrows(IllegalArgumentException.class, () -> THREE.select(new int[] {-1})).getMessage());
    }

    @Test
    void refusesBadDetections() {
        assertEquals("Detections: 4 coordinates, 2 scores and 1 labels (4 coordinates x1, y1, x2, y2 and 1 score per label)",
                assertThrows(IllegalArgumentException.class, () -> new Detections(new float[4], new float[2], new int[1])).getMessage());
        assertEquals("Detections: 5 coordinates, 1 scores and 1 labels (4 coordinates x1, y1, x2, y2 and 1 score per label)",
                assertThrows(IllegalArgumentException.class, () -> new Detections(new float[5], new float[1], new int[1])).getMessage());
        assertEquals("Detections: box 0 [2.0, 0.0, 1.0, 1.0] is not x1 <= x2, y1 <= y2",
                assertThrows(IllegalArgumentException.class, () -> new Detections(new float[] {2, 0, 1, 1}, new float[1], new int[1])).getMessage());
        assertEquals("Detections: box 0 has a non-finite coordinate [0.0, NaN, 1.0, 1.0]",
                assertThrows(IllegalArgumentException.class, () -> new Detections(new float[] {0, Float.NaN, 1, 1}, new float[1], new int[1])).getMessage());
        assertEquals("Detections: box 0 has a non-finite score Infinity",
                assertThrows(IllegalArgumentException.class,
                        () -> new Detections(new float[] {0, 0, 1, 1}, new float[] {Float.POSITIVE_INFINITY}, new int[1])).getMessage());
        assertEquals("Detections: box 0 has class -1 (must be >= 0)",
                assertThrows(IllegalArgumentException.class, () -> new Detections(new float[4], new float[1], new int[] {-1})).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> THREE.box(3));
        assertThrows(IndexOutOfBoundsException.class, () -> THREE.score(-1));
    }
}
