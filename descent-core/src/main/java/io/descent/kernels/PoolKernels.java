package io.descent.kernels;

/**
 * Max and average pooling over the planes ([N·C] of them, each {@code ay.size() × ax.size()})
 * of an NCHW array, windows given per axis by {@link PoolAxis}. Planes are split over
 * {@link Parallel} workers; each plane's outputs (and, backward, its input gradient) belong
 * to one worker, so results do not depend on the thread count.
 *
 * <p>Plain scalar loops, but for the common 2×2 stride-2 max-pool ({@link PoolVectors}):
 * pooling windows are a few pixels wide and, at stride ≥ 2 in NCHW, lane-strided.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /** Whether every window of the axis is the pair (2i, 2i+1): kernel 2, stride 2, no padding or dilation. */
    static boolean isPairs(PoolAxis a) {
        if (a.step() != 1) return false;
        for (int i = 0; i < a.out(); i++) if (a.start()[i] != 2 * i || a.end()[i] != 2 * i + 2) return false;
        return true;
    }

    /**
     * The common 2×2 stride-2 max-pool, vectorized along each output row (a quarter of a small
     * CNN's time once went to the general loop, whose data-dependent branches mispredict half
     * the time). The even and odd columns of the two input rows are split out with two-vector
     * permutes, then three compare-and-blend steps keep the maximum and its position. Same result
     * and tie/NaN rule as the general path: the first maximum in row-major window order wins, and
     * a NaN wins and stays (PyTorch's {@code (val > max) || isnan(val)}, so the last NaN). Rows
     * narrower than a vector use a masked part of one. Scalar twin: {@link #maxForward2x2Scalar}.
     */
    static void maxForward2x2(int planes, PoolAxis ay, PoolAxis ax, float[] x, float[] y, int[] idx) {
        int w = ax.size(), inPlane = ay.size() * w, oh = ay.out(), ow = ax.out(), outPlane = oh * ow;
        Parallel.forRange(planes, grain(outPlane, ay, ax), (from, to) -> {
            PoolVectors.Spare spare = new PoolVectors.Spare();
            for (int pl = from; pl < to; pl++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j += PoolVectors.L) {
                        PoolVectors.max2x2(x, pl * inPlane, 2 * i * w, w, j, Math.min(PoolVectors.L, ow - j), y, idx, pl * outPlane + i * ow + j, spare);
                    }
                }
            }
        });
    }

    /** The scalar twin of {@link #maxForward2x2}: straight-line code, one window at a time. */
    static void maxForward2x2Scalar(int planes, PoolAxis ay, PoolAxis ax, float[] x, float[] y, int[] idx) {
        int w = ax.size(), inPlane = ay.size() * w, oh = ay.out(), ow = ax.out(), outPlane = oh * ow;
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * inPlane, o = pl * outPlane;
            for (int i = 0; i < oh; i++) {
                int r0 = 2 * i * w;
                for (int j = 0; j < ow; j++, o++) {
                    int c = r0 + 2 * j;
                    float m = x[xo + c], v;
                    int bi = c;
                    v = x[xo + c + 1];
                    if (v > m || v != v) { m = v; bi = c + 1; }
                    v = x[xo + c + w];
                    if (v > m || v != v) { m = v; bi = c + w; }
                    v = x[xo + c + w + 1];
                    if (v > m || v != v) { m = v; bi = c + w + 1; }
                    y[o] = m;
                    if (idx != null) idx[o] = bi;
                }
            }
        }
    }

    /**
     * {@code y = max over each window}, and {@code idx} the flat position (in its plane) of
     * the maximum, unless it is null (inference: nothing will read the positions). Ties keep the
     * first; a NaN wins and stays, as PyTorch's {@code (val > max) || isnan(val)}.
     */
    public static void maxForward(int planes, PoolAxis ay, PoolAxis ax, float[] x, float[] y, int[] idx) {
        if (isPairs(ay) && isPairs(ax)) {
            maxForward2x2(planes, ay, ax, x, y, idx);
            return;
        }
        int w = ax.size(), inPlane = ay.size() * w, oh = ay.out(), ow = ax.out(), outPlane = oh * ow;
        int kw = maxCount(ax), lo = firstFull(ax, kw), hi = stride2End(ax, kw, lo);
        int vecEnd = ax.step() == 1 ? lo + (hi - lo) / PoolVectors.L * PoolVectors.L : lo; // dilated windows: scalar only
        Parallel.forRange(planes, grain(outPlane, ay, ax), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inPlane;
                for (int i = 0; i < oh; i++) {
                    int o = pl * outPlane + i * ow, ys = ay.start()[i], ye = ay.end()[i];
                    int j = 0;
                    for (; j < lo; j++) maxWindow(x, xo, w, ay, i, ax, j, y, idx, o + j);
                    for (; j < vecEnd; j += PoolVectors.L) {
                        int c0 = ax.start()[j];
                        if (ys >= ye || xo + (ye - 1) * w + c0 + kw - 1 + 2 * PoolVectors.L > x.length) break; // last loads past the array
                        PoolVectors.maxStride2(x, xo, w, ys, ye, ay.step(), c0, kw, y, idx, o + j);
                    }
                    for (; j < ow; j++) maxWindow(x, xo, w, ay, i, ax, j, y, idx, o + j);
                }
            }
        });
    }

    /** The scalar twin of {@link #maxForward}: every window by {@link #maxWindow}. */
    static void maxForwardScalar(int planes, PoolAxis ay, PoolAxis ax, float[] x, float[] y, int[] idx) {
        int w = ax.size(), inPlane = ay.size() * w, oh = ay.out(), ow = ax.out(), outPlane = oh * ow;
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) maxWindow(x, pl * inPlane, w, ay, i, ax, j, y, idx, pl * outPlane + i * ow + j);
            }
        }
    }

    /** Output (i, j) of the plane at {@code x[xo]}: its window's maximum and plane-relative position, in row-major window order. */
    private static void maxWindow(float[] x, int xo, int w, PoolAxis ay, int i, PoolAxis ax, int j, float[] y, int[] idx, int o) {
        int ys = ay.start()[i], ye = ay.end()[i], xs = ax.start()[j], xe = ax.end()[j];
        int best = ys * w + xs;
        float max = Float.NEGATIVE_INFINITY;
        for (int iy = ys; iy < ye; iy += ay.step()) {
            for (int ix = xs; ix < xe; ix += ax.step()) {
                float v = x[xo + iy * w + ix];
                if (v > max || Float.isNaN(v)) {
                    max = v;
                    best = iy * w + ix;
                }
            }
        }
        y[o] = max;
        if (idx != null) idx[o] = best;
    }

    /** The first output whose window along the axis has all {@code kw} taps (ow when none). */
    private static int firstFull(PoolAxis a, int kw) {
        int j = 0;
        while (j < a.out() && a.count()[j] != kw) j++;
        return j;
    }

    /**
     * The end of the run of outputs from {@code lo} whose windows are full and start 2 apart
     * (stride 2: the windows the vector path {@link PoolVectors#maxStride2} handles).
     */
    private static int stride2End(PoolAxis a, int kw, int lo) {
        int j = lo;
        while (j < a.out() && a.count()[j] == kw && (j == lo || a.start()[j] - a.start()[j - 1] == 2)) j++;
        return j;
    }

    /** {@code dx[plane, idx] += dy} over zeros: dx is overwritten (each plane zeroed while in cache, then scattered into). */
    public static void maxBackward(int planes, int inPlane, int outPlane, float[] dy, int[] idx, float[] dx) {
        scatter(planes, inPlane, outPlane, dy, idx, null, dx);
    }

    /**
     * {@link #maxBackward} through the ReLU before the pool: an output's gradient reaches its
     * argmax only where the pooled value is positive, which is where the ReLU let it through
     * (the pooled value is the ReLU's output at the argmax). Same values as the scatter followed
     * by the ReLU's mask, in one pass over dx instead of three.
     */
    public static void maxBackwardThroughRelu(int planes, int inPlane, int outPlane, float[] dy, int[] idx, float[] pooled, float[] dx) {
        scatter(planes, inPlane, outPlane, dy, idx, pooled, dx);
    }

    /** The scatter of both: only outputs whose {@code pooled} value is positive when it is not null. */
    private static void scatter(int planes, int inPlane, int outPlane, float[] dy, int[] idx, float[] pooled, float[] dx) {
        Parallel.forRange(planes, Math.max(1, 16384 / Math.max(1, outPlane)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inPlane;
                java.util.Arrays.fill(dx, xo, xo + inPlane, 0f);
                for (int o = pl * outPlane, e = o + outPlane; o < e; o++) {
                    if (pooled == null || pooled[o] > 0f) dx[xo + idx[o]] += dy[o];
                }
            }
        });
    }

    /** {@code y = Σ window / (count_y · count_x)}; an empty window gives 0. */
    public static void avgForward(int planes, PoolAxis ay, PoolAxis ax, float[] x, float[] y) {
        int w = ax.size(), inPlane = ay.size() * w, oh = ay.out(), ow = ax.out(), outPlane = oh * ow;
        Parallel.forRange(planes, grain(outPlane, ay, ax), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inPlane, o = pl * outPlane;
                for (int i = 0; i < oh; i++) {
                    int ys = ay.start()[i], ye = ay.end()[i];
                    for (int j = 0; j < ow; j++, o++) {
                        int xs = ax.start()[j], xe = ax.end()[j];
                        if (ys >= ye || xs >= xe) {
                            y[o] = 0f;
                            continue;
                        }
                        float sum = 0f;
                        for (int iy = ys; iy < ye; iy++) {
                            for (int ix = xo + iy * w + xs, e = xo + iy * w + xe; ix < e; ix++) sum += x[ix];
                        }
                        y[o] = sum / (ay.count()[i] * ax.count()[j]);
                    }
                }
            }
        });
    }

    /** {@code dx[window] += dy / (count_y · count_x)} for every window, over zeros: dx is overwritten. */
    public static void avgBackward(int planes, PoolAxis ay, PoolAxis ax, float[] dy, float[] dx) {
        int w = ax.size(), inPlane = ay.size() * w, oh = ay.out(), ow = ax.out(), outPlane = oh * ow;
        Parallel.forRange(planes, grain(outPlane, ay, ax), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * inPlane, o = pl * outPlane;
                java.util.Arrays.fill(dx, xo, xo + inPlane, 0f);
                for (int i = 0; i < oh; i++) {
                    int ys = ay.start()[i], ye = ay.end()[i];
                    for (int j = 0; j < ow; j++, o++) {
                        int xs = ax.start()[j], xe = ax.end()[j];
                        if (ys >= ye || xs >= xe) continue;
                        float g = dy[o] / (ay.count()[i] * ax.count()[j]);
                        for (int iy = ys; iy < ye; iy++) {
                            for (int ix = xo + iy * w + xs, e = xo + iy * w + xe; ix < e; ix++) dx[ix] += g;
                        }
                    }
                }
            }
        });
    }

    /** Planes per parallel chunk so that each chunk does some 16k window reads. */
    private static int grain(int outPlane, PoolAxis ay, PoolAxis ax) {
        long window = (long) Math.max(1, maxCount(ay)) * Math.max(1, maxCount(ax));
        return (int) Math.max(1, 16384 / Math.max(1, outPlane * window));
    }

    private static int maxCount(PoolAxis a) {
        int m = 0;
        for (int c : a.count()) m = Math.max(m, c);
        return m;
    }
}
