package io.descent.detect;

import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Boxes out of a {@link io.descent.models.CenterNet}'s maps (Zhou et al., 2019, §4, and its
 * {@code ctdet_decode}): a heatmap location is a detection when its probability is the maximum
 * of its 3×3 neighbourhood (the max-pool that replaces NMS); the {@code topK} strongest over
 * all classes are kept, each with the box of its cell's size and offset:
 * <pre>  centre = (x + ôx, y + ôy),  box = (centre ∓ ŝ/2) · R,  clipped to the image</pre>
 * with R the input's pixels per cell on each axis. Detections scoring under {@code minScore}
 * are dropped (0 keeps all top K, as COCO evaluation wants). Equal scores are taken in
 * (class, y, x) order, so the result is deterministic.
 */
public record CenterNetDecoder(int topK, float minScore) {
    public CenterNetDecoder {
        if (topK < 1) throw new IllegalArgumentException("CenterNetDecoder: topK must be >= 1, got " + topK);
        if (!(minScore >= 0 && minScore <= 1)) throw new IllegalArgumentException("CenterNetDecoder: minScore must be in [0, 1], got " + minScore);
    }

    /** CenterNet's evaluation setting: the 100 strongest peaks, whatever their score. */
    public CenterNetDecoder() {
        this(100, 0f);
    }

    /**
     * The detections of each image of {@code output} [N, C + 4, H, W] (logits, sizes, offsets),
     * in the pixels of input images {@code imageHeight × imageWidth}.
     */
    public List<Detections> decode(Tensor output, int classes, int imageHeight, int imageWidth) {
        int[] s = output.shape();
        if (s.length != 4 || s[1] != classes + 4) {
            throw new IllegalArgumentException("CenterNetDecoder: expects [N, " + classes + " + 4, H, W] for " + classes + " classes, got " + Shape.str(s));
        }
        int n = s[0], h = s[2], w = s[3], plane = h * w;
        float rx = imageWidth / (float) w, ry = imageHeight / (float) h;
        float[] o = output.data();
        List<Detections> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int base = i * (classes + 4) * plane;
            // peaks: candidates (score, flat index over C×H×W)
            long[] peaks = new long[classes * plane];
            int count = 0;
            for (int c = 0; c < classes; c++) {
                int p0 = base + c * plane;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float v = o[p0 + y * w + x];
                        if (isPeak(o, p0, h, w, x, y, v)) {
                            float score = sigmoid(v);
                            if (score < minScore) continue;
                            // sort key: score descending, then index ascending (scores are >= 0: their bits order as the floats do)
                            peaks[count++] = ((long) ~Float.floatToIntBits(score) << 32) | (c * plane + y * w + x);
                        }
                    }
                }
            }
            Arrays.sort(peaks, 0, count);
            int k = Math.min(topK, count);
            float[] xyxy = new float[4 * k], scores = new float[k];
            int[] labels = new int[k];
            for (int j = 0; j < k; j++) {
                int flat = (int) peaks[j];
                int c = flat / plane, at = flat % plane, y = at / w, x = at % w;
                scores[j] = Float.intBitsToFloat(~(int) (peaks[j] >>> 32));
                labels[j] = c;
                float bw = o[base + classes * plane + at], bh = o[base + (classes + 1) * plane + at];
                float cx = x + o[base + (classes + 2) * plane + at], cy = y + o[base + (classes + 3) * plane + at];
                xyxy[4 * j] = clip((cx - bw / 2) * rx, imageWidth);
                xyxy[4 * j + 1] = clip((cy - bh / 2) * ry, imageHeight);
                xyxy[4 * j + 2] = Math.max(xyxy[4 * j], clip((cx + bw / 2) * rx, imageWidth));
                xyxy[4 * j + 3] = Math.max(xyxy[4 * j + 1], clip((cy + bh / 2) * ry, imageHeight));
            }
            out.add(new Detections(xyxy, scores, labels));
        }
        return out;
    }

    /** Whether logit {@code v} at (x, y) is the maximum of its 3×3 neighbourhood (sigmoid keeps the order). */
    private static boolean isPeak(float[] o, int p0, int h, int w, int x, int y, float v) {
        for (int dy = Math.max(0, y - 1); dy <= Math.min(h - 1, y + 1); dy++) {
            for (int dx = Math.max(0, x - 1); dx <= Math.min(w - 1, x + 1); dx++) {
                if (o[p0 + dy * w + dx] > v) return false;
            }
        }
        return true;
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }

    private static float clip(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
