package io.descent.nn;

import io.descent.nn.init.Init;
import io.descent.ops.Conv;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/** 2-D convolution, weight [out, in/groups, kH, kW] (PyTorch's nn.Conv2d, same default init). */
public class Conv2d extends Module implements FusesRelu {
    public final int inChannels, outChannels, groups;
    public final int[] kernel, stride, padding, dilation;
    public final Tensor weight, bias;

    /** Square kernel, stride 1, no padding, with bias. */
    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1, true, Init.generator());
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1, bias, Init.generator());
    }

    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, Rng rng) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Conv2d: channels must be positive, got in=" + in + ", out=" + out);
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in_channels=" + in + " and out_channels=" + out);
        }
        this.inChannels = in;
        this.outChannels = out;
        this.groups = groups;
        this.kernel = pair("kernel_size", kernel, 1);
        this.stride = pair("stride", stride, 1);
        this.padding = pair("padding", padding, 0);
        this.dilation = pair("dilation", dilation, 1);
        this.weight = registerParameter("weight", Tensor.zeros(out, in / groups, this.kernel[0], this.kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.pytorchDefault(weight, this.bias, rng);
    }

    static int[] pair(String what, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException("Conv2d: " + what + " must be two integers >= " + min + ", got " + java.util.Arrays.toString(v));
        }
        return v.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public Tensor forwardRelu(Tensor x) {
        return Conv.conv2dRelu(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public boolean fusesRelu() {
        return getClass() == Conv2d.class;
    }

    /** {@code pool.forward(relu(forward(x)))} as one op ({@link Conv#conv2dReluMaxPool}). */
    Tensor forwardReluMaxPool(Tensor x, MaxPool2d pool) {
        return Conv.conv2dReluMaxPool(x, weight, bias, stride, padding, dilation, groups, pool.kernel, pool.stride, pool.padding, pool.dilation, pool.ceilMode);
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel_size=" + java.util.Arrays.toString(kernel) + ", stride=" + java.util.Arrays.toString(stride)
                + ", padding=" + java.util.Arrays.toString(padding) + (groups > 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=False" : "");
    }
}
