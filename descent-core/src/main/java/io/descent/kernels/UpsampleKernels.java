package io.descent.kernels;

/**
 * Nearest and bilinear resampling of the planes of an NCHW array, and their adjoints
 * (scatter-add backward). Source positions are precomputed per axis with PyTorch's index
 * rules ({@code nearest_idx}; {@code area_pixel_compute_source_index} and
 * {@code compute_source_index_and_lambda}), in float like PyTorch's float kernels. Planes are
 * split over {@link Parallel} workers; each plane belongs to one worker, so results do not
 * depend on the thread count. Plain loops: the reads are gathers, a poor fit for the Vector API.
 */
public final class UpsampleKernels {
    private UpsampleKernels() {}

    /**
     * Per-axis linear interpolation: output i reads inputs {@code i0[i]} and {@code i1[i]}
     * with weights {@code l0[i]} and {@code l1[i]}.
     */
    public record LinearAxis(int[] i0, int[] i1, float[] l0, float[] l1) {
        public int out() {
            return i0.length;
        }
    }

    /**
     * PyTorch's nearest source index: identity when sizes match, {@code i/2} when the output
     * is twice the input, else {@code min(floor(i·scale), in − 1)} with {@code scale} the
     * source pixels per output pixel ({@code in/out}, or 1/scale_factor when one was given).
     */
    public static int[] nearestIndex(int in, int out, float scale) {
        int[] src = new int[out];
        for (int i = 0; i < out; i++) {
            if (out == in) src[i] = i;
            else if (out == 2 * in) src[i] = i >> 1;
            else src[i] = Math.min((int) Math.floor(i * scale), in - 1);
        }
        return src;
    }

    /**
     * PyTorch's linear source positions: with align_corners {@code src = i·scale} (scale
     * {@code (in−1)/(out−1)}), else {@code max(scale·(i + 0.5) − 0.5, 0)}; then
     * {@code i0 = floor(src)}, {@code i1 = min(i0 + 1, in − 1)}, {@code l1 = src − i0},
     * {@code l0 = 1 − l1}. Equal sizes copy.
     */
    public static LinearAxis linearAxis(int in, int out, boolean alignCorners, float scale) {
        int[] i0 = new int[out], i1 = new int[out];
        float[] l0 = new float[out], l1 = new float[out];
        for (int i = 0; i < out; i++) {
            if (out == in) {
                i0[i] = i;
                i1[i] = i;
                l0[i] = 1f;
                continue;
            }
            float src = alignCorners ? scale * i : Math.max(scale * (i + 0.5f) - 0.5f, 0f);
            int a = (int) src;
            i0[i] = a;
            i1[i] = a < in - 1 ? a + 1 : a;
            l1[i] = Math.min(Math.max(src - a, 0f), 1f);
            l0[i] = 1f - l1[i];
        }
        return new LinearAxis(i0, i1, l0, l1);
    }

    /** {@code y[pl, i, j] = x[pl, sy[i], sx[j]]}. */
    public static void nearestForward(int planes, int h, int w, int[] sy, int[] sx, float[] x, float[] y) {
        int oh = sy.length, ow = sx.length;
        Parallel.forRange(planes, grain(oh * ow), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * h * w, o = pl * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int row = xo + sy[i] * w;
                    for (int j = 0; j < ow; j++) y[o++] = x[row + sx[j]];
                }
            }
        });
    }

    /** {@code dx[pl, sy[i], sx[j]] += dy[pl, i, j]} (dx initialised by the caller). */
    public static void nearestBackward(int planes, int h, int w, int[] sy, int[] sx, float[] dy, float[] dx) {
        int oh = sy.length, ow = sx.length;
        Parallel.forRange(planes, grain(oh * ow), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * h * w, o = pl * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int row = xo + sy[i] * w;
                    for (int j = 0; j < ow; j++) dx[row + sx[j]] += dy[o++];
                }
            }
        });
    }

    /** {@code y = l0y·(l0x·x00 + l1x·x01) + l1y·(l0x·x10 + l1x·x11)} (PyTorch's nesting order). */
    public static void bilinearForward(int planes, int h, int w, LinearAxis ay, LinearAxis ax, float[] x, float[] y) {
        int oh = ay.out(), ow = ax.out();
        Parallel.forRange(planes, grain(4 * oh * ow), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * h * w, o = pl * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = xo + ay.i0()[i] * w, r1 = xo + ay.i1()[i] * w;
                    float wy0 = ay.l0()[i], wy1 = ay.l1()[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = ax.i0()[j], c1 = ax.i1()[j];
                        float wx0 = ax.l0()[j], wx1 = ax.l1()[j];
                        y[o++] = wy0 * (wx0 * x[r0 + c0] + wx1 * x[r0 + c1]) + wy1 * (wx0 * x[r1 + c0] + wx1 * x[r1 + c1]);
                    }
                }
            }
        });
    }

    /** The adjoint of {@link #bilinearForward}: each dy spreads onto its four sources (dx initialised by the caller). */
    public static void bilinearBackward(int planes, int h, int w, LinearAxis ay, LinearAxis ax, float[] dy, float[] dx) {
        int oh = ay.out(), ow = ax.out();
        Parallel.forRange(planes, grain(4 * oh * ow), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int xo = pl * h * w, o = pl * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = xo + ay.i0()[i] * w, r1 = xo + ay.i1()[i] * w;
                    float wy0 = ay.l0()[i], wy1 = ay.l1()[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = ax.i0()[j], c1 = ax.i1()[j];
                        float wx0 = ax.l0()[j], wx1 = ax.l1()[j], g = dy[o++];
                        dx[r0 + c0] += wy0 * wx0 * g;
                        dx[r0 + c1] += wy0 * wx1 * g;
                        dx[r1 + c0] += wy1 * wx0 * g;
                        dx[r1 + c1] += wy1 * wx1 * g;
                    }
                }
            }
        });
    }

    private static int grain(int workPerPlane) {
        return Math.max(1, 16384 / Math.max(1, workPerPlane));
    }
}
