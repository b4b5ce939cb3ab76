package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.UpsampleKernels;
import io.descent.kernels.UpsampleKernels.LinearAxis;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * Spatial upsampling (or downsampling) of [N, C, H, W] input as PyTorch's
 * {@code F.interpolate(mode='nearest' | 'bilinear')}. Given a size, the source step is
 * in/out; given a scale factor, the output size is {@code floor(in·factor)} and the source step
 * is 1/factor (PyTorch passes the factor down when {@code recompute_scale_factor} is not set),
 * which differs from in/out when in·factor is not an integer. Both are linear maps of x;
 * backward applies the adjoint (scatter-add), saving nothing but the index tables.
 */
public final class Upsample {
    private Upsample() {}

    /** Mode 'nearest' to {@code outH × outW}: source {@code floor(dst·in/out)}. */
    public static Tensor nearest(Tensor x, int outH, int outW) {
        int[] xs = check("upsample_nearest2d", x, outH, outW);
        return nearest(x, xs, outH, outW, (float) xs[2] / outH, (float) xs[3] / outW);
    }

    /** Mode 'nearest' by {@code scaleFactor} on both axes (output {@code floor(in·factor)}). */
    public static Tensor nearest(Tensor x, double scaleFactor) {
        int[] xs = x.shape();
        int oh = scaled("upsample_nearest2d", x, 2, scaleFactor), ow = scaled("upsample_nearest2d", x, 3, scaleFactor);
        check("upsample_nearest2d", x, oh, ow);
        return nearest(x, xs, oh, ow, (float) (1.0 / scaleFactor), (float) (1.0 / scaleFactor));
    }

    /** Mode 'bilinear' to {@code outH × outW}. */
    public static Tensor bilinear(Tensor x, int outH, int outW, boolean alignCorners) {
        int[] xs = check("upsample_bilinear2d", x, outH, outW);
        return bilinear(x, xs, outH, outW, alignCorners, (float) xs[2] / outH, (float) xs[3] / outW);
    }

    /** Mode 'bilinear' by {@code scaleFactor} on both axes (align_corners ignores the factor, as PyTorch). */
    public static Tensor bilinear(Tensor x, double scaleFactor, boolean alignCorners) {
        int[] xs = x.shape();
        int oh = scaled("upsample_bilinear2d", x, 2, scaleFactor), ow = scaled("upsample_bilinear2d", x, 3, scaleFactor);
        check("upsample_bilinear2d", x, oh, ow);
        return bilinear(x, xs, oh, ow, alignCorners, (float) (1.0 / scaleFactor), (float) (1.0 / scaleFactor));
    }

    private static Tensor nearest(Tensor x, int[] xs, int oh, int ow, float scaleH, float scaleW) {
        int planes = xs[0] * xs[1], h = xs[2], w = xs[3];
        int[] sy = UpsampleKernels.nearestIndex(h, oh, scaleH), sx = UpsampleKernels.nearestIndex(w, ow, scaleW);
        float[] y = new float[planes * oh * ow];
        UpsampleKernels.nearestForward(planes, h, w, sy, sx, x.data(), y);
        Tensor out = Tensor.wrap(y, xs[0], xs[1], oh, ow);
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record(out, new Node(x) {
            @Override
            public String name() {
                return "UpsampleNearest2DBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] dx = new float[planes * h * w];
                UpsampleKernels.nearestBackward(planes, h, w, sy, sx, gOut.data(), dx);
                return new Tensor[] {Tensor.wrap(dx, xs)};
            }
        });
    }

    private static Tensor bilinear(Tensor x, int[] xs, int oh, int ow, boolean alignCorners, float scaleH, float scaleW) {
        int planes = xs[0] * xs[1], h = xs[2], w = xs[3];
        LinearAxis ay = UpsampleKernels.linearAxis(h, oh, alignCorners, alignCorners ? cornerScale(h, oh) : scaleH);
        LinearAxis ax = UpsampleKernels.linearAxis(w, ow, alignCorners, alignCorners ? cornerScale(w, ow) : scaleW);
        float[] y = new float[planes * oh * ow];
        UpsampleKernels.bilinearForward(planes, h, w, ay, ax, x.data(), y);
        Tensor out = Tensor.wrap(y, xs[0], xs[1], oh, ow);
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record(out, new Node(x) {
            @Override
            public String name() {
                return "UpsampleBilinear2DBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] dx = new float[planes * h * w];
                UpsampleKernels.bilinearBackward(planes, h, w, ay, ax, gOut.data(), dx);
                return new Tensor[] {Tensor.wrap(dx, xs)};
            }
        });
    }

    /** align_corners=True maps corner to corner: (in − 1)/(out − 1), or 0 for a single output. */
    private static float cornerScale(int in, int out) {
        return out > 1 ? (float) (in - 1) / (out - 1) : 0f;
    }

    private static int[] check(String op, Tensor x, int outH, int outW) {
        int[] xs = Conv.rank4(op, "input", x, "[N, C, H, W]");
        if (xs[2] == 0 || xs[3] == 0) throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " has empty planes");
        if (outH < 1 || outW < 1) throw new IllegalArgumentException(op + ": output size must be positive, got " + outH + "x" + outW + " for input " + Shape.str(xs));
        return xs;
    }

    private static int scaled(String op, Tensor x, int dim, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) throw new IllegalArgumentException(op + ": scale factor must be positive and finite, got " + factor);
        Conv.rank4(op, "input", x, "[N, C, H, W]");
        return (int) Math.floor(x.size(dim) * factor);
    }
}
