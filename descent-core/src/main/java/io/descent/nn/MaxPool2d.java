package io.descent.nn;

import io.descent.ops.Pool;
import io.descent.tensor.Tensor;

/** Max pooling (PyTorch's nn.MaxPool2d; stride defaults to the kernel size). */
public class MaxPool2d extends Module {
    final int[] kernel, stride, padding, dilation;
    final boolean ceilMode;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, false);
    }

    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }

    /** Whether a Conv2d and a ReLU before this layer may run fused with it: false for a subclass, whose own {@code forward} must run. */
    boolean fusable() {
        return getClass() == MaxPool2d.class;
    }

    @Override
    protected String describe() {
        return "kernel_size=" + java.util.Arrays.toString(kernel) + ", stride=" + java.util.Arrays.toString(stride) + ", padding=" + java.util.Arrays.toString(padding);
    }
}
