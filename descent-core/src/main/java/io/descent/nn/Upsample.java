package io.descent.nn;

import io.descent.tensor.Tensor;

/** Resizes [N, C, H, W] by an integer scale factor, nearest or bilinear (PyTorch's nn.Upsample). */
public class Upsample extends Module {
    public enum Mode { NEAREST, BILINEAR }

    private final int scale;
    private final Mode mode;
    private final boolean alignCorners;

    public Upsample(int scaleFactor, Mode mode, boolean alignCorners) {
        if (scaleFactor < 1) throw new IllegalArgumentException("Upsample: scale_factor must be >= 1, got " + scaleFactor);
        this.scale = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    public Upsample(int scaleFactor) {
        this(scaleFactor, Mode.NEAREST, false);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("Upsample: expected [N, C, H, W], got " + io.descent.tensor.Shape.str(x.shape()));
        int h = x.size(2) * scale, w = x.size(3) * scale;
        return mode == Mode.NEAREST ? io.descent.ops.Upsample.nearest(x, h, w) : io.descent.ops.Upsample.bilinear(x, h, w, alignCorners);
    }

    @Override
    protected String describe() {
        return "scale_factor=" + scale + ", mode=" + mode.name().toLowerCase();
    }
}
