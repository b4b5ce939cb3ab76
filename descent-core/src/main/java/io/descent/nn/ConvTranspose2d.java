package io.descent.nn;

import io.descent.nn.init.Init;
import io.descent.ops.Conv;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * Transposed 2-D convolution, weight [in, out/groups, kH, kW] (PyTorch's nn.ConvTranspose2d;
 * its default init computes fan_in from weight dim 1, i.e. out/groups·kH·kW).
 */
public class ConvTranspose2d extends Module {
    public final int inChannels, outChannels, groups;
    public final int[] kernel, stride, padding, outputPadding, dilation;
    public final Tensor weight, bias;

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {outputPadding, outputPadding}, 1, true, new int[] {1, 1}, Init.generator());
    }

    public ConvTranspose2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] outputPadding,
                           int groups, boolean bias, int[] dilation, Rng rng) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("ConvTranspose2d: channels must be positive, got in=" + in + ", out=" + out);
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: groups=" + groups + " must divide in_channels=" + in + " and out_channels=" + out);
        }
        this.inChannels = in;
        this.outChannels = out;
        this.groups = groups;
        this.kernel = Conv2d.pair("kernel_size", kernel, 1);
        this.stride = Conv2d.pair("stride", stride, 1);
        this.padding = Conv2d.pair("padding", padding, 0);
        this.outputPadding = Conv2d.pair("output_padding", outputPadding, 0);
        this.dilation = Conv2d.pair("dilation", dilation, 1);
        this.weight = registerParameter("weight", Tensor.zeros(in, out / groups, this.kernel[0], this.kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.pytorchDefault(weight, this.bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    @Override
    protected String describe() {
        return inChannels + ", " + outChannels + ", kernel_size=" + java.util.Arrays.toString(kernel) + ", stride=" + java.util.Arrays.toString(stride);
    }
}
