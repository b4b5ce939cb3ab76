package io.descent.nn;

import io.descent.autograd.Autograd;
import io.descent.ops.ConvBatchNorm;
import io.descent.tensor.Tensor;

/**
 * Runs a {@link Conv2d} followed by a {@link BatchNorm} (and a ReLU) as one convolution with
 * the normalisation folded into its weights ({@link ConvBatchNorm}) whenever that computes the
 * same thing: the normalisation in evaluation mode with running statistics, and nothing that
 * needs a gradient (evaluation under {@code GradMode.noGrad()}, or a frozen backbone fed data
 * that does not require grad). Otherwise the layers run one after the other, with the
 * normalisation and the ReLU fused as {@link FusesRelu} allows. {@link Sequential} and the
 * ResNet blocks use it.
 */
public final class ConvBatchNormFold {
    /** Depth of {@link #suspend} scopes on this thread. */
    private static final ThreadLocal<int[]> SUSPENDED = ThreadLocal.withInitial(() -> new int[1]);

    private ConvBatchNormFold() {}

    /**
     * A scope in which nothing folds, for a forward pass without gradients that must compute
     * the same bits as a later pass with them: a checkpointed segment's first run, whose output
     * must be what its replay computes.
     */
    public static Suspension suspend() {
        SUSPENDED.get()[0]++;
        return new Suspension();
    }

    /** Ends a {@link #suspend} scope. */
    public static final class Suspension implements AutoCloseable {
        private boolean closed;

        private Suspension() {}

        @Override
        public void close() {
            if (!closed) SUSPENDED.get()[0]--;
            closed = true;
        }
    }

    /**
     * Whether {@code conv} then {@code norm} may run folded on {@code x} now: exactly the
     * classes Conv2d and BatchNorm2d (a subclass's own forward must run), matching channels,
     * the normalisation in evaluation mode with running statistics, no gradient to record, and
     * no {@link #suspend} scope open.
     */
    public static boolean applies(Module conv, Module norm, Tensor x) {
        return conv != null && conv.getClass() == Conv2d.class && norm != null && norm.getClass() == BatchNorm.class
                && applies((Conv2d) conv, (BatchNorm) norm, x);
    }

    private static boolean applies(Conv2d c, BatchNorm bn, Tensor x) {
        return SUSPENDED.get()[0] == 0 && bn.isSpatial() && !bn.isTraining() && bn.runningMean != null && c.outChannels == bn.numFeatures
                && !Autograd.needsGrad(x, c.weight, c.bias, bn.weight, bn.bias);
    }

    /**
     * {@code norm(conv(x))}, then {@code after} when it is not null (a ReLU is folded in too):
     * one convolution when {@link #applies}, else the layers in turn.
     */
    public static Tensor forward(Module conv, Module norm, Module after, Tensor x) {
        if (!applies(conv, norm, x)) { // the layers in turn, each intermediate handed back once read
            Intermediates chain = new Intermediates(x);
            Tensor z = chain.next(x, conv.forward(x), conv);
            if (after == null) return chain.next(z, norm.forward(z), norm);
            if (FusesRelu.fuses(norm, after)) return chain.next(z, ((FusesRelu) norm).forwardRelu(z), norm, after);
            Tensor n = chain.next(z, norm.forward(z), norm);
            return chain.next(n, after.forward(n), after);
        }
        Conv2d c = (Conv2d) conv;
        BatchNorm bn = (BatchNorm) norm;
        boolean relu = after instanceof Activation a && a.isRelu();
        Tensor y = ConvBatchNorm.conv2dBatchNorm(x, c.weight, c.bias, c.stride, c.padding, c.dilation, c.groups,
                bn.runningMean, bn.runningVar, bn.weight, bn.bias, bn.eps, relu);
        return after == null || relu ? y : after.forward(y);
    }
}
