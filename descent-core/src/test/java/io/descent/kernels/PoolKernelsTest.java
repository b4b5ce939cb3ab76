package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The straight-line 2×2 stride-2 max-pool against a naive loop: values, argmax ties, NaN. */
class PoolKernelsTest {
    @Test
    void pairsPathMatchesTheNaiveDefinition() {
        int planes = 3, h = 6, w = 8, oh = 3, ow = 4;
        Rng r = new Rng(4);
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4); // many ties
        x[5] = Float.NaN;
        x[17] = Float.NEGATIVE_INFINITY;
        PoolAxis ay = PoolAxis.max(h, 2, 2, 0, 1, oh), ax = PoolAxis.max(w, 2, 2, 0, 1, ow);
        assertTrue(PoolKernels.isPairs(ay) && PoolKernels.isPairs(ax));
        float[] y = new float[planes * oh * ow];
        int[] idx = new int[y.length];
        PoolKernels.maxForward(planes, ay, ax, x, y, idx);
        float[] ey = new float[y.length];
        int[] eidx = new int[y.length];
        for (int p = 0, o = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    float m = Float.NEGATIVE_INFINITY;
                    int b = 2 * i * w + 2 * j;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            int k = (2 * i + di) * w + 2 * j + dj;
                            float v = x[p * h * w + k];
                            if (v > m || Float.isNaN(v)) {
                                m = v;
                                b = k;
                            }
                        }
                    }
                    ey[o] = m;
                    eidx[o] = b;
                }
            }
        }
        assertArrayEquals(ey, y);
        assertArrayEquals(eidx, idx);
    }

    @Test
    void vectorPairsPathEqualsItsScalarTwinOnNarrowWideAndOddRows() {
        Rng r = new Rng(9);
        for (int w : new int[] {2, 3, 8, 14, 15, 28, 31, 32, 33, 64, 70}) {
            for (int h : new int[] {2, 5, 6}) {
                int planes = 3, oh = h / 2, ow = w / 2;
                float[] x = new float[planes * h * w];
                for (int i = 0; i < x.length; i++) x[i] = r.nextInt(5) - 2; // many ties
                x[r.nextInt(x.length)] = Float.NaN;
                x[r.nextInt(x.length)] = Float.NaN;
                x[r.nextInt(x.length)] = Float.NEGATIVE_INFINITY;
                PoolAxis ay = PoolAxis.max(h, 2, 2, 0, 1, oh), ax = PoolAxis.max(w, 2, 2, 0, 1, ow);
                float[] y = new float[planes * oh * ow], ys = new float[y.length];
                int[] idx = new int[y.length], idxs = new int[y.length];
                PoolKernels.maxForward2x2(planes, ay, ax, x, y, idx);
                PoolKernels.maxForward2x2Scalar(planes, ay, ax, x, ys, idxs);
                assertArrayEquals(ys, y, "values h=" + h + " w=" + w);
                assertArrayEquals(idxs, idx, "positions h=" + h + " w=" + w);
                float[] yn = new float[y.length], ysn = new float[y.length]; // no positions wanted (inference)
                PoolKernels.maxForward2x2(planes, ay, ax, x, yn, null);
                PoolKernels.maxForward2x2Scalar(planes, ay, ax, x, ysn, null);
                assertArrayEquals(y, yn, "values without positions h=" + h + " w=" + w);
                assertArrayEquals(y, ysn, "scalar values without positions h=" + h + " w=" + w);
            }
        }
    }

    @Test
    void stride2VectorPathEqualsTheScalarLoop() {
        Rng r = new Rng(11);
        // {kernel, stride, padding, dilation, ceil}: resnet's 3x3/2/1 stem pool, odd kernels, clipped and dilated windows
        int[][] geometries = {{3, 2, 1, 1, 0}, {3, 2, 0, 1, 0}, {2, 2, 1, 1, 0}, {4, 2, 1, 1, 1}, {3, 2, 1, 2, 0}, {3, 1, 1, 1, 0}, {5, 2, 2, 1, 1}};
        for (int[] geo : geometries) {
            for (int w : new int[] {7, 33, 40, 70, 112}) {
                int h = 9, planes = 3, k = geo[0], s = geo[1], p = geo[2], d = geo[3];
                int oh = out(h, k, s, p, d, geo[4] == 1), ow = out(w, k, s, p, d, geo[4] == 1);
                float[] x = new float[planes * h * w];
                for (int i = 0; i < x.length; i++) x[i] = r.nextInt(7) - 3; // many ties
                for (int n = 0; n < 4; n++) x[r.nextInt(x.length)] = Float.NaN;
                x[r.nextInt(x.length)] = Float.NEGATIVE_INFINITY;
                PoolAxis ay = PoolAxis.max(h, k, s, p, d, oh), ax = PoolAxis.max(w, k, s, p, d, ow);
                float[] y = new float[planes * oh * ow], ys = new float[y.length];
                int[] idx = new int[y.length], idxs = new int[y.length];
                PoolKernels.maxForward(planes, ay, ax, x, y, idx);
                PoolKernels.maxForwardScalar(planes, ay, ax, x, ys, idxs);
                String what = java.util.Arrays.toString(geo) + " w=" + w;
                assertArrayEquals(ys, y, "values " + what);
                assertArrayEquals(idxs, idx, "positions " + what);
                float[] yn = new float[y.length], ysn = new float[y.length]; // no positions wanted (inference)
                PoolKernels.maxForward(planes, ay, ax, x, yn, null);
                PoolKernels.maxForwardScalar(planes, ay, ax, x, ysn, null);
                assertArrayEquals(y, yn, "values without positions " + what);
                assertArrayEquals(y, ysn, "scalar values without positions " + what);
            }
        }
    }

    /** PyTorch's pooling output size. */
    private static int out(int size, int k, int s, int p, int d, boolean ceil) {
        int span = size + 2 * p - d * (k - 1) - 1;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        return o;
    }
}
