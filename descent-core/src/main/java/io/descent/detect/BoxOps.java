package io.descent.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Box geometry for detection, outside autograd: areas, pairwise IoU and non-maximum suppression
 * on boxes stored flat as {@code x1, y1, x2, y2} (4 floats per box, pixels), computed in float
 * exactly as {@code torchvision.ops} computes them ({@code box_area}, {@code box_iou},
 * {@code nms}, {@code batched_nms}): a box's area is (x2 − x1)·(y2 − y1), with no "+1" pixel
 * (the convention of the old Pascal VOC code), and IoU = |A ∩ B| / (|A| + |B| − |A ∩ B|).
 * Boxes are taken as given, as torchvision takes them: corners out of order give a negative area.
 */
public final class BoxOps {
    private BoxOps() {}

    /** The area (x2 − x1)·(y2 − y1) of each box (torchvision {@code box_area}). */
    public static float[] area(float[] xyxy) {
        int n = count("BoxOps.area", "xyxy", xyxy);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (xyxy[4 * i + 2] - xyxy[4 * i]) * (xyxy[4 * i + 3] - xyxy[4 * i + 1]);
        return out;
    }

    /**
     * The IoU of every box of {@code a} with every box of {@code b}, row-major |a| × |b|
     * (torchvision {@code box_iou}, same float operations in the same order). Where the union is
     * 0 (two boxes with no area) the IoU is 0; torchvision gives 0/0 = NaN there.
     */
    public static float[] iou(float[] a, float[] b) {
        int n = count("BoxOps.iou", "a", a), m = count("BoxOps.iou", "b", b);
        float[] areaA = area(a), areaB = area(b), out = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) out[i * m + j] = iou(a, i, areaA[i], b, j, areaB[j]);
        }
        return out;
    }

    /**
     * Non-maximum suppression (torchvision {@code nms}): visits the boxes by decreasing score,
     * keeps each box not yet suppressed and suppresses every later box whose IoU with it is
     * greater than {@code iouThreshold}. Returns the kept indices in decreasing score order.
     * Equal scores are visited in increasing index, as torchvision's CPU kernel does (it sorts
     * with {@code scores.sort(stable=True, descending=True)}), so the result is deterministic.
     * Two boxes with no area have IoU 0/0 = NaN there, which suppresses nothing; so here.
     */
    public static int[] nms(float[] xyxy, float[] scores, float iouThreshold) {
        int n = count("BoxOps.nms", "xyxy", xyxy);
        Objects.requireNonNull(scores, "scores");
        if (scores.length != n) throw new IllegalArgumentException("BoxOps.nms: " + n + " boxes but " + scores.length + " scores");
        checkThreshold("BoxOps.nms", iouThreshold);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return nms(xyxy, area(xyxy), scores, all, iouThreshold);
    }

    /**
     * Non-maximum suppression within each class (torchvision {@code batched_nms}): boxes of
     * different {@code classes} never suppress each other. Returns the kept indices in decreasing
     * score order, equal scores in increasing index — the order of torchvision's
     * coordinate-offset path, which it takes for up to 1000 boxes on the CPU (its per-class path
     * for more boxes orders equal scores with an unstable sort). Here every class is suppressed on
     * its own boxes, so no coordinate offset rounds the IoU.
     */
    public static int[] batchedNms(float[] xyxy, float[] scores, int[] classes, float iouThreshold) {
        int n = count("BoxOps.batchedNms", "xyxy", xyxy);
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(classes, "classes");
        if (scores.length != n || classes.length != n) {
            throw new IllegalArgumentException("BoxOps.batchedNms: " + n + " boxes, " + scores.length + " scores and " + classes.length + " classes");
        }
        checkThreshold("BoxOps.batchedNms", iouThreshold);
        Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) byClass.computeIfAbsent(classes[i], c -> new ArrayList<>()).add(i);
        float[] areas = area(xyxy);
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> members : byClass.values()) {
            for (int i : nms(xyxy, areas, scores, members.stream().mapToInt(Integer::intValue).toArray(), iouThreshold)) kept.add(i);
        }
        return kept.stream().sorted(byDecreasingScore(scores)).mapToInt(Integer::intValue).toArray();
    }

    /** NMS over the boxes {@code candidates} (indices into xyxy, increasing), given every box's area. */
    private static int[] nms(float[] xyxy, float[] areas, float[] scores, int[] candidates, float iouThreshold) {
        Integer[] order = Arrays.stream(candidates).boxed().sorted(byDecreasingScore(scores)).toArray(Integer[]::new);
        boolean[] suppressed = new boolean[areas.length];
        int[] keep = new int[order.length];
        int k = 0;
        for (int oi = 0; oi < order.length; oi++) {
            int i = order[oi];
            if (suppressed[i]) continue;
            keep[k++] = i;
            for (int oj = oi + 1; oj < order.length; oj++) {
                int j = order[oj];
                if (!suppressed[j] && overlap(xyxy, i, areas[i], j, areas[j]) > iouThreshold) suppressed[j] = true;
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /**
     * Indices by decreasing score, equal scores (0 and −0 too, as in torch) by increasing index:
     * the order of torch's stable descending sort of the scores.
     */
    private static Comparator<Integer> byDecreasingScore(float[] scores) {
        return (p, q) -> {
            float a = scores[p], b = scores[q];
            return a == b ? Integer.compare(p, q) : Float.compare(b, a);
        };
    }

    /** box_iou's IoU: inter / ((areaI + areaJ) − inter), 0 where that union is 0. */
    private static float iou(float[] a, int i, float areaI, float[] b, int j, float areaJ) {
        float w = Math.max(0f, Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]));
        float h = Math.max(0f, Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]));
        float inter = w * h, union = areaI + areaJ - inter;
        return union == 0 ? 0f : inter / union;
    }

    /** The nms kernel's IoU, the same operations as box_iou but 0/0 left NaN (it suppresses nothing). */
    private static float overlap(float[] xyxy, int i, float areaI, int j, float areaJ) {
        float w = Math.max(0f, Math.min(xyxy[4 * i + 2], xyxy[4 * j + 2]) - Math.max(xyxy[4 * i], xyxy[4 * j]));
        float h = Math.max(0f, Math.min(xyxy[4 * i + 3], xyxy[4 * j + 3]) - Math.max(xyxy[4 * i + 1], xyxy[4 * j + 1]));
        float inter = w * h;
        return inter / (areaI + areaJ - inter);
    }

    private static int count(String method, String name, float[] xyxy) {
        Objects.requireNonNull(xyxy, name);
        if (xyxy.length % 4 != 0) {
            throw new IllegalArgumentException(method + ": " + name + " has " + xyxy.length + " values, not a multiple of 4 (x1, y1, x2, y2 per box)");
        }
        return xyxy.length / 4;
    }

    private static void checkThreshold(String method, float iouThreshold) {
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException(method + ": iouThreshold must be in [0, 1], got " + iouThreshold);
        }
    }
}
