package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.ConvGeometry;
import io.descent.kernels.ConvKernels;
import io.descent.kernels.PoolKernels;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D convolution and transposed convolution, NCHW, with PyTorch's arguments and output
 * sizes ({@code F.conv2d}, {@code F.conv_transpose2d}).
 *
 * <p>The two are adjoint linear maps of the same {@link ConvGeometry}: a transposed
 * convolution's forward pass is the input-gradient computation of the convolution whose
 * output has the transposed op's input shape, and its input gradient is that convolution's
 * forward pass. Both ops therefore share one backward node and the same three kernels.
 */
public final class Conv {
    private Conv() {}

    /** {@code conv2d(x, weight, bias, stride, padding)} with dilation 1 and one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    /**
     * PyTorch's {@code F.conv2d}: x [N, C, H, W], weight [O, C/groups, kH, kW], bias [O] or
     * null; output [N, O, H', W'] with {@code H' = floor((H + 2p − d(kH−1) − 1)/s) + 1}.
     * {@code stride}, {@code padding}, {@code dilation} take one value (both axes) or two (H, W).
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d(x, weight, bias, stride, padding, dilation, groups, false);
    }

    /**
     * {@code relu(conv2d(...))} in one op: each image's output is clamped while still in
     * cache, with no second output array, and one backward node masks the gradient by the
     * saved output before the convolution's backward. Same values as the two ops;
     * {@link io.descent.nn.Sequential} uses it for a Conv2d followed by a ReLU.
     */
    public static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d(x, weight, bias, stride, padding, dilation, groups, true);
    }

    /**
     * {@code max_pool2d(relu(conv2d(...)))} in one op (arguments as in {@link #conv2d} and
     * {@link Pool#maxPool2d}): the convolution's clamped output is pooled and handed back at
     * once, nothing but the pooled output and its argmax positions is kept, and backward sends
     * each output's gradient to its argmax where the pooled value is positive — the ReLU's mask
     * and the pool's scatter in one pass ({@link PoolKernels#maxBackwardThroughRelu}), where the
     * two ops read and write the convolution's whole output twice. Same values and gradients as
     * the ops one after the other; {@link io.descent.nn.Sequential} uses it for a Conv2d, a ReLU
     * and a MaxPool2d in a row (the blocks of VGG and of small CNNs).
     */
    public static Tensor conv2dReluMaxPool(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                                           int[] poolKernel, int[] poolStride, int[] poolPadding, int[] poolDilation, boolean ceilMode) {
        ConvGeometry g = geometry(x, weight, bias, stride, padding, dilation, groups);
        Tensor y = forward(g, x, weight, bias, true);
        Pool.MaxPlan plan = Pool.maxPlan(y, poolKernel, poolStride, poolPadding, poolDilation, ceilMode);
        float[] pooled = BufferPool.take(plan.planes() * plan.outPlane()); // every element is written
        boolean recorded = Autograd.needsGrad(x, weight, bias);
        int[] idx = recorded ? BufferPool.takeInts(pooled.length) : null;
        PoolKernels.maxForward(plan.planes(), plan.ay(), plan.ax(), y.data(), pooled, idx);
        BufferPool.give(y.data()); // this op's own scratch: nothing else has seen it
        Tensor out = Tensor.wrap(pooled, plan.outShape());
        if (!recorded) return out;
        return Autograd.record(out, new ConvBackward(g, x, weight, bias, new PooledRelu(idx, plan, out.detach())));
    }

    private static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups, boolean relu) {
        ConvGeometry g = geometry(x, weight, bias, stride, padding, dilation, groups);
        Tensor out = forward(g, x, weight, bias, relu);
        if (!Autograd.needsGrad(x, weight, bias)) return out;
        return Autograd.record(out, new ConvBackward(g, false, x, weight, bias, relu ? out.detach() : null));
    }

    /** The geometry of {@code conv2d(x, weight, bias, ...)}, every argument checked (errors name the op and shapes). */
    private static ConvGeometry geometry(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d";
        int[] xs = rank4(op, "input", x, "[N, C, H, W]"), ws = rank4(op, "weight", weight, "[O, C/groups, kH, kW]");
        int[] s = pair(op, "stride", stride, 1, 1), p = pair(op, "padding", padding, 0, 0), d = pair(op, "dilation", dilation, 1, 1);
        positiveGroups(op, groups);
        int n = xs[0], c = xs[1], o = ws[0];
        if (c % groups != 0) throw new IllegalArgumentException(op + ": groups = " + groups + " must divide the " + c + " input channels of input " + Shape.str(xs));
        if (o % groups != 0) throw new IllegalArgumentException(op + ": groups = " + groups + " must divide the " + o + " output channels of weight " + Shape.str(ws));
        if (ws[1] * groups != c) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " and weight " + Shape.str(ws) + " need C/groups = " + ws[1]
                    + " input channels per group, but C = " + c + " with groups = " + groups);
        }
        checkBias(op, bias, o, "weight " + Shape.str(ws));
        int oh = ConvGeometry.outSize(xs[2], ws[2], s[0], p[0], d[0], false);
        int ow = ConvGeometry.outSize(xs[3], ws[3], s[1], p[1], d[1], false);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": kernel " + ws[2] + "x" + ws[3] + " with dilation " + Arrays.toString(d) + " spans "
                    + span(ws[2], d[0]) + "x" + span(ws[3], d[1]) + ", larger than the padded input " + (xs[2] + 2 * p[0]) + "x" + (xs[3] + 2 * p[1])
                    + " (input " + Shape.str(xs) + ", padding " + Arrays.toString(p) + ")");
        }
        return new ConvGeometry(n, c, xs[2], xs[3], o, ws[2], ws[3], s[0], s[1], p[0], p[1], d[0], d[1], groups, oh, ow);
    }

    /** The convolution's output (then its ReLU), recording nothing. */
    private static Tensor forward(ConvGeometry g, Tensor x, Tensor weight, Tensor bias, boolean relu) {
        float[] y = BufferPool.take(g.n() * g.outImageSize()); // overwritten by ConvKernels.forward
        ConvKernels.forward(g, x.data(), weight.data(), bias == null ? null : bias.data(), y, relu);
        return Tensor.wrap(y, g.n(), g.o(), g.oh(), g.ow());
    }

    /** What a convolution's backward needs of the ReLU and max pooling fused after it: the argmax positions and the pooled output. */
    private record PooledRelu(int[] idx, Pool.MaxPlan plan, Tensor pooled) {}

    /**
     * PyTorch's {@code F.conv_transpose2d}: x [N, C_in, H, W], weight [C_in, C_out/groups, kH, kW],
     * bias [C_out] or null; output [N, C_out, H', W'] with
     * {@code H' = (H − 1)·s − 2p + d(kH − 1) + output_padding + 1}, where each output_padding
     * must be smaller than its stride or its dilation.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups, int[] dilation) {
        String op = "conv_transpose2d";
        int[] xs = rank4(op, "input", x, "[N, C_in, H, W]"), ws = rank4(op, "weight", weight, "[C_in, C_out/groups, kH, kW]");
        int[] s = pair(op, "stride", stride, 1, 1), p = pair(op, "padding", padding, 0, 0), d = pair(op, "dilation", dilation, 1, 1);
        int[] outPad = pair(op, "output_padding", outputPadding, 0, 0);
        positiveGroups(op, groups);
        int n = xs[0], cin = xs[1];
        if (ws[0] != cin) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " and weight " + Shape.str(ws) + " need weight [C_in = " + cin + ", C_out/groups, kH, kW]");
        }
        if (cin % groups != 0) throw new IllegalArgumentException(op + ": groups = " + groups + " must divide the " + cin + " input channels of input " + Shape.str(xs));
        for (int a = 0; a < 2; a++) {
            if (outPad[a] >= s[a] && outPad[a] >= d[a]) {
                throw new IllegalArgumentException(op + ": output_padding " + Arrays.toString(outPad) + " must be smaller than either stride "
                        + Arrays.toString(s) + " or dilation " + Arrays.toString(d));
            }
        }
        int cout = ws[1] * groups;
        checkBias(op, bias, cout, "weight " + Shape.str(ws) + " with groups = " + groups);
        long hOut = (long) (xs[2] - 1) * s[0] - 2L * p[0] + (long) d[0] * (ws[2] - 1) + outPad[0] + 1;
        long wOut = (long) (xs[3] - 1) * s[1] - 2L * p[1] + (long) d[1] * (ws[3] - 1) + outPad[1] + 1;
        if (hOut <= 0 || wOut <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " with kernel " + ws[2] + "x" + ws[3] + ", stride " + Arrays.toString(s)
                    + " and padding " + Arrays.toString(p) + " gives a non-positive output size " + hOut + "x" + wOut);
        }
        // the convolution this op is the adjoint of: input [N, C_out, H', W'], output [N, C_in, H, W]
        ConvGeometry g = new ConvGeometry(n, cout, (int) hOut, (int) wOut, cin, ws[2], ws[3], s[0], s[1], p[0], p[1], d[0], d[1], groups, xs[2], xs[3]);
        float[] y = BufferPool.take(n * g.imageSize()); // overwritten by ConvKernels.backwardData
        ConvKernels.backwardData(g, x.data(), weight.data(), bias == null ? null : bias.data(), y);
        Tensor out = Tensor.wrap(y, n, cout, (int) hOut, (int) wOut);
        if (!Autograd.needsGrad(x, weight, bias)) return out;
        return Autograd.record(out, new ConvBackward(g, true, x, weight, bias, null));
    }

    /**
     * Backward of both ops over geometry {@code g}. For conv2d the op's input is the
     * convolution's input; for the transposed op it is the convolution's output, so the
     * roles of forward and input-gradient kernels swap and the weight gradient takes
     * (upstream gradient, saved input) in the other order.
     */
    private static final class ConvBackward extends Node {
        private final ConvGeometry g;
        private final boolean transposed, relu;
        /** The ReLU and max pooling fused after the convolution ({@link #conv2dReluMaxPool}), else null; its positions go back to the pool on release. */
        private int[] poolIdx;
        private final Pool.MaxPlan pool;

        /** {@code reluOut}: the output of a fused ReLU (see {@link #conv2dRelu}), else null. */
        ConvBackward(ConvGeometry g, boolean transposed, Tensor x, Tensor weight, Tensor bias, Tensor reluOut) {
            super(x, weight, bias);
            this.g = g;
            this.transposed = transposed;
            this.relu = reluOut != null;
            this.pool = null;
            save(needsGrad(1) ? x : null, needsGrad(0) ? weight : null, reluOut);
        }

        /** A convolution followed by a ReLU and a max pooling: saves the pooled output and the argmax positions. */
        ConvBackward(ConvGeometry g, Tensor x, Tensor weight, Tensor bias, PooledRelu pooled) {
            super(x, weight, bias);
            this.g = g;
            this.transposed = false;
            this.relu = true;
            this.pool = pooled.plan();
            this.poolIdx = pooled.idx();
            save(needsGrad(1) ? x : null, needsGrad(0) ? weight : null, pooled.pooled());
            account(4L * poolIdx.length);
        }

        @Override
        public String name() {
            return transposed ? "ConvTranspose2dBackward" : pool != null ? "Conv2dReluMaxPoolBackward" : relu ? "Conv2dReluBackward" : "Conv2dBackward";
        }

        @Override
        protected void releaseExtra() {
            if (poolIdx != null) BufferPool.give(poolIdx);
            poolIdx = null;
        }

        @Override
        protected Tensor[] backward(Tensor gOut) {
            Tensor pre = pool != null ? unpool(gOut) : relu ? Activations.reluGrad(saved(2), gOut) : gOut;
            float[] gy = pre.data();
            int[] inShape = transposed ? new int[] {g.n(), g.o(), g.oh(), g.ow()} : new int[] {g.n(), g.c(), g.h(), g.w()};
            Tensor gx = null, gw = null, gb = null;
            if (needsGrad(0)) {
                gx = Tensor.recyclable(inShape);
                if (transposed) ConvKernels.forward(g, gy, saved(1).data(), null, gx.data());
                else ConvKernels.backwardData(g, gy, saved(1).data(), null, gx.data());
            }
            if (needsGrad(1)) {
                gw = Tensor.recyclable(g.o(), g.cg(), g.kh(), g.kw()); // conv [O, C/g, ..]; transposed [C_in, C_out/g, ..]
                if (transposed) ConvKernels.backwardWeight(g, gy, saved(0).data(), gw.data());
                else ConvKernels.backwardWeight(g, saved(0).data(), gy, gw.data());
            }
            if (needsGrad(2)) {
                int channels = transposed ? g.c() : g.o(), pixels = transposed ? g.h() * g.w() : g.p();
                float[] db = new float[channels];
                ConvKernels.biasGrad(gy, g.n(), channels, pixels, db);
                gb = Tensor.wrap(db, channels);
            }
            if (relu) BufferPool.give(pre.data()); // this node's own scratch: nothing else has seen it
            return new Tensor[] {gx, gw, gb};
        }

        /** The gradient of the convolution's (ReLU'd) output from the pooled one's: the pool's scatter through the ReLU's mask. */
        private Tensor unpool(Tensor gOut) {
            Tensor pooled = saved(2); // refuses a node whose backward already ran, as it released its positions too
            Tensor pre = Tensor.recyclable(g.n(), g.o(), g.oh(), g.ow());
            PoolKernels.maxBackwardThroughRelu(pool.planes(), pool.inPlane(), pool.outPlane(), gOut.data(), poolIdx, pooled.data(), pre.data());
            return pre;
        }
    }

    // ---------------------------------------------------------------- argument checks shared by the spatial ops

    /** The shape of a 4-D tensor, or an error naming the op, the argument and the layout it expects. */
    static int[] rank4(String op, String what, Tensor t, String layout) {
        int[] s = t.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": expected a 4-D " + what + " " + layout + ", got " + Shape.str(s));
        return s;
    }

    /**
     * A per-axis argument as (H, W): one value means both axes, null means {@code dflt} for
     * both; each must be at least {@code min} (1 for strides, kernels and dilations, 0 for
     * paddings).
     */
    static int[] pair(String op, String name, int[] values, int dflt, int min) {
        if (values == null) values = new int[] {dflt};
        if (values.length != 1 && values.length != 2) {
            throw new IllegalArgumentException(op + ": " + name + " needs 1 or 2 values (H, W), got " + Arrays.toString(values));
        }
        int[] v = values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
        if (v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + (min == 0 ? "non-negative" : "positive") + ", got " + Arrays.toString(values));
        }
        return v;
    }

    private static void positiveGroups(String op, int groups) {
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
    }

    private static void checkBias(String op, Tensor bias, int channels, String against) {
        if (bias != null && (bias.dim() != 1 || bias.size(0) != channels)) {
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape()) + " does not match " + against + "; expected [" + channels + "]");
        }
    }

    private static int span(int k, int d) {
        return d * (k - 1) + 1;
    }
}
