package io.descent.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.Golden;
import io.descent.data.Boxes;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MeanAveragePrecisionTest {
    private static final double EPS = 1e-12;

    private static Detections dets(float[] xyxy, float[] scores, int... labels) {
        return new Detections(xyxy, scores, labels);
    }

    private static void assertResult(double map, double map50, double map75, MeanAveragePrecision.Result r) {
        assertEquals(map, r.map(), EPS, "map");
        assertEquals(map50, r.map50(), EPS, "map50");
        assertEquals(map75, r.map75(), EPS, "map75");
    }

    /** COCOeval's AP_S, AP_M, AP_L and AR@100. */
    private static void assertAreas(double small, double medium, double large, double mar100, MeanAveragePrecision.Result r) {
        assertEquals(small, r.mapSmall(), EPS, "mapSmall");
        assertEquals(medium, r.mapMedium(), EPS, "mapMedium");
        assertEquals(large, r.mapLarge(), EPS, "mapLarge");
        assertEquals(mar100, r.mar100(), EPS, "mar100");
    }

    /** Same classes, and each AP within EPS (a precision of 1 is tp / (tp + 2⁻⁵²) = 1 − 2⁻⁵² in COCOeval). */
    private static void assertPerClass(Map<Integer, Double> expected, MeanAveragePrecision.Result r) {
        assertEquals(new TreeSet<>(expected.keySet()), r.perClass().keySet());
        expected.forEach((c, ap) -> assertEquals(ap, r.perClass().get(c), EPS, "class " + c));
    }

    @Test
    void perfectDetectionsScoreOne() {
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes a = new Boxes(new float[] {0, 0, 10, 10, 20, 20, 30, 40, 5, 5, 9, 9}, new int[] {0, 1, 0});
        Boxes b = new Boxes(new float[] {1, 2, 3, 4}, new int[] {2});
        m.add(dets(a.xyxy(), new float[] {0.9f, 0.8f, 0.1f}, a.labels()), a);
        m.add(dets(b.xyxy(), new float[] {0.3f}, b.labels()), b);
        m.add(Detections.empty(), Boxes.empty());
        assertEquals(3, m.images());
        MeanAveragePrecision.Result r = m.compute();
        assertResult(1, 1, 1, r);
        assertAreas(1, -1, -1, 1, r); // every box is small (area <= 32²): no medium or large ground truth
        assertPerClass(Map.of(0, 1.0, 1, 1.0, 2, 1.0), r);
    }

    @Test
    void noDetectionsScoreZero() {
        MeanAveragePrecision m = new MeanAveragePrecision();
        m.add(Detections.empty(), new Boxes(new float[] {0, 0, 10, 10, 20, 20, 30, 40}, new int[] {0, 1}));
        MeanAveragePrecision.Result r = m.compute();
        assertResult(0, 0, 0, r);
        assertAreas(0, -1, -1, 0, r);
        assertPerClass(Map.of(0, 0.0, 1, 0.0), r);
    }

    @Test
    void aFalsePositiveRankedFirstHalvesThePrecision() {
        // FP (0.9) then TP (0.8) for 1 ground truth: recall [0, 1], precision [0, 1/2] made
        // non-increasing from the right [1/2, 1/2], so every one of the 101 recall points reads 1/2
        MeanAveragePrecision m = new MeanAveragePrecision();
        m.add(dets(new float[] {50, 50, 60, 60, 0, 0, 10, 10}, new float[] {0.9f, 0.8f}, 0, 0), new Boxes(new float[] {0, 0, 10, 10}, new int[] {0}));
        double half = 1 / (2 + Math.ulp(1.0)); // COCOeval's tp / (fp + tp + np.spacing(1))
        assertResult(half, half, half, m.compute());
    }

    @Test
    void aFalsePositiveBetweenTwoTruePositives() {
        // TP (0.9), FP (0.8), TP (0.7) for 2 ground truths: recall [1/2, 1/2, 1], precision
        // [1, 1/2, 2/3] → [1, 2/3, 2/3]; recall points 0.00..0.50 (51 of them) read 1, the 50 above read 2/3
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes truth = new Boxes(new float[] {0, 0, 10, 10, 20, 0, 30, 10}, new int[] {4, 4});
        m.add(dets(new float[] {0, 0, 10, 10, 40, 0, 50, 10, 20, 0, 30, 10}, new float[] {0.9f, 0.8f, 0.7f}, 4, 4, 4), truth);
        double ap = (51 + 50 * (2 / (3 + Math.ulp(1.0)))) / 101;
        assertResult(ap, ap, ap, m.compute());
        assertEquals(253.0 / 303, ap, 1e-15);
    }

    @Test
    void aMatchCountsFromItsIouThresholdDown() {
        // IoU 60/100 = 0.6 matches at thresholds 0.50, 0.55 and 0.60 (IoU >= t) of the ten
        MeanAveragePrecision m = new MeanAveragePrecision();
        m.add(dets(new float[] {0, 0, 10, 6}, new float[] {0.5f}, 0), new Boxes(new float[] {0, 0, 10, 10}, new int[] {0}));
        assertResult(0.3, 1, 0, m.compute());
    }

    @Test
    void aDetectionTakesTheGroundTruthOfLargestIouNotTheFirst() {
        // truths A = [0,0,10,10] and B = [0,0,10,8]; the first detection [0,0,10,8.5] has IoU 0.85
        // with A and 0.941 with B, so it takes B; the second, exactly A, takes A: both match up to
        // t = 0.90. At 0.95 only the second matches: FP then TP, recall [0, 1/2], and the 51
        // recall points up to 0.5 read 1/2. (Taking the first box over t would have left the
        // second detection only B, IoU 0.8.)
        MeanAveragePrecision m = new MeanAveragePrecision();
        m.add(dets(new float[] {0, 0, 10, 8.5f, 0, 0, 10, 10}, new float[] {0.9f, 0.8f}, 1, 1),
                new Boxes(new float[] {0, 0, 10, 10, 0, 0, 10, 8}, new int[] {1, 1}));
        double half = 1 / (2 + Math.ulp(1.0));
        assertResult((9 + 51 * half / 101) / 10, 1, 1, m.compute());
    }

    @Test
    void equalIousGoToTheLaterGroundTruth() {
        // truths A = [0,0,10,10], B = [5,0,15,10]; the first detection [2.5,0,12.5,10] has IoU 0.6
        // with both and, as COCOeval's loop replaces its best on >=, takes B; the second detection
        // [6,0,16,10] (IoU 0.818 with B, 0.25 with A) is then a false positive up to t = 0.60.
        // t = 0.50..0.60: TP, FP: 51 points read 1. t = 0.65..0.80: FP, TP: 51 points read 1/2.
        MeanAveragePrecision m = new MeanAveragePrecision();
        m.add(dets(new float[] {2.5f, 0, 12.5f, 10, 6, 0, 16, 10}, new float[] {0.9f, 0.8f}, 0, 0),
                new Boxes(new float[] {0, 0, 10, 10, 5, 0, 15, 10}, new int[] {0, 0}));
        double half = 1 / (2 + Math.ulp(1.0));
        assertResult((3 * 51 + 4 * 51 * half) / 1010, 51.0 / 101, 51 * half / 101, m.compute());
    }

    @Test
    void classesWithoutGroundTruthAreLeftOutOfTheMean() {
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes truth = new Boxes(new float[] {0, 0, 10, 10}, new int[] {2});
        m.add(dets(new float[] {0, 0, 10, 10, 30, 30, 40, 40}, new float[] {0.5f, 0.9f}, 2, 5), truth);
        MeanAveragePrecision.Result r = m.compute();
        assertResult(1, 1, 1, r);
        assertPerClass(Map.of(2, 1.0, 5, -1.0), r);
        assertEquals("[2, 5]", r.perClass().keySet().toString(), "sorted by class");
        assertThrows(UnsupportedOperationException.class, () -> r.perClass().put(0, 0.0));
    }

    @Test
    void withoutAnyGroundTruthEveryFigureIsMinusOne() {
        MeanAveragePrecision m = new MeanAveragePrecision();
        assertResult(-1, -1, -1, m.compute());
        assertAreas(-1, -1, -1, -1, m.compute());
        m.add(dets(new float[] {0, 0, 1, 1}, new float[] {0.5f}, 3), Boxes.empty());
        MeanAveragePrecision.Result r = m.compute();
        assertResult(-1, -1, -1, r);
        assertAreas(-1, -1, -1, -1, r);
        assertPerClass(Map.of(3, -1.0), r);
    }

    @Test
    void areaRangesSplitTheBoxesBySize() {
        // a small truth (10×10) found, a large one (100×100 = 10000 >= 96²) missed: AP_S 1, AP_L 0
        // (the small one's detection matches a truth ignored there: neither TP nor FP), no
        // medium truth (−1); in area "all" recall 1/2 with precision 1, so 51 of 101 points read 1
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes truth = new Boxes(new float[] {0, 0, 10, 10, 100, 100, 200, 200}, new int[] {0, 0});
        m.add(dets(new float[] {0, 0, 10, 10}, new float[] {0.9f}, 0), truth);
        MeanAveragePrecision.Result r = m.compute();
        assertResult(51.0 / 101, 51.0 / 101, 51.0 / 101, r);
        assertAreas(1, -1, 0, 0.5, r);
        assertPerClass(Map.of(0, 51.0 / 101), r); // per class: area "all"
    }

    @Test
    void aDetectionIsIgnoredInARangeThatHoldsNeitherItNorItsMatch() {
        // the truths of the case above, both found, and a false positive X ranked first, large
        // (110×110) and far from both. Small: X unmatched and outside the range, the large
        // truth's detection matched to a truth ignored there: both ignored, AP_S 1. Large: X a
        // false positive, the small truth's detection ignored, then a TP: precision 1/2 throughout.
        // All: FP, TP, TP: precision [0, 1/2, 2/3] → 2/3 at every point.
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes truth = new Boxes(new float[] {0, 0, 10, 10, 100, 100, 200, 200}, new int[] {0, 0});
        m.add(dets(new float[] {150, 0, 260, 110, 0, 0, 10, 10, 100, 100, 200, 200}, new float[] {0.95f, 0.9f, 0.8f}, 0, 0, 0), truth);
        MeanAveragePrecision.Result r = m.compute();
        double twoThirds = 2 / (3 + Math.ulp(1.0)), half = 1 / (2 + Math.ulp(1.0));
        assertResult(twoThirds, twoThirds, twoThirds, r);
        assertAreas(1, -1, half, 1, r);
    }

    @Test
    void aDetectionTakesATruthInRangeBeforeAnIgnoredOneAndBoundsBelongToBothRanges() {
        // class 0: truths M (40×40, medium) and S (30×30, small); detection D is exactly 32×32
        // (area 32² = 1024: small and medium), IoU 0.64 with M and 0.879 with S.
        // Medium (S ignored): D takes M while 0.64 >= t (t = 0.50..0.60), though S fits better
        // (COCOeval stops at the first ignored truth once it has a match in range); for t =
        // 0.65..0.85 D takes S and is ignored; at 0.90 and 0.95 it is unmatched, in range: FP.
        // AP 3/10. Small (M ignored): D takes S up to 0.85, then an FP: AP 8/10.
        // All: D takes S (the larger IoU) up to 0.85, recall 1/2: 8 × 51/101 / 10; AR 8 × 1/2 / 10.
        // class 1: one truth exactly 32×32, found: AP 1 in small, medium and all.
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes truth = new Boxes(new float[] {0, 0, 40, 40, 0, 0, 30, 30, 100, 100, 132, 132}, new int[] {0, 0, 1});
        m.add(dets(new float[] {0, 0, 32, 32, 100, 100, 132, 132}, new float[] {0.9f, 0.5f}, 0, 1), truth);
        MeanAveragePrecision.Result r = m.compute();
        double class0 = 8 * 51.0 / 101 / 10;
        assertResult((class0 + 1) / 2, (51.0 / 101 + 1) / 2, (51.0 / 101 + 1) / 2, r);
        assertAreas((0.8 + 1) / 2, (0.3 + 1) / 2, -1, (0.4 + 1) / 2, r);
        assertPerClass(Map.of(0, class0, 1, 1.0), r);
    }

    @Test
    void aBoxOver1e5SquaredIsInNoRangeNotEvenAll() {
        // COCOeval's "all" is [0, 1e5²]: a 2e5 × 2e5 truth is ignored there, and its detection with it
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes huge = new Boxes(new float[] {0, 0, 200000, 200000}, new int[] {0});
        m.add(dets(huge.xyxy(), new float[] {0.9f}, 0), huge);
        MeanAveragePrecision.Result r = m.compute();
        assertResult(-1, -1, -1, r);
        assertAreas(-1, -1, -1, -1, r);
        assertPerClass(Map.of(0, -1.0), r);
        assertEquals(1e10, MeanAveragePrecision.AREA_RANGES[0][1]);
        assertEquals(1e10, MeanAveragePrecision.AREA_RANGES[3][1]);
    }

    @Test
    void onlyTheTopMaxDetectionsOfAnImageAndClassCount() {
        // per image and class the best-scored detection is a false positive; with maxDets 1 the
        // true positive behind it never counts, in either class
        Boxes truth = new Boxes(new float[] {0, 0, 10, 10, 0, 0, 10, 10}, new int[] {0, 1});
        Detections d = dets(new float[] {50, 50, 60, 60, 0, 0, 10, 10, 50, 50, 60, 60, 0, 0, 10, 10},
                new float[] {0.9f, 0.8f, 0.7f, 0.6f}, 0, 0, 1, 1);
        MeanAveragePrecision one = new MeanAveragePrecision(1);
        one.add(d, truth);
        assertResult(0, 0, 0, one.compute());
        MeanAveragePrecision all = new MeanAveragePrecision();
        all.add(d, truth);
        double half = 1 / (2 + Math.ulp(1.0));
        assertResult(half, half, half, all.compute());
    }

    @Test
    void imagesAccumulateUntilReset() {
        MeanAveragePrecision m = new MeanAveragePrecision();
        Boxes truth = new Boxes(new float[] {0, 0, 10, 10}, new int[] {0});
        m.add(Detections.empty(), truth);
        m.add(dets(new float[] {0, 0, 10, 10}, new float[] {0.5f}, 0), truth);
        assertEquals(2, m.images());
        // 1 TP of 2 ground truths: recall 1/2 with precision 1, so 51 of 101 points read 1
        assertResult(51.0 / 101, 51.0 / 101, 51.0 / 101, m.compute());
        m.reset();
        assertEquals(0, m.images());
        m.add(dets(new float[] {0, 0, 10, 10}, new float[] {0.5f}, 0), truth);
        assertResult(1, 1, 1, m.compute());
    }

    @Test
    void refusesBadInput() {
        assertEquals("MeanAveragePrecision: maxDetections must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new MeanAveragePrecision(0)).getMessage());
        MeanAveragePrecision m = new MeanAveragePrecision();
        assertEquals("predicted", assertThrows(NullPointerException.class, () -> m.add(null, Boxes.empty())).getMessage());
        assertEquals("truth", assertThrows(NullPointerException.class, () -> m.add(Detections.empty(), null)).getMessage());
        assertEquals(0, m.images(), "a refused image is not added");
    }

    @Test
    void thresholdsAreNumpysDoubles() {
        assertEquals(0.8999999999999999, MeanAveragePrecision.IOU_THRESHOLDS[8]);
        assertEquals(0.75, MeanAveragePrecision.IOU_THRESHOLDS[5]);
        assertEquals(0.95, MeanAveragePrecision.IOU_THRESHOLDS[9]);
        assertEquals(0.07000000000000001, MeanAveragePrecision.RECALL_THRESHOLDS[7]);
        assertEquals(1.0, MeanAveragePrecision.RECALL_THRESHOLDS[100]);
    }

    // ------------------------------------------------------------------ pycocotools COCOeval (tools/golden/gen_detect.py)

    private static final Map<String, Tensor> GOLDEN = Golden.load("detect_map");

    /** A double stored as two floats, hi + lo (F32 fixtures hold ~7 digits; the pair ~14). */
    private static double[] doubles(String key) {
        float[] hi = Golden.get(GOLDEN, key).data(), lo = Golden.get(GOLDEN, key + "_lo").data();
        double[] r = new double[hi.length];
        for (int i = 0; i < hi.length; i++) r[i] = (double) hi[i] + lo[i];
        return r;
    }

    private static int[] ints(String key) {
        float[] f = Golden.get(GOLDEN, key).data();
        int[] r = new int[f.length];
        for (int i = 0; i < f.length; i++) r[i] = Math.round(f[i]);
        return r;
    }

    /** The images of a case, built from the flat per-box arrays (each box tagged with its image). */
    private static MeanAveragePrecision metric(String c) {
        int images = ints(c + ".images")[0];
        float[] gtBoxes = Golden.get(GOLDEN, c + ".gt_boxes").data(), dtBoxes = Golden.get(GOLDEN, c + ".dt_boxes").data();
        float[] dtScores = Golden.get(GOLDEN, c + ".dt_scores").data();
        int[] gtLabels = ints(c + ".gt_labels"), gtImage = ints(c + ".gt_image");
        int[] dtLabels = ints(c + ".dt_labels"), dtImage = ints(c + ".dt_image");
        MeanAveragePrecision m = new MeanAveragePrecision();
        for (int im = 0; im < images; im++) {
            int image = im;
            int[] g = IntStream.range(0, gtImage.length).filter(i -> gtImage[i] == image).toArray();
            int[] d = IntStream.range(0, dtImage.length).filter(i -> dtImage[i] == image).toArray();
            float[] gb = new float[4 * g.length], db = new float[4 * d.length], ds = new float[d.length];
            int[] gl = new int[g.length], dl = new int[d.length];
            for (int k = 0; k < g.length; k++) {
                System.arraycopy(gtBoxes, 4 * g[k], gb, 4 * k, 4);
                gl[k] = gtLabels[g[k]];
            }
            for (int k = 0; k < d.length; k++) {
                System.arraycopy(dtBoxes, 4 * d[k], db, 4 * k, 4);
                ds[k] = dtScores[d[k]];
                dl[k] = dtLabels[d[k]];
            }
            m.add(new Detections(db, ds, dl), new Boxes(gb, gl));
        }
        return m;
    }

    @Test
    void agreesWithCocoEval() {
        String[] cases = GOLDEN.keySet().stream().filter(k -> k.endsWith(".stats")).map(k -> k.substring(0, k.length() - 6)).sorted().toArray(String[]::new);
        assertEquals("[bounds, crowded, main, ties]", Arrays.toString(cases));
        for (String c : cases) {
            MeanAveragePrecision m = metric(c);
            MeanAveragePrecision.Result r = m.compute();
            double[] stats = doubles(c + ".stats"), perClass = doubles(c + ".per_class");
            assertEquals(7, stats.length, c + ": stats[0..5] and stats[8]");
            // the fixture holds each value to ~1e-14; the sums here run in another order than numpy's
            assertEquals(stats[0], r.map(), EPS, c + " AP@[.5:.95]");
            assertEquals(stats[1], r.map50(), EPS, c + " AP50");
            assertEquals(stats[2], r.map75(), EPS, c + " AP75");
            assertEquals(stats[3], r.mapSmall(), EPS, c + " AP_S");
            assertEquals(stats[4], r.mapMedium(), EPS, c + " AP_M");
            assertEquals(stats[5], r.mapLarge(), EPS, c + " AP_L");
            assertEquals(stats[6], r.mar100(), EPS, c + " AR@100");
            for (int k = 0; k < perClass.length; k++) {
                double ap = r.perClass().getOrDefault(k, -1.0);
                assertEquals(perClass[k], ap, EPS, c + " class " + k);
            }
            assertEquals(perClass.length, r.perClass().keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1, c + " classes");
        }
    }
}
