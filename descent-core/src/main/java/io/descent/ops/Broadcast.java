package io.descent.ops;

import io.descent.tensor.Shape;
import java.util.Arrays;

/** Broadcasting helpers: expand an array to a larger shape, and sum a gradient back down. */
public final class Broadcast {
    private Broadcast() {}

    /** {@code src} (of {@code srcShape}) repeated to fill {@code outShape}; no copy when shapes are equal. */
    public static float[] expand(float[] src, int[] srcShape, int[] outShape) {
        if (Arrays.equals(srcShape, outShape)) return src;
        int r = outShape.length;
        int[] st = alignedStrides(srcShape, r);
        int n = Shape.numel(outShape);
        float[] out = new float[n];
        if (n == 0) return out;
        int last = outShape[r - 1];
        int lastStride = st[r - 1];
        int[] idx = new int[r];
        for (int o = 0; o < n; o += last) {
            int s = 0;
            for (int d = 0; d < r - 1; d++) s += idx[d] * st[d];
            if (lastStride == 0) Arrays.fill(out, o, o + last, src[s]);
            else System.arraycopy(src, s, out, o, last);
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < outShape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Sums {@code g} (of {@code gShape}) over the broadcast dimensions down to {@code target}. */
    public static float[] sumTo(float[] g, int[] gShape, int[] target) {
        if (Arrays.equals(gShape, target)) return g;
        int r = gShape.length;
        int[] st = alignedStrides(target, r);
        float[] out = new float[Shape.numel(target)];
        int n = g.length;
        if (n == 0) return out;
        int last = gShape[r - 1];
        int lastStride = st[r - 1];
        int[] idx = new int[r];
        for (int o = 0; o < n; o += last) {
            int s = 0;
            for (int d = 0; d < r - 1; d++) s += idx[d] * st[d];
            if (lastStride == 0) {
                float acc = 0;
                for (int j = 0; j < last; j++) acc += g[o + j];
                out[s] += acc;
            } else {
                for (int j = 0; j < last; j++) out[s + j] += g[o + j];
            }
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < gShape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Strides of {@code shape} right-aligned to rank {@code r}, 0 on broadcast dimensions. */
    private static int[] alignedStrides(int[] shape, int r) {
        int[] own = Shape.strides(shape);
        int[] st = new int[r];
        int pad = r - shape.length;
        for (int d = 0; d < shape.length; d++) st[pad + d] = shape[d] == 1 ? 0 : own[d];
        return st;
    }
}
