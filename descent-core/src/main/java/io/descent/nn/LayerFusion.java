package io.descent.nn;

import io.descent.tensor.Tensor;

/**
 * The fusion rule of a chain of layers, shared by {@link Sequential} and the checkpointed
 * chains (which must compute the same bits): a Conv2d, a BatchNorm2d and a ReLU run as one
 * folded convolution when {@link ConvBatchNormFold#applies} (evaluation without gradients); a
 * Conv2d, a ReLU and a MaxPool2d run as one op ({@code Conv.conv2dReluMaxPool}); any other
 * {@link FusesRelu} layer and a ReLU run as one op; any other layer runs alone.
 */
public final class LayerFusion {
    private LayerFusion() {}

    /** The output of the layers that ran, and how many of the three given ones that was. */
    public record Step(Tensor output, int layers) {}

    /** Runs {@code layer} on {@code x}, fused with {@code next} (and {@code third}) when the rule allows; both may be null. */
    public static Step forward(Module layer, Module next, Module third, Tensor x) {
        if (ConvBatchNormFold.applies(layer, next, x)) {
            Module relu = third instanceof Activation a && a.isRelu() ? third : null;
            return new Step(ConvBatchNormFold.forward(layer, next, relu, x), relu == null ? 2 : 3);
        }
        if (FusesRelu.fuses(layer, next)) {
            if (layer instanceof Conv2d conv && third instanceof MaxPool2d pool && pool.fusable()) return new Step(conv.forwardReluMaxPool(x, pool), 3);
            return new Step(((FusesRelu) layer).forwardRelu(x), 2);
        }
        return new Step(layer.forward(x), 1);
    }
}
