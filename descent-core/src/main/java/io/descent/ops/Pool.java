package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.ConvGeometry;
import io.descent.kernels.PoolAxis;
import io.descent.kernels.PoolKernels;
import io.descent.tensor.Shape;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D max, average and adaptive-average pooling with PyTorch's arguments, output sizes and
 * window rules ({@code F.max_pool2d}, {@code F.avg_pool2d}, {@code F.adaptive_avg_pool2d}),
 * on [N, C, H, W] or unbatched [C, H, W] input. Max pooling keeps the argmax positions for
 * backward (counted on the tape), never the input.
 */
public final class Pool {
    private Pool() {}

    /**
     * A max-pool result with PyTorch's {@code return_indices=True} indices: for each output,
     * the flat position {@code iy·W + ix} of its maximum within its own H×W input plane,
     * stored as float.
     */
    public record WithIndices(Tensor output, Tensor indices) {}

    /** {@code max_pool2d(x, kernel, stride)} with no padding, dilation 1, floor mode. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
        return maxPool2d(x, new int[] {kernel}, new int[] {stride}, null, null, false);
    }

    /**
     * PyTorch's {@code F.max_pool2d}. {@code stride} null or empty means the kernel size;
     * padding (implicit −∞) at most half the kernel; {@code ceilMode} rounds the output size
     * up but never starts a window in the right padding.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool(x, kernel, stride, padding, dilation, ceilMode, false).output();
    }

    /** {@link #maxPool2d} that also returns the argmax indices ({@code return_indices=True}). */
    public static WithIndices maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool(x, kernel, stride, padding, dilation, ceilMode, true);
    }

    /** A max pooling's windows over its input: the planes, their sizes in and out, the windows along each axis, the output's shape. */
    record MaxPlan(int planes, int inPlane, int outPlane, PoolAxis ay, PoolAxis ax, int[] outShape) {}

    /** The windows of {@code max_pool2d} with these arguments over {@code x} (checked, errors naming the op). */
    static MaxPlan maxPlan(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "max_pool2d";
        int[] xs = spatial(op, x);
        int[] k = Conv.pair(op, "kernel", kernel, 0, 1);
        int[] s = stride == null || stride.length == 0 ? k : Conv.pair(op, "stride", stride, 1, 1);
        int[] p = Conv.pair(op, "padding", padding, 0, 0), d = Conv.pair(op, "dilation", dilation, 1, 1);
        int h = xs[xs.length - 2], w = xs[xs.length - 1];
        int oh = outSize(op, xs, k, s, p, d, ceilMode, 0), ow = outSize(op, xs, k, s, p, d, ceilMode, 1);
        PoolAxis ay = PoolAxis.max(h, k[0], s[0], p[0], d[0], oh), ax = PoolAxis.max(w, k[1], s[1], p[1], d[1], ow);
        return new MaxPlan(x.numel() / (h * w), h * w, oh * ow, ay, ax, withSpatial(xs, oh, ow));
    }

    private static WithIndices maxPool(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean wantIndices) {
        MaxPlan plan = maxPlan(x, kernel, stride, padding, dilation, ceilMode);
        int planes = plan.planes();
        float[] y = BufferPool.take(planes * plan.outPlane()); // every element is written
        boolean recorded = Autograd.needsGrad(x);
        // positions only for backward or the caller; every element is written
        int[] idx = recorded || wantIndices ? BufferPool.takeInts(y.length) : null;
        PoolKernels.maxForward(planes, plan.ay(), plan.ax(), x.data(), y, idx);
        int[] outShape = plan.outShape();
        Tensor out = Tensor.wrap(y, outShape);
        Tensor indices = null;
        if (wantIndices) {
            float[] fi = new float[idx.length];
            for (int i = 0; i < fi.length; i++) fi[i] = idx[i];
            indices = Tensor.wrap(fi, outShape);
        }
        if (recorded) Autograd.record(out, new MaxPoolBackward(x, idx, planes, plan.inPlane(), plan.outPlane()));
        else if (idx != null) BufferPool.give(idx); // copied into the indices tensor above
        return new WithIndices(out, indices);
    }

    /**
     * Routes each output gradient to its argmax; keeps only the int indices (4 bytes per output),
     * which no one else can reach: they go back to the pool when the node is released.
     */
    private static final class MaxPoolBackward extends Node {
        private final int[] inShape;
        private final int planes, inPlane, outPlane;
        private int[] idx;

        MaxPoolBackward(Tensor x, int[] idx, int planes, int inPlane, int outPlane) {
            super(x);
            this.inShape = x.shape();
            this.idx = idx;
            this.planes = planes;
            this.inPlane = inPlane;
            this.outPlane = outPlane;
            account(4L * idx.length);
        }

        @Override
        public String name() {
            return "MaxPool2DBackward";
        }

        @Override
        protected Tensor[] backward(Tensor gOut) {
            if (idx == null) throw new IllegalStateException(name() + ": its saved indices were freed by an earlier backward(); call backward(grad, true) to retain the graph");
            Tensor dx = Tensor.recyclable(inShape);
            PoolKernels.maxBackward(planes, inPlane, outPlane, gOut.data(), idx, dx.data());
            return new Tensor[] {dx};
        }

        @Override
        protected void releaseExtra() {
            if (idx != null) BufferPool.give(idx);
            idx = null;
        }
    }

    /** {@code avg_pool2d(x, kernel, stride)} with no padding, floor mode, padding counted. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
        return avgPool2d(x, new int[] {kernel}, new int[] {stride}, null, false, true);
    }

    /**
     * PyTorch's {@code F.avg_pool2d} (no divisor override). {@code stride} null or empty means
     * the kernel size; {@code countIncludePad} divides by the padded window size, else by the
     * number of input pixels in the window.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        String op = "avg_pool2d";
        int[] xs = spatial(op, x);
        int[] k = Conv.pair(op, "kernel", kernel, 0, 1);
        int[] s = stride == null || stride.length == 0 ? k : Conv.pair(op, "stride", stride, 1, 1);
        int[] p = Conv.pair(op, "padding", padding, 0, 0), d = {1, 1};
        int h = xs[xs.length - 2], w = xs[xs.length - 1];
        int oh = outSize(op, xs, k, s, p, d, ceilMode, 0), ow = outSize(op, xs, k, s, p, d, ceilMode, 1);
        return average("AvgPool2DBackward", x, xs,
                PoolAxis.avg(h, k[0], s[0], p[0], oh, countIncludePad), PoolAxis.avg(w, k[1], s[1], p[1], ow, countIncludePad));
    }

    /**
     * PyTorch's {@code F.adaptive_avg_pool2d}: output i along an axis of length L averages
     * {@code [floor(i·L/out), ceil((i+1)·L/out))}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        String op = "adaptive_avg_pool2d";
        int[] xs = spatial(op, x);
        if (outH < 1 || outW < 1) throw new IllegalArgumentException(op + ": output size must be positive, got " + outH + "x" + outW);
        return average("AdaptiveAvgPool2DBackward", x, xs, PoolAxis.adaptive(xs[xs.length - 2], outH), PoolAxis.adaptive(xs[xs.length - 1], outW));
    }

    /** Window averages over the given axes, and the backward that spreads each gradient over its window. */
    private static Tensor average(String name, Tensor x, int[] xs, PoolAxis ay, PoolAxis ax) {
        int planes = x.numel() / (ay.size() * ax.size());
        float[] y = BufferPool.take(planes * ay.out() * ax.out()); // every element is written
        PoolKernels.avgForward(planes, ay, ax, x.data(), y);
        Tensor out = Tensor.wrap(y, withSpatial(xs, ay.out(), ax.out()));
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record(out, new Node(x) {
            @Override
            public String name() {
                return name;
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                Tensor dx = Tensor.recyclable(xs);
                PoolKernels.avgBackward(planes, ay, ax, gOut.data(), dx.data());
                return new Tensor[] {dx};
            }
        });
    }

    // ---------------------------------------------------------------- shapes

    /** The shape of a [N, C, H, W] or [C, H, W] input with non-empty planes. */
    private static int[] spatial(String op, Tensor x) {
        int[] xs = x.shape();
        if (xs.length != 3 && xs.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got " + Shape.str(xs));
        }
        if (xs[xs.length - 1] == 0 || xs[xs.length - 2] == 0) throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " has empty planes");
        return xs;
    }

    /**
     * The output size along {@code axis} (0 = H, 1 = W), after PyTorch's
     * {@code pool2d_shape_check}: padding at most half the kernel and at least one output.
     */
    private static int outSize(String op, int[] xs, int[] k, int[] s, int[] p, int[] d, boolean ceil, int axis) {
        if (p[axis] > k[axis] / 2) {
            throw new IllegalArgumentException(op + ": padding " + Arrays.toString(p) + " must be at most half the kernel " + Arrays.toString(k));
        }
        int in = xs[xs.length - 2 + axis];
        int out = ConvGeometry.outSize(in, k[axis], s[axis], p[axis], d[axis], ceil);
        if (out <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " is too small for kernel " + Arrays.toString(k)
                    + " with dilation " + Arrays.toString(d) + " and padding " + Arrays.toString(p) + " (output size " + out + " along " + (axis == 0 ? "H" : "W") + ")");
        }
        return out;
    }

    private static int[] withSpatial(int[] xs, int oh, int ow) {
        int[] s = xs.clone();
        s[s.length - 2] = oh;
        s[s.length - 1] = ow;
        return s;
    }
}
