package io.descent.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxOpsTest {
    private static final float[] UNIT = {0, 0, 1, 1};

    private static float iou1(float[] a, float[] b) {
        float[] m = BoxOps.iou(a, b);
        assertEquals(1, m.length);
        return m[0];
    }

    @Test
    void areaHasNoPlusOne() {
        assertArrayEquals(new float[] {6, 0, 0, 2.25f}, BoxOps.area(new float[] {0, 0, 2, 3, 1, 1, 1, 5, 4, 4, 9, 4, -1, -1, 0.5f, 0.5f}));
        assertArrayEquals(new float[0], BoxOps.area(new float[0]));
    }

    @Test
    void iouOfHandPlacedPairs() {
        assertEquals(0f, iou1(UNIT, new float[] {2, 2, 3, 3}), "disjoint");
        assertEquals(0f, iou1(UNIT, new float[] {1, 0, 2, 1}), "touching along an edge: no area in common");
        assertEquals(0f, iou1(UNIT, new float[] {1, 1, 2, 2}), "touching at a corner");
        assertEquals(1f, iou1(new float[] {3, 4, 7.5f, 9}, new float[] {3, 4, 7.5f, 9}), "identical");
        assertEquals(0.25f, iou1(new float[] {0, 0, 4, 4}, new float[] {1, 1, 3, 3}), "nested: the inner area over the outer");
        assertEquals(0.25f, iou1(new float[] {1, 1, 3, 3}, new float[] {0, 0, 4, 4}), "symmetric");
        assertEquals(1f / 7, iou1(new float[] {0, 0, 2, 2}, new float[] {1, 1, 3, 3}), "1 in common, 4 + 4 - 1 in all");
        assertEquals(0f, iou1(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, UNIT), "a point inside a box");
        assertEquals(0f, iou1(new float[] {0, 0, 0, 1}, new float[] {0, 0, 0, 1}), "no area in either: 0, where torchvision has 0/0 = NaN");
    }

    @Test
    void iouIsRowMajorAByB() {
        float[] a = {0, 0, 2, 2, 10, 10, 11, 11};
        float[] b = {1, 1, 3, 3, 0, 0, 2, 2, 10, 10, 12, 12};
        assertArrayEquals(new float[] {1f / 7, 1, 0, 0, 0, 0.25f}, BoxOps.iou(a, b));
        assertArrayEquals(new float[0], BoxOps.iou(new float[0], b));
    }

    // A and D are the same box, B overlaps both with IoU 81/119 ≈ 0.68, C is apart.
    private static final float[] ABCD = {0, 0, 10, 10, 1, 1, 11, 11, 20, 20, 30, 30, 0, 0, 10, 10};
    private static final float[] ABCD_SCORES = {0.9f, 0.8f, 0.7f, 0.95f};

    @Test
    void nmsKeepsBoxesByDecreasingScoreAndSuppressesOverTheThreshold() {
        assertArrayEquals(new int[] {3, 2}, BoxOps.nms(ABCD, ABCD_SCORES, 0.5f));
        assertArrayEquals(new int[] {3, 1, 2}, BoxOps.nms(ABCD, ABCD_SCORES, 0.7f), "B's IoU 0.68 is not over 0.7");
        assertArrayEquals(new int[] {3, 0, 1, 2}, BoxOps.nms(ABCD, ABCD_SCORES, 1f), "IoU 1 is not greater than 1");
        assertArrayEquals(new int[] {3, 2}, BoxOps.nms(ABCD, ABCD_SCORES, 0f), "any overlap suppresses at 0");
        assertArrayEquals(new int[0], BoxOps.nms(new float[0], new float[0], 0.5f));
        // touching boxes do not overlap, even at threshold 0
        assertArrayEquals(new int[] {1, 0}, BoxOps.nms(new float[] {0, 0, 1, 1, 1, 0, 2, 1}, new float[] {0.1f, 0.2f}, 0f));
    }

    @Test
    void nmsVisitsEqualScoresInIncreasingIndex() {
        float[] same = {5, 5, 8, 8, 5, 5, 8, 8, 5, 5, 8, 8};
        assertArrayEquals(new int[] {0}, BoxOps.nms(same, new float[] {0.5f, 0.5f, 0.5f}, 0.5f));
        assertArrayEquals(new int[] {1}, BoxOps.nms(same, new float[] {0.5f, 0.6f, 0.5f}, 0.5f));
        float[] apart = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
        assertArrayEquals(new int[] {2, 0, 1, 3}, BoxOps.nms(apart, new float[] {0.3f, 0.3f, 0.9f, 0.3f}, 0.5f));
        assertArrayEquals(new int[] {0, 1}, BoxOps.nms(new float[] {0, 0, 1, 1, 2, 2, 3, 3}, new float[] {0f, -0f}, 0.5f), "0 and -0 tie");
    }

    @Test
    void nmsLeavesBoxesWithoutAreaAlone() {
        // two identical points: IoU 0/0 = NaN in torchvision's kernel, which is not over any threshold
        assertArrayEquals(new int[] {0, 1}, BoxOps.nms(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, new float[] {0.9f, 0.8f}, 0f));
    }

    @Test
    void batchedNmsSuppressesWithinAClassOnly() {
        int[] classes = {0, 1, 7, 0};
        // D suppresses A (same class 0); B (class 1) and C (class 7) are alone in theirs
        assertArrayEquals(new int[] {3, 1, 2}, BoxOps.batchedNms(ABCD, ABCD_SCORES, classes, 0.5f));
        assertArrayEquals(new int[] {3, 0, 1, 2}, BoxOps.batchedNms(ABCD, ABCD_SCORES, new int[] {0, 1, 2, 3}, 0.5f));
        assertArrayEquals(BoxOps.nms(ABCD, ABCD_SCORES, 0.5f), BoxOps.batchedNms(ABCD, ABCD_SCORES, new int[4], 0.5f));
        // equal scores across classes come out in increasing index
        float[] same = {5, 5, 8, 8, 5, 5, 8, 8, 5, 5, 8, 8};
        assertArrayEquals(new int[] {0, 1}, BoxOps.batchedNms(same, new float[] {0.5f, 0.5f, 0.5f}, new int[] {3, 2, 3}, 0.5f));
        float[] apart = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
        assertArrayEquals(new int[] {0, 1, 2, 3}, BoxOps.batchedNms(apart, new float[4], new int[] {2, 3, 2, 3}, 0.5f), "not grouped by class");
    }

    @Test
    void refusesBadInput() {
        assertEquals("BoxOps.area: xyxy has 5 values, not a multiple of 4 (x1, y1, x2, y2 per box)",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.area(new float[5])).getMessage());
        assertEquals("BoxOps.iou: b has 3 values, not a multiple of 4 (x1, y1, x2, y2 per box)",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.iou(UNIT, new float[3])).getMessage());
        assertEquals("BoxOps.nms: xyxy has 6 values, not a multiple of 4 (x1, y1, x2, y2 per box)",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.nms(new float[6], new float[1], 0.5f)).getMessage());
        assertEquals("BoxOps.nms: 4 boxes but 3 scores",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.nms(ABCD, new float[3], 0.5f)).getMessage());
        assertEquals("BoxOps.nms: iouThreshold must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.nms(ABCD, ABCD_SCORES, 1.5f)).getMessage());
        assertEquals("BoxOps.nms: iouThreshold must be in [0, 1], got -0.1",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.nms(ABCD, ABCD_SCORES, -0.1f)).getMessage());
        assertEquals("BoxOps.nms: iouThreshold must be in [0, 1], got NaN",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.nms(ABCD, ABCD_SCORES, Float.NaN)).getMessage());
        assertEquals("BoxOps.batchedNms: 4 boxes, 4 scores and 3 classes",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.batchedNms(ABCD, ABCD_SCORES, new int[3], 0.5f)).getMessage());
        assertEquals("BoxOps.batchedNms: iouThreshold must be in [0, 1], got NaN",
                assertThrows(IllegalArgumentException.class, () -> BoxOps.batchedNms(ABCD, ABCD_SCORES, new int[4], Float.NaN)).getMessage());
    }

    // ------------------------------------------------------------------ torchvision.ops (tools/golden/gen_detect.py)

    private static final Map<String, Tensor> GOLDEN = Golden.load("detect_boxes");

    private static int[] ints(Tensor t) {
        float[] f = t.data();
        int[] r = new int[f.length];
        for (int i = 0; i < f.length; i++) r[i] = Math.round(f[i]);
        return r;
    }

    @Test
    void areaAndIouMatchTorchvision() {
        float[] a = Golden.get(GOLDEN, "boxes").data(), b = Golden.get(GOLDEN, "boxes_b").data();
        assertArrayEquals(Golden.get(GOLDEN, "area").data(), BoxOps.area(a), 0f);
        // the same float operations in the same order: equal to the last bit
        assertArrayEquals(Golden.get(GOLDEN, "iou_ab").data(), BoxOps.iou(a, b), 0f);
        assertArrayEquals(Golden.get(GOLDEN, "iou_aa").data(), BoxOps.iou(a, a), 0f);
    }

    @Test
    void nmsAndBatchedNmsMatchTorchvision() {
        float[] boxes = Golden.get(GOLDEN, "boxes").data(), scores = Golden.get(GOLDEN, "scores").data();
        int[] classes = ints(Golden.get(GOLDEN, "classes"));
        float[] thresholds = Golden.get(GOLDEN, "thresholds").data();
        for (int k = 0; k < thresholds.length; k++) {
            float t = thresholds[k];
            assertArrayEquals(ints(Golden.get(GOLDEN, "nms_" + k)), BoxOps.nms(boxes, scores, t), "nms at " + t);
            assertArrayEquals(ints(Golden.get(GOLDEN, "batched_nms_" + k)), BoxOps.batchedNms(boxes, scores, classes, t), "batched_nms at " + t);
        }
    }
}
