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
 * COCOeval computes its area range "all" with {@code maxDets} detections per image (100 by
 * default, its {@code stats[0..2]}); no box is a crowd.
 *
 * <p>Images are {@link #add added} one at a time, then {@link #compute} follows COCOeval step by step:
 * <ol>
 *   <li>per image and class, the detections sorted by decreasing score (a stable sort, ties in
 *       the order given), the top {@code maxDets} kept, and the IoU of each with each ground-truth
 *       box computed in double as {@code maskApi.c bbIou} does from x, y, w, h;
 *   <li>for each IoU threshold t, detections in that order take the not yet matched ground-truth
 *       box of largest IoU ≥ min(t, 1 − 1e−10) (on equal IoUs the later box, since COCOeval's
 *       loop replaces its best match on ≥); unmatched detections are false positives;
 *   <li>per class, the detections of all images (in the order added) sorted stably by decreasing
 *       score ({@code np.argsort(-scores, kind="mergesort")}), cumulative TP and FP, recall =
 *       TP / #gt, precision = TP / (TP + FP + 2⁻⁵²), precision made non-increasing from the right,
 *       and sampled at the 101 recall points {@code np.linspace(0, 1, 101)} by
 *       {@code np.searchsorted(recall, r, side="left")}: the first detection whose recall reaches r,
 *       or 0 when no detection does;
 *   <li>a class's AP is the mean of its 10 × 101 samples; mAP is the mean over the classes that
 *       have at least one ground-truth box (a class with detections only has no AP, reported as
 *       −1 like COCOeval; so are all three figures when no image has a ground-truth box).
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
     * mAP over IoU 0.50:0.95 ({@code stats[0]}), AP at IoU 0.50 ({@code stats[1]}) and 0.75
     * ({@code stats[2]}), and each class's AP over 0.50:0.95 for every class seen in a prediction
     * or a ground truth (−1 for the classes without ground truth, which no mean counts).
     */
    public record Result(double map, double map50, double map75, SortedMap<Integer, Double> perClass) {
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
        double sum = 0, sum50 = 0, sum75 = 0;
        int counted = 0;
        for (int c : classes) {
            double[][] precision = precision(c);
            if (precision == null) {
                perClass.put(c, -1.0);
                continue;
            }
            double classSum = 0;
            for (double[] row : precision) for (double p : row) classSum += p;
            for (double p : precision[T50]) sum50 += p;
            for (double p : precision[T75]) sum75 += p;
            sum += classSum;
            counted++;
            perClass.put(c, classSum / (t * r));
        }
        if (counted == 0) return new Result(-1, -1, -1, perClass);
        return new Result(sum / ((double) t * r * counted), sum50 / ((double) r * counted), sum75 / ((double) r * counted), perClass);
    }

    /** COCOeval.accumulate for one class: precision [threshold][recall point], or null without ground truth. */
    private double[][] precision(int c) {
        List<Double> scores = new ArrayList<>();
        List<boolean[]> matches = new ArrayList<>(); // per detection: matched at each threshold
        int gts = 0;
        for (int i = 0; i < truth.size(); i++) {
            gts += evaluateImage(predicted.get(i), truth.get(i), c, scores, matches);
        }
        if (gts == 0) return null;
        Integer[] order = new Integer[scores.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> decreasing(scores.get(p), scores.get(q)));
        double[][] precision = new double[IOU_THRESHOLDS.length][RECALL_THRESHOLDS.length];
        int nd = order.length;
        for (int k = 0; k < IOU_THRESHOLDS.length; k++) {
            double[] recall = new double[nd], pr = new double[nd];
            double tp = 0, fp = 0;
            for (int d = 0; d < nd; d++) {
                if (matches.get(order[d])[k]) tp++;
                else fp++;
                recall[d] = tp / gts;
                pr[d] = tp / (fp + tp + Math.ulp(1.0)); // np.spacing(1)
            }
            for (int d = nd - 1; d > 0; d--) if (pr[d] > pr[d - 1]) pr[d - 1] = pr[d];
            for (int ri = 0; ri < RECALL_THRESHOLDS.length; ri++) {
                int at = searchLeft(recall, RECALL_THRESHOLDS[ri]);
                if (at >= nd) break; // COCOeval's IndexError: this and every later point stay 0
                precision[k][ri] = pr[at];
            }
        }
        return precision;
    }

    /**
     * COCOeval.evaluateImg for one image and class: appends the kept detections' scores and
     * per-threshold matches to {@code scores} and {@code matches}, and returns the number of
     * ground-truth boxes.
     */
    private int evaluateImage(Detections dets, Boxes boxes, int c, List<Double> scores, List<boolean[]> matches) {
        List<double[]> gt = new ArrayList<>();
        for (int g = 0; g < boxes.size(); g++) if (boxes.label(g) == c) gt.add(xywh(boxes.box(g)));
        List<Integer> dt = new ArrayList<>();
        for (int d = 0; d < dets.size(); d++) if (dets.label(d) == c) dt.add(d);
        dt.sort((p, q) -> decreasing(dets.score(p), dets.score(q)));
        if (dt.size() > maxDetections) dt = dt.subList(0, maxDetections);
        double[][] ious = new double[dt.size()][gt.size()];
        for (int d = 0; d < dt.size(); d++) {
            double[] box = xywh(dets.box(dt.get(d)));
            for (int g = 0; g < gt.size(); g++) ious[d][g] = bbIou(box, gt.get(g));
        }
        boolean[][] matched = new boolean[dt.size()][IOU_THRESHOLDS.length];
        for (int k = 0; k < IOU_THRESHOLDS.length; k++) {
            boolean[] taken = new boolean[gt.size()];
            for (int d = 0; d < dt.size(); d++) {
                double best = Math.min(IOU_THRESHOLDS[k], 1 - 1e-10);
                int m = -1;
                for (int g = 0; g < gt.size(); g++) {
                    if (taken[g] || ious[d][g] < best) continue;
                    best = ious[d][g];
                    m = g;
                }
                if (m >= 0) {
                    taken[m] = true;
                    matched[d][k] = true;
                }
            }
        }
        for (int d = 0; d < dt.size(); d++) {
            scores.add((double) dets.score(dt.get(d)));
            matches.add(matched[d]);
        }
        return gt.size();
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
