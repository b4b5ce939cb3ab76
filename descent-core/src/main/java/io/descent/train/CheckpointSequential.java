package io.descent.train;

import io.descent.nn.LayerFusion;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A model run as a chain of steps cut into {@code segments} contiguous segments, every one but
 * the last a gradient checkpoint ({@link GradientCheckpoint}); PyTorch's
 * {@code torch.utils.checkpoint.checkpoint_sequential}. The tape then holds the inputs of the
 * checkpointed segments plus, at any time, the activations of one segment (the last one's
 * after forward, each recomputed one's during backward): with n equal layers and s segments
 * about {@code s + n/s} layers' worth instead of {@code n}, least at {@code s ≈ √n}
 * (Chen et al., 2016, "Training Deep Nets with Sublinear Memory Cost").
 *
 * <p>The last segment runs normally, as in PyTorch: its activations are needed by the very
 * next thing backward does, so recomputing it would cost time and save nothing. Unlike
 * PyTorch, which gives the remainder of {@code n / s} to the last segment, segment lengths
 * differ by at most one step, so no segment's activations dominate the peak.
 *
 * <p>It stands in for the model under the same names ({@link CheckpointMirror}): the state_dict
 * of the result is the model's, key for key and tensor for tensor. Steps name modules by path
 * from the model ({@code "layer2.1"}) and are looked up when they run, so a head replaced
 * through the stand-in takes effect. {@link Checkpointing#checkpointSequential} builds the chain
 * of a Sequential, ResNet, VGG or autoencoder.
 */
public final class CheckpointSequential extends CheckpointMirror {
    /**
     * One link of the chain: the module at {@code path} (relative to the model), or a
     * parameter-free {@code function} between modules (e.g. the flatten before a classifier).
     */
    public record Step(String path, UnaryOperator<Tensor> function) {
        public Step {
            if ((path == null) == (function == null)) throw new IllegalArgumentException("CheckpointSequential.Step: give a module path or a function, not both or neither");
        }

        public static Step module(String path) {
            return new Step(Objects.requireNonNull(path, "path"), null);
        }

        public static Step function(UnaryOperator<Tensor> function) {
            return new Step(null, Objects.requireNonNull(function, "function"));
        }
    }

    private final List<Step> steps;
    private final int segments;
    private final int[] bounds;

    /**
     * @param model    the model the steps come from (its names are kept)
     * @param steps    what the model's forward does, in order
     * @param segments how many segments to cut the steps into, 1 (no checkpoint) to {@code steps.size()}
     */
    public CheckpointSequential(Module model, List<Step> steps, int segments) {
        super(model);
        if (model instanceof CheckpointSequential) throw new IllegalArgumentException("CheckpointSequential: the model is already a CheckpointSequential");
        if (steps.isEmpty()) throw new IllegalArgumentException("CheckpointSequential: no steps");
        if (segments < 1 || segments > steps.size()) {
            throw new IllegalArgumentException("CheckpointSequential: segments must be between 1 and the " + steps.size() + " steps, got " + segments);
        }
        for (Step s : steps) if (s.path() != null) get(s.path()); // refuses an unknown path now, naming it
        this.steps = List.copyOf(steps);
        this.segments = segments;
        this.bounds = new int[segments + 1];
        for (int k = 0; k <= segments; k++) bounds[k] = (int) ((long) k * steps.size() / segments);
    }

    public int segments() {
        return segments;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Index of the first step of segment {@code k}; {@code k == segments()} gives the number of steps. */
    public int segmentStart(int k) {
        return bounds[k];
    }

    @Override
    public Tensor forward(Tensor x) {
        // nothing to record: one chain, fused across the segment bounds exactly as the model it mirrors
        if (!GradientCheckpoint.records(modules(0, steps.size()), x)) return run(0, steps.size(), x);
        for (int k = 0; k + 1 < segments; k++) {
            int from = bounds[k], to = bounds[k + 1];
            x = GradientCheckpoint.apply(t -> run(from, to, t), modules(from, to), x);
        }
        return run(bounds[segments - 1], steps.size(), x);
    }

    /** Steps {@code [from, to)}; layers in the segment run fused as in {@link io.descent.nn.Sequential} ({@link LayerFusion}). */
    private Tensor run(int from, int to, Tensor x) {
        for (int i = from; i < to; i++) {
            Step s = steps.get(i);
            if (s.path() == null) {
                x = s.function().apply(x);
                continue;
            }
            LayerFusion.Step fused = LayerFusion.forward(get(s.path()), module(i + 1, to), i + 1 < to ? module(i + 2, to) : null, x);
            x = fused.output();
            i += fused.layers() - 1;
        }
        return x;
    }

    /** The module of step {@code i} when it is one and lies before {@code to}, else null. */
    private Module module(int i, int to) {
        return i < to && steps.get(i).path() != null ? get(steps.get(i).path()) : null;
    }

    private List<Module> modules(int from, int to) {
        List<Module> out = new ArrayList<>();
        for (int i = from; i < to; i++) if (steps.get(i).path() != null) out.add(get(steps.get(i).path()));
        return out;
    }

    @Override
    protected String describe() {
        return mirrored.getClass().getSimpleName() + ", steps=" + steps.size() + ", segments=" + segments;
    }
}
