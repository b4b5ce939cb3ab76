package io.descent.nn;

import io.descent.ops.Pool;
import io.descent.tensor.Tensor;

/** Average pooling to a fixed output size (PyTorch's nn.AdaptiveAvgPool2d). */
public class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "x" + outW);
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    protected String describe() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
