package io.descent.detect;

import io.descent.data.Boxes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * COCO's detection metric, mean average precision over IoU thresholds 0.50:0.05:0.95 (Lin et
 * al., "Microsoft COCO: Common Objects in Context", ECCV 2014, and the reference code
 * pycocotools {@code cocoeval.py}, {@code COCOeval} with {@code iouType="bbox"}), computed as
 * COCOeval computes it with {@code maxDets} detections per image (100 by default); no box is a
 * crowd. The {@link Result} holds COCOeval's {@code stats[0..5]} and {@code stats[8]}: AP
 * (AP@[.5:.95]), AP50 and AP75 in the area range "all"; AP_S, AP_M and AP_L, AP@[.5:.95] in the
 * area ranges small (area in [0, 32²]), medium ([32², 96²]) and large ([96², 1e5²]); and AR@100,
 * the recall at the last detection, averaged over the IoU thresholds and classes, in range "all";
 * and each class's AP@[.5:.95] in range "all".
 *
 * <p>Images are {@link #add added} one at a time, then {@link #compute} follows COCOeval step by step:
 * <ol>
 *   <li>per image and class, the detections sorted by decreasing score (a stable sort, ties in
 *       the order given), the top {@code maxDets} kept, and the IoU of each with each ground-truth
 *       box computed in double as {@code maskApi.c bbIou} does from x, y, w, h;
 *   <li>per area range [lo, hi] (all is [0, 1e5²]), a box's area is its w·h in pixels² (COCO's
 *       {@code area}, as {@code loadRes} sets it for detections), and both bounds belong to the
 *       range (a 32×32 box is small and medium); a ground truth outside the range is ignored,
 *       and the ground truths are ordered with those in range first (each part in its order);
 *   <li>for each IoU threshold t, detections in score order take the not yet matched
 *       ground-truth box of largest IoU ≥ min(t, 1 − 1e−10) (on equal IoUs the later box, since
 *       COCOeval's loop replaces its best match on ≥), an ignored box only when no box in range
 *       qualifies; a detection matched to an ignored box, or unmatched with its own area outside
 *       the range, is ignored (neither true nor false positive); other unmatched detections are
 *       false positives;
 *   <li>per class and range, the detections of all images (in the order added) sorted stably by
 *       decreasing score ({@code np.argsort(-scores, kind="mergesort")}), cumulative TP and FP
 *       (an ignored detection adds to neither), recall = TP / #gt in range, precision = TP / (TP +
 *       FP + 2⁻⁵²), precision made non-increasing from the right, and sampled at the 101 recall
 *       points {@code np.linspace(0, 1, 101)} by {@code np.searchsorted(recall, r, side="left")}:
 *       the first detection whose recall reaches r, or 0 when no detection does; the class's
 *       recall at a threshold is its last (0 without detections);
 *   <li>a class's AP is the mean of its 10 × 101 samples, its AR the mean of its 10 recalls; each
 *       figure is the mean over the classes that have at least one ground-truth box in the range
 *       (a class with detections only has no AP, reported as −1 like COCOeval; so is a figure
 *       whose range holds no ground-truth box, and every figure when no image has one).
 * </ol>
 * The thresholds are numpy's doubles ({@code linspace(.5, .95, 10)} holds 0.8999999999999999, and
 * i·0.01 is not i/100 for ten recall points), so results agree with COCOeval to double rounding.
 */
public final class MeanAveragePrecision {
    /** COCOeval's {@code iouThrs}: {@code np.linspace(.5, .95, 10)}, i·step + 0.5 with the end point exact. */
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    /** COCOeval's {@code recThrs}: {@code np.linspace(0, 1, 101)}. */
    static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);
    private static final int T50 = 0, T75 = 5; // IOU_THRESHOLDS[5] == 0.75 exactly, as COCOeval's np.where finds it
    /** COCOeval's {@code areaRng} in pixels², [lo, hi] with both bounds in: all, small, medium, large. */
    static final double[][] AREA_RANGES = {{0, 1e5 * 1e5}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e5 * 1e5}};
    private static final int ALL = 0, SMALL = 1, MEDIUM = 2, LARGE = 3;

    private final int maxDetections;
    private final List<Detections> predicted = new ArrayList<>();
    private final List<Boxes> truth = new ArrayList<>();

    /** The COCO metric: at most 100 detections per image and class. */
    public MeanAveragePrecision() {
        this(100);
    }

    /** At most {@code maxDetections} (COCOeval's {@code maxDets}) of each image and class count. */
    public MeanAveragePrecision(int maxDetections) {
        if (maxDetections < 1) throw new IllegalArgumentException("MeanAveragePrecision: maxDetections must be >= 1, got " + maxDetections);
        this.maxDetections = maxDetections;
    }

    /**
     * COCOeval's figures, each −1 where COCOeval gives −1 (no ground-truth box in its range):
     * mAP over IoU 0.50:0.95 ({@code stats[0]}, AP), AP at IoU 0.50 ({@code stats[1]}, AP50) and
     * 0.75 ({@code stats[2]}, AP75); each class's AP over 0.50:0.95 for every class seen in a
     * prediction or a ground truth (−1 for the classes without ground truth, which no mean
     * counts); mAP over 0.50:0.95 of small (area ≤ 32²), medium (32² to 96²) and large (≥ 96²)
     * boxes ({@code stats[3..5]}, AP_S, AP_M, AP_L); and the mean over IoU 0.50:0.95 and classes
     * of the recall with all kept detections ({@code stats[8]}, AR@100, at {@code maxDets}).
     * All but AP_S, AP_M and AP_L are in COCO's area range "all".
     */
    public record Result(double map, double map50, double map75, SortedMap<Integer, Double> perClass,
            double mapSmall, double mapMedium, double mapLarge, double mar100) {
        public Result {
            perClass = Collections.unmodifiableSortedMap(new TreeMap<>(perClass));
        }
    }

    /** Adds one image: what was predicted in it and its ground-truth boxes. */
    public void add(Detections predicted, Boxes truth) {
        this.predicted.add(Objects.requireNonNull(predicted, "predicted"));
        this.truth.add(Objects.requireNonNull(truth, "truth"));
    }

    /** The number of images added since construction or the last {@link #reset}. */
    public int images() {
        return truth.size();
    }

    /** Forgets every image. */
    public void reset() {
        predicted.clear();
        truth.clear();
    }

    /** The metric over every image added. */
    public Result compute() {
        TreeSet<Integer> classes = new TreeSet<>();
        for (Boxes b : truth) for (int l : b.labels()) classes.add(l);
        for (Detections d : predicted) for (int l : d.labels()) classes.add(l);
        int t = IOU_THRESHOLDS.length, r = RECALL_THRESHOLDS.length;
        SortedMap<Integer, Double> perClass = new TreeMap<>();
        double[] sum = new double[AREA_RANGES.length];
        int[] counted = new int[AREA_RANGES.length];
        double sum50 = 0, sum75 = 0, recallSum = 0;
        for (int c : classes) {
            Accumulation[] areas = new Accumulation[AREA_RANGES.length];
            for (int a = 0; a < areas.length; a++) areas[a] = new Accumulation();
            for (int i = 0; i < truth.size(); i++) evaluateImage(predicted.get(i), truth.get(i), c, areas);
            for (int a = 0; a < areas.length; a++) {
                Accumulation acc = areas[a];
                if (!acc.accumulate()) {
                    if (a == ALL) perClass.put(c, -1.0);
                    continue;
                }
                double classSum = 0;
                for (double[] row : acc.precision) for (double p : row) classSum += p;
                sum[a] += classSum;
                counted[a]++;
                if (a != ALL) continue;
                for (double p : acc.precision[T50]) sum50 += p;
                for (double p : acc.precision[T75]) sum75 += p;
                for (double rc : acc.recall) recallSum += rc;
                perClass.put(c, classSum / (t * r));
            }
        }
        double[] ap = new double[AREA_RANGES.length];
        for (int a = 0; a < ap.length; a++) ap[a] = counted[a] == 0 ? -1 : sum[a] / ((double) t * r * counted[a]);
        int n = counted[ALL];
        if (n == 0) return new Result(-1, -1, -1, perClass, ap[SMALL], ap[MEDIUM], ap[LARGE], -1);
        return new Result(ap[ALL], sum50 / ((double) r * n), sum75 / ((double) r * n), perClass, ap[SMALL], ap[MEDIUM], ap[LARGE],
                recallSum / ((double) t * n));
    }

    /**
     * One class in one area range, over all images: COCOeval.evaluateImg's output gathered (the
     * kept detections' scores, matches and ignore flags per threshold, in the order added, and
     * the number of ground truths not ignored), then COCOeval.accumulate's precision and recall.
     */
    private static final class Accumulation {
        final List<Double> scores = new ArrayList<>();
        final List<boolean[]> matched = new ArrayList<>(); // per detection, per threshold: matched to a ground truth
        final List<boolean[]> ignored = new ArrayList<>(); // per detection, per threshold: neither TP nor FP
        int npig; // COCOeval's npig: ground truths in the range
        double[][] precision; // [threshold][recall point]
        double[] recall; // [threshold]: the recall with every detection counted

        /** COCOeval.accumulate for this class and range; false (COCOeval's −1) without a ground truth in the range. */
        boolean accumulate() {
            if (npig == 0) return false;
            Integer[] order = new Integer[scores.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, (p, q) -> decreasing(scores.get(p), scores.get(q)));
            int nd = order.length;
            precision = new double[IOU_THRESHOLDS.length][RECALL_THRESHOLDS.length];
            recall = new double[IOU_THRESHOLDS.length];
            for (int k = 0; k < IOU_THRESHOLDS.length; k++) {
                double[] rc = new double[nd], pr = new double[nd];
                double tp = 0, fp = 0;
                for (int d = 0; d < nd; d++) {
                    int at = order[d];
                    if (!ignored.get(at)[k]) { // an ignored detection repeats the sums before it
                        if (matched.get(at)[k]) tp++;
                        else fp++;
                    }
                    rc[d] = tp / npig;
                    pr[d] = tp / (fp + tp + Math.ulp(1.0)); // np.spacing(1)
                }
                recall[k] = nd == 0 ? 0 : rc[nd - 1];
                for (int d = nd - 1; d > 0; d--) if (pr[d] > pr[d - 1]) pr[d - 1] = pr[d];
                for (int ri = 0; ri < RECALL_THRESHOLDS.length; ri++) {
                    int at = searchLeft(rc, RECALL_THRESHOLDS[ri]);
                    if (at >= nd) break; // COCOeval's IndexError: this and every later point stay 0
                    precision[k][ri] = pr[at];
                }
            }
            return true;
        }
    }

    /**
     * COCOeval.evaluateImg for one image and class, in every area range: appends the kept
     * detections' scores, per-threshold matches and ignore flags to each range's accumulation,
     * and counts its ground truths in the range.
     */
    private void evaluateImage(Detections dets, Boxes boxes, int c, Accumulation[] areas) {
        List<double[]> gt = new ArrayList<>();
        for (int g = 0; g < boxes.size(); g++) if (boxes.label(g) == c) gt.add(xywh(boxes.box(g)));
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < dets.size(); d++) if (dets.label(d) == c) kept.add(d);
        kept.sort((p, q) -> decreasing(dets.score(p), dets.score(q)));
        if (kept.size() > maxDetections) kept = kept.subList(0, maxDetections);
        int nd = kept.size(), ng = gt.size();
        double[][] dt = new double[nd][];
        double[][] ious = new double[nd][ng];
        for (int d = 0; d < nd; d++) {
            dt[d] = xywh(dets.box(kept.get(d)));
            for (int g = 0; g < ng; g++) ious[d][g] = bbIou(dt[d], gt.get(g));
        }
        for (int a = 0; a < areas.length; a++) {
            double lo = AREA_RANGES[a][0], hi = AREA_RANGES[a][1];
            boolean[] gtIgnore = new boolean[ng];
            int[] gtOrder = new int[ng]; // the ground truths in range first, each part in its given order
            int at = 0;
            for (int g = 0; g < ng; g++) {
                gtIgnore[g] = outside(area(gt.get(g)), lo, hi);
                if (!gtIgnore[g]) gtOrder[at++] = g;
            }
            areas[a].npig += at;
            for (int g = 0; g < ng; g++) if (gtIgnore[g]) gtOrder[at++] = g;
            boolean[][] matched = new boolean[nd][IOU_THRESHOLDS.length], ignored = new boolean[nd][IOU_THRESHOLDS.length];
            for (int k = 0; k < IOU_THRESHOLDS.length; k++) {
                boolean[] taken = new boolean[ng];
                for (int d = 0; d < nd; d++) {
                    double best = Math.min(IOU_THRESHOLDS[k], 1 - 1e-10);
                    int m = -1;
                    for (int g : gtOrder) {
                        if (taken[g]) continue;
                        if (m >= 0 && !gtIgnore[m] && gtIgnore[g]) break; // matched in range: no ignored box can take it
                        if (ious[d][g] < best) continue;
                        best = ious[d][g];
                        m = g;
                    }
                    if (m >= 0) {
                        taken[m] = true;
                        matched[d][k] = true;
                        ignored[d][k] = gtIgnore[m];
                    } else {
                        ignored[d][k] = outside(area(dt[d]), lo, hi);
                    }
                }
            }
            for (int d = 0; d < nd; d++) {
                areas[a].scores.add((double) dets.score(kept.get(d)));
                areas[a].matched.add(matched[d]);
                areas[a].ignored.add(ignored[d]);
            }
        }
    }

    /** COCO's area of an x, y, w, h box: w·h (loadRes sets it so for detections; the ground truth's {@code area} field is the same). */
    private static double area(double[] b) {
        return b[2] * b[3];
    }

    /** COCOeval's test {@code area < aRng[0] or area > aRng[1]}: both bounds belong to the range. */
    private static boolean outside(double area, double lo, double hi) {
        return area < lo || area > hi;
    }

    /** A float box {x1, y1, x2, y2} as COCO's double {x, y, w, h}. */
    private static double[] xywh(float[] b) {
        return new double[] {b[0], b[1], (double) b[2] - b[0], (double) b[3] - b[1]};
    }

    /** maskApi.c {@code bbIou} for one pair of x, y, w, h boxes (no crowd), in its order of operations. */
    private static double bbIou(double[] d, double[] g) {
        double w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
        if (w <= 0) return 0;
        double h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
        if (h <= 0) return 0;
        double i = w * h;
        return i / (d[2] * d[3] + g[2] * g[3] - i);
    }

    /** np.searchsorted(sorted, v, side="left"): the number of entries below v. */
    private static int searchLeft(double[] sorted, double v) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Order by decreasing score, equal scores (0 and −0 included) left for a stable sort. */
    private static int decreasing(double a, double b) {
        return a > b ? -1 : a < b ? 1 : 0;
    }

    /** numpy's linspace(start, stop, num) with endpoint: i·((stop − start)/(num − 1)) + start, the last exactly stop. */
    private static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] out = new double[num];
        for (int i = 0; i < num - 1; i++) out[i] = i * step + start;
        out[num - 1] = stop;
        return out;
    }
}
