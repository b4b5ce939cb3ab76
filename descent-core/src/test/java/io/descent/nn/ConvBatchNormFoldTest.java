package io.descent.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.models.ResNet;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * When a Conv2d followed by a BatchNorm2d runs as one folded convolution (evaluation without
 * gradients only), and that the models that use it compute the same outputs either way.
 */
class ConvBatchNormFoldTest {
    /** Running statistics away from their initial 0 and 1, so that folding changes the weights. */
    private static void randomStatistics(Module m, Rng rng) {
        for (Module layer : m.namedModules().values()) {
            if (layer instanceof BatchNorm bn) {
                fill(bn.runningMean, Tensor.uniform(rng, -0.5f, 0.5f, bn.numFeatures));
                fill(bn.runningVar, Tensor.uniform(rng, 0.5f, 2f, bn.numFeatures));
                fill(bn.weight, Tensor.uniform(rng, 0.5f, 1.5f, bn.numFeatures));
                fill(bn.bias, Tensor.uniform(rng, -0.5f, 0.5f, bn.numFeatures));
            }
        }
    }

    private static void fill(Tensor dst, Tensor values) {
        System.arraycopy(values.data(), 0, dst.data(), 0, dst.numel());
    }

    @Test
    void appliesOnlyInEvaluationWithoutGradients() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        BatchNorm bn = BatchNorm.batchNorm2d(4);
        Tensor x = Tensor.zeros(1, 3, 5, 5);
        bn.eval();
        assertFalse(ConvBatchNormFold.applies(conv, bn, x), "the parameters require grad and grad mode is on");
        try (var ng = GradMode.noGrad()) {
            assertTrue(ConvBatchNormFold.applies(conv, bn, x));
            bn.train();
            assertFalse(ConvBatchNormFold.applies(conv, bn, x), "training normalises with batch statistics");
            bn.eval();
            assertFalse(ConvBatchNormFold.applies(conv, BatchNorm.batchNorm2d(4, 1e-5f, 0.1f, true, false).eval(), x), "no running statistics");
            assertFalse(ConvBatchNormFold.applies(conv, BatchNorm.batchNorm1d(4).eval(), x), "BatchNorm1d");
            assertFalse(ConvBatchNormFold.applies(conv, BatchNorm.batchNorm2d(5).eval(), x), "channels differ: the unfused layers report it");
            assertFalse(ConvBatchNormFold.applies(new Conv2d(3, 4, 3, 1, 1) {}, bn, x), "a subclass's own forward must run");
            assertFalse(ConvBatchNormFold.applies(bn, conv, x));
            try (var s = ConvBatchNormFold.suspend(); var nested = ConvBatchNormFold.suspend()) {
                assertFalse(ConvBatchNormFold.applies(conv, bn, x), "suspended (a checkpoint's first pass)");
            }
            assertTrue(ConvBatchNormFold.applies(conv, bn, x), "the scopes are closed");
        }
        for (Tensor p : conv.parameters()) p.requiresGrad(false);
        for (Tensor p : bn.parameters()) p.requiresGrad(false);
        assertTrue(ConvBatchNormFold.applies(conv, bn, x), "a frozen pair fed data that needs no gradient");
        assertFalse(ConvBatchNormFold.applies(conv, bn, x.requiresGrad(true)), "the input needs a gradient");
    }

    @Test
    void sequentialFoldsConvBatchNormRelu() {
        Rng rng = new Rng(5);
        Sequential net = new Sequential(new Conv2d(3, 16, 3, 1, 1), BatchNorm.batchNorm2d(16), Activation.relu(),
                new Conv2d(16, 16, 3, 1, 1), BatchNorm.batchNorm2d(16), new MaxPool2d(2, 2, 0), new Conv2d(16, 8, 1, 1, 0), BatchNorm.batchNorm2d(8));
        randomStatistics(net, rng);
        net.eval();
        Tensor x = Tensor.randn(rng, 2, 3, 12, 12);
        assertSameOutputs(net, x);
    }

    @Test
    void resnetsFoldEveryConvBatchNormPair() {
        Rng rng = new Rng(6);
        for (Module net : new Module[] {ResNet.resnet18(10, 1, ResNet.Stem.SMALL, rng), ResNet.resnet50(10, 3, ResNet.Stem.IMAGENET, rng)}) {
            randomStatistics(net, rng);
            net.eval();
            assertSameOutputs(net, Tensor.randn(rng, 2, ((Conv2d) net.child("conv1")).inChannels, 32, 32));
        }
    }

    /** Evaluation under noGrad (folded) against evaluation with gradients on (the layers in turn). */
    private static void assertSameOutputs(Module net, Tensor x) {
        float[] unfused = net.forward(x).toArray();
        float[] folded;
        try (var ng = GradMode.noGrad()) {
            folded = net.forward(x).toArray();
        }
        double scale = 0;
        for (float v : unfused) scale = Math.max(scale, Math.abs(v));
        String bad = null;
        for (int i = 0; i < unfused.length && bad == null; i++) {
            if (!(Math.abs(unfused[i] - folded[i]) <= 1e-4 * scale)) bad = "output " + i + ": folded " + folded[i] + ", unfused " + unfused[i];
        }
        assertNull(bad);
        assertTrue(scale > 0, "a non-trivial output");
    }
}
