package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.AdaptiveAvgPool2d;
import io.descent.nn.BatchNorm;
import io.descent.nn.Conv2d;
import io.descent.nn.ConvBatchNormFold;
import io.descent.nn.Identity;
import io.descent.nn.Intermediates;
import io.descent.nn.Linear;
import io.descent.nn.MaxPool2d;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.nn.init.Init;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * ResNet (He et al., 2016) with torchvision's structure and state_dict names: conv1, bn1,
 * maxpool, layer1..layer4 of BasicBlocks (18/34) or Bottlenecks (50/101/152, stride on the
 * 3×3 conv as torchvision "v1.5"), avgpool, fc. The small stem (3×3 stride-1 conv, no
 * max-pool) suits 28–32 px images and keeps every parameter name.
 */
public final class ResNet extends Module {
    public enum Stem { IMAGENET, SMALL }

    private final boolean bottleneck;

    public ResNet(boolean bottleneck, int[] blocks, int numClasses, int inChannels, Stem stem, Rng rng) {
        if (numClasses < 1 || inChannels < 1) throw new IllegalArgumentException("ResNet: num_classes and in_channels must be positive");
        this.bottleneck = bottleneck;
        int expansion = bottleneck ? 4 : 1;
        if (stem == Stem.SMALL) {
            registerModule("conv1", conv(inChannels, 64, 3, 1, 1, rng));
        } else {
            registerModule("conv1", conv(inChannels, 64, 7, 2, 3, rng));
        }
        registerModule("bn1", BatchNorm.batchNorm2d(64));
        registerModule("relu", Activation.relu());
        registerModule("maxpool", stem == Stem.SMALL ? new Identity() : new MaxPool2d(3, 2, 1));
        int inplanes = 64;
        int[] planes = {64, 128, 256, 512};
        for (int l = 0; l < 4; l++) {
            Sequential layer = new Sequential();
            for (int b = 0; b < blocks[l]; b++) {
                int stride = b == 0 && l > 0 ? 2 : 1;
                layer.add(bottleneck ? new Bottleneck(inplanes, planes[l], stride, rng) : new BasicBlock(inplanes, planes[l], stride, rng));
                inplanes = planes[l] * expansion;
            }
            registerModule("layer" + (l + 1), layer);
        }
        registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        registerModule("fc", new Linear(512 * expansion, numClasses, true, rng));
    }

    public static ResNet resnet18(int numClasses, int inChannels, Stem stem, Rng rng) {
        return new ResNet(false, new int[] {2, 2, 2, 2}, numClasses, inChannels, stem, rng);
    }

    public static ResNet resnet34(int numClasses, int inChannels, Stem stem, Rng rng) {
        return new ResNet(false, new int[] {3, 4, 6, 3}, numClasses, inChannels, stem, rng);
    }

    public static ResNet resnet50(int numClasses, int inChannels, Stem stem, Rng rng) {
        return new ResNet(true, new int[] {3, 4, 6, 3}, numClasses, inChannels, stem, rng);
    }

    public static ResNet resnet101(int numClasses, int inChannels, Stem stem, Rng rng) {
        return new ResNet(true, new int[] {3, 4, 23, 3}, numClasses, inChannels, stem, rng);
    }

    public static ResNet resnet152(int numClasses, int inChannels, Stem stem, Rng rng) {
        return new ResNet(true, new int[] {3, 8, 36, 3}, numClasses, inChannels, stem, rng);
    }

    /** torchvision's conv init: kaiming_normal(mode='fan_out', nonlinearity='relu'), no bias. */
    static Conv2d conv(int in, int out, int k, int stride, int pad, Rng rng) {
        Conv2d c = new Conv2d(in, out, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad}, new int[] {1, 1}, 1, false, rng);
        Init.kaimingNormal(c.weight, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, rng);
        return c;
    }

    /** Output channels of a block per "planes": 4 for Bottleneck (50/101/152), 1 for BasicBlock. */
    public int expansion() {
        return bottleneck ? 4 : 1;
    }

    /** The network up to (and including) global pooling, flattened: [N, features]. */
    public Tensor features(Tensor x) {
        return features(new Intermediates(x), x);
    }

    private Tensor features(Intermediates chain, Tensor x) {
        Module conv1 = child("conv1"), bn1 = child("bn1"), relu = child("relu");
        Tensor y = chain.next(x, ConvBatchNormFold.forward(conv1, bn1, relu, x), conv1, bn1, relu);
        for (String name : new String[] {"maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"}) {
            Module m = child(name);
            y = chain.next(y, m.forward(y), m);
        }
        return y.flatten();
    }

    @Override
    public Tensor forward(Tensor x) {
        Intermediates chain = new Intermediates(x); // one chain, so the features go back once fc has read them
        Tensor f = features(chain, x);
        Module fc = child("fc");
        return chain.next(f, fc.forward(f), fc);
    }

    @Override
    protected String describe() {
        return bottleneck ? "bottleneck" : "basic";
    }

    /** Two 3×3 convs with a residual connection (expansion 1). */
    public static final class BasicBlock extends Module implements Intermediates.Known {
        BasicBlock(int inplanes, int planes, int stride, Rng rng) {
            registerModule("conv1", conv(inplanes, planes, 3, stride, 1, rng));
            registerModule("bn1", BatchNorm.batchNorm2d(planes));
            registerModule("relu", Activation.relu());
            registerModule("conv2", conv(planes, planes, 3, 1, 1, rng));
            registerModule("bn2", BatchNorm.batchNorm2d(planes));
            if (stride != 1 || inplanes != planes) registerModule("downsample", downsample(inplanes, planes, stride, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Module conv1 = child("conv1"), bn1 = child("bn1"), relu = child("relu"), conv2 = child("conv2"), bn2 = child("bn2");
            Intermediates chain = new Intermediates(x);
            Tensor out = chain.next(x, ConvBatchNormFold.forward(conv1, bn1, relu, x), conv1, bn1, relu);
            out = chain.next(out, ConvBatchNormFold.forward(conv2, bn2, null, out), conv2, bn2);
            return closeResidual(chain, out, x, children().get("downsample"));
        }
    }

    /** 1×1 reduce, 3×3 (carrying the stride), 1×1 expand ×4, with a residual connection. */
    public static final class Bottleneck extends Module implements Intermediates.Known {
        Bottleneck(int inplanes, int planes, int stride, Rng rng) {
            registerModule("conv1", conv(inplanes, planes, 1, 1, 0, rng));
            registerModule("bn1", BatchNorm.batchNorm2d(planes));
            registerModule("conv2", conv(planes, planes, 3, stride, 1, rng));
            registerModule("bn2", BatchNorm.batchNorm2d(planes));
            registerModule("conv3", conv(planes, planes * 4, 1, 1, 0, rng));
            registerModule("bn3", BatchNorm.batchNorm2d(planes * 4));
            registerModule("relu", Activation.relu());
            if (stride != 1 || inplanes != planes * 4) registerModule("downsample", downsample(inplanes, planes * 4, stride, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Module relu = child("relu"), conv1 = child("conv1"), bn1 = child("bn1"), conv2 = child("conv2"), bn2 = child("bn2");
            Module conv3 = child("conv3"), bn3 = child("bn3");
            Intermediates chain = new Intermediates(x);
            Tensor out = chain.next(x, ConvBatchNormFold.forward(conv1, bn1, relu, x), conv1, bn1, relu);
            out = chain.next(out, ConvBatchNormFold.forward(conv2, bn2, relu, out), conv2, bn2, relu);
            out = chain.next(out, ConvBatchNormFold.forward(conv3, bn3, null, out), conv3, bn3);
            return closeResidual(chain, out, x, children().get("downsample"));
        }
    }

    /** {@code relu(out + shortcut(x))}, the shortcut being {@code downsample} or the identity (null). */
    private static Tensor closeResidual(Intermediates chain, Tensor out, Tensor x, Module downsample) {
        return downsample == null ? chain.addRelu(out, x) : chain.addRelu(out, downsample.forward(x), downsample);
    }

    private static Sequential downsample(int in, int out, int stride, Rng rng) {
        return new Sequential(conv(in, out, 1, stride, 0, rng), BatchNorm.batchNorm2d(out));
    }
}
