package io.descent.train;

import io.descent.autograd.Autograd;
import io.descent.autograd.GradMode;
import io.descent.autograd.Node;
import io.descent.nn.ConvBatchNormFold;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Gradient checkpointing of one segment (Chen et al., 2016, "Training Deep Nets with
 * Sublinear Memory Cost"; PyTorch's {@code torch.utils.checkpoint.checkpoint} in its
 * reentrant form): the segment runs without recording, the tape keeps only its input, and
 * backward runs the segment again with recording on and back-propagates through that copy.
 * Memory falls from every activation of the segment to its input, for one extra forward pass.
 *
 * <p>How the gradients flow. The one recorded node has a single edge, to the segment's input.
 * During backward it recomputes the segment from a detached copy of the saved input (a leaf
 * that requires grad exactly when the original input did) and calls backward on the
 * recomputed output with the incoming gradient. That inner traversal is a complete backward
 * pass of the segment: its parameters' {@code AccumulateGrad} sinks add into {@code .grad}
 * there and then, and the node returns only the input's gradient to the outer traversal.
 * Because the parameters are not edges of the node, the outer traversal never reaches them
 * from this node and cannot add their gradient a second time; a parameter that is also used
 * outside the segment (tied weights) gets the two contributions from the two traversals,
 * which add as they would without checkpointing. The node is recorded whenever the input or
 * any parameter of the segment requires grad, so the first segment of a network (whose input
 * is data) still reaches its parameters, where PyTorch's reentrant checkpoint would warn that
 * no input requires grad and drop them.
 *
 * <p>Replay: dropout generators and buffers are captured before the first run and restored
 * for the recomputation ({@link CheckpointReplay}), so the masks are the same and running
 * statistics move once. The modules' train/eval mode is not replayed: switching it between
 * forward and backward changes what the recomputation computes, as in PyTorch. Under no-grad
 * (evaluation) or when nothing requires grad, the segment simply runs.
 */
public final class GradientCheckpoint {
    private GradientCheckpoint() {}

    /**
     * Runs {@code segment} on {@code x} as a checkpoint. {@code modules} are the modules the
     * segment runs (with their descendants): their parameters decide whether anything needs
     * a gradient, their dropout generators and buffers are replayed.
     */
    public static Tensor apply(UnaryOperator<Tensor> segment, List<? extends Module> modules, Tensor x) {
        if (!records(modules, x)) return segment.apply(x);
        CheckpointReplay before = CheckpointReplay.capture(modules);
        Tensor out;
        // no folding of eval-mode batch norm either: the replay with gradients computes unfolded
        try (var off = GradMode.noGrad(); var same = ConvBatchNormFold.suspend()) {
            out = segment.apply(x);
        }
        // a fresh tensor object: the segment may return its input (identity, eval-mode dropout)
        return Autograd.record(out.detach(), new CheckpointBackward(segment, x, before));
    }

    /** Whether a segment running {@code modules} on {@code x} has a gradient to record, so that checkpointing it saves anything. */
    static boolean records(List<? extends Module> modules, Tensor x) {
        return GradMode.isEnabled() && (x.requiresGrad() || anyTrainable(modules));
    }

    private static boolean anyTrainable(List<? extends Module> modules) {
        for (Module m : modules) for (Tensor p : m.parameters()) if (p.requiresGrad()) return true;
        return false;
    }

    /** Keeps the segment's input and replay state; recomputes and back-propagates in backward. */
    private static final class CheckpointBackward extends Node {
        private UnaryOperator<Tensor> segment;
        private CheckpointReplay before;

        CheckpointBackward(UnaryOperator<Tensor> segment, Tensor x, CheckpointReplay before) {
            super(x);
            this.segment = segment;
            this.before = before;
            save(x.detach());
            account(before.bytes());
        }

        @Override
        public String name() {
            return "CheckpointBackward";
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            Tensor input = saved(0).detach().requiresGrad(needsGrad(0));
            CheckpointReplay now = before.current();
            Tensor out;
            before.restore();
            try (var on = GradMode.enableGrad()) {
                out = segment.apply(input);
            } finally {
                now.restore();
            }
            if (out.requiresGrad()) Autograd.backward(out, gradOutput, false);
            return new Tensor[] {needsGrad(0) ? input.grad() : null};
        }

        @Override
        protected void releaseExtra() {
            segment = null;
            before = null;
        }
    }
}
