package io.descent.train;

import io.descent.models.ResNet;
import io.descent.models.VGG;
import io.descent.nn.Module;
import java.util.List;

/**
 * Puts gradient checkpointing into a model without changing a state_dict key: by segments of
 * the whole forward chain ({@link #checkpointSequential}, what {@code --checkpoint-segments S}
 * asks for), or by module path ({@link #apply}, e.g. the stages of a ResNet or VGG).
 * Gradients are those of the model without checkpointing; see {@link GradientCheckpoint}.
 */
public final class Checkpointing {
    private Checkpointing() {}

    /**
     * The model cut into {@code segments} segments, all but the last checkpointed (PyTorch's
     * {@code checkpoint_sequential}). The result shares the model's parameters, buffers and
     * names; train it in place of the model. Works for a Sequential (children in order), a
     * ResNet (stem, each residual block, pooling, head), a VGG (each feature layer, pooling,
     * each classifier layer) and the autoencoders. {@code segments == 1} checkpoints nothing.
     */
    public static CheckpointSequential checkpointSequential(Module model, int segments) {
        return new CheckpointSequential(model, CheckpointChains.of(model), segments);
    }

    /**
     * Replaces the module at each dotted path of {@code model} with a {@link Checkpointed}
     * wrapper of it, in place, and returns the model. State_dict keys stay the same. A path
     * already checkpointed is left as it is; the root itself ("") cannot be wrapped in place
     * (use {@code new Checkpointed(model)}).
     */
    public static Module apply(Module model, List<String> paths) {
        for (String path : paths) {
            if (path.isEmpty()) throw new IllegalArgumentException("Checkpointing.apply: the root cannot be replaced in place; wrap it with new Checkpointed(model)");
            Module m = model.get(path);
            if (!(m instanceof Checkpointed)) model.set(path, new Checkpointed(m));
        }
        return model;
    }

    /**
     * What {@code --checkpoint-segments S} asks of a model: cut into S segments where its forward
     * pass is a chain ({@link #checkpointSequential}), else — a detector, whose neck reads four
     * stages' outputs — its {@link #stages} checkpointed in place. S ≤ 1 leaves it as it is.
     */
    public static Module checkpoint(Module model, int segments) {
        if (segments <= 1) return model;
        if (model instanceof io.descent.models.CenterNet) return apply(model, stages(model));
        return checkpointSequential(model, segments);
    }

    /** The stage paths worth checkpointing: a ResNet's (or a CenterNet's backbone's) layer1..layer4, a VGG's features and classifier. */
    public static List<String> stages(Module model) {
        if (model instanceof ResNet || model instanceof io.descent.models.CenterNet) return List.of("layer1", "layer2", "layer3", "layer4");
        if (model instanceof VGG) return List.of("features", "classifier");
        throw new IllegalArgumentException("Checkpointing.stages: no known stages for a " + model.getClass().getSimpleName() + " (known: ResNet, VGG, CenterNet)");
    }
}
