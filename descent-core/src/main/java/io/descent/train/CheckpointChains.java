package io.descent.train;

import io.descent.models.Autoencoder;
import io.descent.models.ResNet;
import io.descent.models.VGG;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of the models that checkpointing can cut into segments, written as a flat
 * chain of module paths: one place that knows how ResNet, VGG and the autoencoders compose
 * their children. Residual blocks are links of the chain (a segment boundary never falls
 * inside a block, whose input feeds two branches). A test checks that every chain computes
 * exactly what the model's own forward does.
 */
final class CheckpointChains {
    private CheckpointChains() {}

    static List<CheckpointSequential.Step> of(Module model) {
        List<CheckpointSequential.Step> steps = new ArrayList<>();
        if (model instanceof ResNet) {
            for (String stem : List.of("conv1", "bn1", "relu", "maxpool")) steps.add(CheckpointSequential.Step.module(stem));
            for (int l = 1; l <= 4; l++) expand(model, "layer" + l, steps);
            steps.add(CheckpointSequential.Step.module("avgpool"));
            steps.add(CheckpointSequential.Step.function(Tensor::flatten));
            steps.add(CheckpointSequential.Step.module("fc"));
        } else if (model instanceof VGG) {
            expand(model, "features", steps);
            steps.add(CheckpointSequential.Step.module("avgpool"));
            steps.add(CheckpointSequential.Step.function(Tensor::flatten));
            expand(model, "classifier", steps);
        } else if (model instanceof Autoencoder) {
            expand(model, "encoder", steps);
            expand(model, "decoder", steps);
        } else if (model instanceof Sequential && runsChildrenInOrder(model)) {
            for (String name : model.children().keySet()) steps.add(CheckpointSequential.Step.module(name));
        } else {
            throw new IllegalArgumentException("checkpointSequential: cannot cut a " + model.getClass().getSimpleName()
                    + " into segments (supported: Sequential, ResNet, VGG, autoencoders); checkpoint its stages with Checkpointing.apply(model, paths)");
        }
        return steps;
    }

    /** The children of the module at {@code path} as links when it is a plain Sequential, else the module as one link. */
    private static void expand(Module model, String path, List<CheckpointSequential.Step> steps) {
        Module m = model.get(path);
        if (m instanceof Sequential && runsChildrenInOrder(m)) {
            for (String name : m.children().keySet()) steps.add(CheckpointSequential.Step.module(path + "." + name));
        } else {
            steps.add(CheckpointSequential.Step.module(path));
        }
    }

    /** A Sequential subclass with a forward of its own is not a chain of its children. */
    private static boolean runsChildrenInOrder(Module m) {
        try {
            return m.getClass().getMethod("forward", Tensor.class).getDeclaringClass() == Sequential.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
