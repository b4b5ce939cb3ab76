package io.descent.train;

import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.List;

/**
 * A module run as one gradient checkpoint ({@link GradientCheckpoint}): its activations are not kept
 * for backward, only its input, and backward runs it again. Typical use is a stage of a
 * network, e.g. a ResNet's {@code layer3} or a VGG's {@code features}
 * ({@link Checkpointing#apply(Module, java.util.List)} does the replacement by path).
 *
 * <p>The wrapper is transparent in naming: it shares the wrapped module's own parameters,
 * buffers and children under the same names ({@link CheckpointMirror}), so the model's
 * state_dict keys are the same with and without it ({@code layer3.0.conv1.weight}, not
 * {@code layer3.module.0.conv1.weight}). Tree walks such as {@code namedModules()} see the
 * wrapper at the wrapped module's path; {@link #module()} gives the wrapped module.
 */
public final class Checkpointed extends CheckpointMirror {
    public Checkpointed(Module module) {
        super(requireUnwrapped(module));
    }

    private static Module requireUnwrapped(Module module) {
        if (module == null) throw new IllegalArgumentException("Checkpointed: module must not be null");
        if (module instanceof Checkpointed) throw new IllegalArgumentException("Checkpointed: the module is already checkpointed");
        return module;
    }

    /** The module that runs inside the checkpoint. */
    public Module module() {
        return mirrored;
    }

    @Override
    public Tensor forward(Tensor x) {
        syncChildren();
        return GradientCheckpoint.apply(mirrored::forward, List.of(mirrored), x);
    }

    @Override
    protected String describe() {
        return "checkpointed " + mirrored.getClass().getSimpleName();
    }
}
