package io.descent.kernels;

/**
 * The sizes of one 2-D convolution, NCHW: input [n, c, h, w], weight [o, c/groups, kh, kw],
 * output [n, o, oh, ow]. The output size is a field rather than derived so that the same
 * geometry also describes a transposed convolution, whose "convolution output" is the
 * transposed op's input and may be shorter than {@link #outSize} gives when
 * {@code output_padding} ≥ stride (PyTorch allows it when it is below the dilation).
 * Validation with op-specific messages happens in the ops; kernels trust a geometry.
 */
public record ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw,
                           int sh, int sw, int ph, int pw, int dh, int dw, int groups, int oh, int ow) {

    /** Input channels per group. */
    public int cg() {
        return c / groups;
    }

    /** Output channels per group. */
    public int og() {
        return o / groups;
    }

    /** Rows of one group's column matrix (and columns of its weight matrix): (c/groups)·kh·kw. */
    public int k() {
        return cg() * kh * kw;
    }

    /** Output pixels per channel: oh·ow (columns of the column matrix). */
    public int p() {
        return oh * ow;
    }

    /** Elements of one input image, c·h·w. */
    public int imageSize() {
        return c * h * w;
    }

    /** Elements of one output image, o·oh·ow. */
    public int outImageSize() {
        return o * oh * ow;
    }

    /** Elements of the weight, o·(c/groups)·kh·kw. */
    public int weightSize() {
        return o * k();
    }

    /**
     * A 1×1, stride-1, unpadded kernel whose output is as large as its input: the column
     * matrix of a group is the input itself ([c/groups, h·w]), so im2col is skipped.
     * Dilation does not matter for a 1×1 kernel.
     */
    public boolean isPointwise() {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w;
    }

    /**
     * One image of one group restricted to {@code channels} of its input channels (groups 1,
     * the group's output channels): the geometry of a slice of the column matrix and of the
     * input planes it scatters onto, for work shared out by input channel.
     */
    public ConvGeometry channelSlice(int channels) {
        return new ConvGeometry(1, channels, h, w, og(), kh, kw, sh, sw, ph, pw, dh, dw, 1, oh, ow);
    }

    /** Multiply-adds ×2 of one pass (forward, input-gradient or weight-gradient alike). */
    public double flops() {
        return 2.0 * n * o * oh * ow * cg() * kh * kw;
    }

    /**
     * PyTorch's output size of a sliding window, {@code floor((in + 2p − d(k−1) − 1)/s) + 1};
     * with {@code ceil} (pooling's ceil_mode) rounded up instead, but a last window that would
     * start inside the right padding is dropped ({@code (out−1)·s ≥ in + p}), as
     * {@code pooling_output_shape} does. May be ≤ 0 when the window does not fit.
     */
    public static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
        long span = (long) in + 2L * p - (long) d * (k - 1) - 1;
        if (span < 0) return 0;
        long out = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (out - 1) * s >= (long) in + p) out--;
        return (int) out;
    }
}
