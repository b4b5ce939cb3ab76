package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSProp (Hinton, Coursera lecture 6e, 2012; the centered variant of Graves, "Generating
 * Sequences With Recurrent Neural Networks", 2013): PyTorch's {@code torch.optim.RMSprop}.
 *
 * <pre>
 *   g ← ∇θ (+ weight_decay·θ)                (−∇θ when maximize)
 *   v ← α·v + (1 − α)·g²                     (square_avg)
 *   centered:  ḡ ← α·ḡ + (1 − α)·g  (grad_avg),   a ← √(v − ḡ²) + eps
 *   otherwise: a ← √v + eps
 *   momentum &gt; 0:  b ← μ·b + g / a  (momentum_buffer),   θ ← θ − lr·b
 *   otherwise:     θ ← θ − lr·g / a
 * </pre>
 *
 * <p>Defaults as PyTorch: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0,
 * centered false. alpha must be in [0, 1) and eps &gt; 0 (PyTorch accepts any alpha ≥ 0 and
 * eps ≥ 0; alpha ≥ 1 never accumulates, eps = 0 divides by zero).
 */
public final class RMSprop extends Optimizer {
    /** RMSprop over one group with the given learning rate and PyTorch's other defaults. */
    public RMSprop(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0.99, 1e-8, 0, 0, false, false);
    }

    /** RMSprop over parameter groups: {@code RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered, maximize)}. */
    public RMSprop(List<ParamGroup> groups, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered, boolean maximize) {
        super("RMSprop", options("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay,
                "momentum", momentum, "centered", centered, "maximize", maximize), groups);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireUnitOpen(g, "alpha");
        requirePositive(g, "eps");
        requireNonNegative(g, "weight_decay");
        requireNonNegative(g, "momentum");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        state.nextStep();
        float[] g = OptimMath.gradient(grad, p, group.get("weight_decay"), group.flag("maximize"));
        double alpha = group.get("alpha");
        float[] sq = state.buffer("square_avg", param);
        OptimMath.emaSquare(sq, g, alpha);
        float eps = (float) group.get("eps"), lr = (float) -group.get("lr");
        float[] ga = group.flag("centered") ? state.buffer("grad_avg", param) : null;
        if (ga != null) OptimMath.ema(ga, g, alpha);
        double momentum = group.get("momentum");
        float[] buf = momentum > 0 ? state.buffer("momentum_buffer", param) : null;
        float mu = (float) momentum;
        for (int i = 0; i < p.length; i++) {
            float avg = (float) Math.sqrt(ga == null ? sq[i] : OptimMath.addProduct(sq[i], -1f, ga[i], ga[i])) + eps;
            if (buf != null) {
                buf[i] = OptimMath.addQuotient(buf[i] * mu, 1f, g[i], avg);
                p[i] = OptimMath.addScaled(p[i], lr, buf[i]);
            } else {
                p[i] = OptimMath.addQuotient(p[i], lr, g[i], avg);
            }
        }
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "square_avg", "momentum_buffer", "grad_avg");
    }
}
