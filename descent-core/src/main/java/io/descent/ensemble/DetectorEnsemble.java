package io.descent.ensemble;

import io.descent.nn.Module;
import io.descent.ops.ShapeOps;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * An ensemble of CenterNet detectors ({@link io.descent.models.CenterNet}) that is one itself:
 * {@code forward} averages the members' heatmap probabilities (and returns their logit, so the
 * loss and the decoder read it as any CenterNet output) and their size and offset maps — how
 * CenterNet's own test-time averaging (its flip test) merges two outputs. The members must
 * give maps of one shape [N, C + 4, H, W] for {@code classes} = C. Members are children
 * {@code "0"}, {@code "1"}, ...; built from differentiable ops.
 */
public final class DetectorEnsemble extends Module {
    /** The averaged probabilities stay inside (ε, 1 − ε) so that their logit is finite. */
    private static final float EPS = 1e-6f;

    private final int members, classes;

    public DetectorEnsemble(List<? extends Module> models, int classes) {
        if (models.isEmpty()) throw new IllegalArgumentException("DetectorEnsemble: needs at least one member");
        if (classes < 1) throw new IllegalArgumentException("DetectorEnsemble: classes must be positive, got " + classes);
        this.members = models.size();
        this.classes = classes;
        for (int i = 0; i < members; i++) registerModule(Integer.toString(i), models.get(i));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor probs = null, maps = null;
        int[] shape = null;
        for (int i = 0; i < members; i++) {
            Tensor out = child(Integer.toString(i)).forward(x);
            if (out.dim() != 4 || out.size(1) != classes + 4) {
                throw new IllegalArgumentException("DetectorEnsemble: member " + i + " gave " + Shape.str(out.shape()) + ", expected [N, " + classes + " + 4, H, W]");
            }
            if (shape == null) shape = out.shape();
            else if (!Arrays.equals(shape, out.shape())) {
                throw new IllegalArgumentException("DetectorEnsemble: member " + i + " gave " + Shape.str(out.shape()) + ", member 0 " + Shape.str(shape));
            }
            Tensor p = ShapeOps.slice(out, 1, 0, classes, 1).sigmoid(), r = ShapeOps.slice(out, 1, classes, classes + 4, 1);
            probs = probs == null ? p : probs.add(p);
            maps = maps == null ? r : maps.add(r);
        }
        Tensor mean = probs.mul(1f / members).clamp(EPS, 1 - EPS);
        Tensor logit = mean.log().sub(mean.neg().add(1f).log()); // log(p / (1 − p))
        return ShapeOps.concat(1, logit, maps.mul(1f / members));
    }

    @Override
    protected String describe() {
        return members + " members, " + classes + " classes";
    }
}
