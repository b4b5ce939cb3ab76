package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdaGrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 2011): PyTorch's {@code torch.optim.Adagrad}.
 *
 * <pre>
 *   g ← ∇θ (+ weight_decay·θ)                (−∇θ when maximize)
 *   η_t ← lr / (1 + (t − 1)·lr_decay)
 *   s ← s + g²                               (sum, starting at initial_accumulator_value)
 *   θ ← θ − η_t·g / (√s + eps)
 * </pre>
 *
 * <p>Defaults as PyTorch: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
 * eps 1e-10. PyTorch creates {@code sum} for every parameter at construction; here it is
 * created (with the same value) at a parameter's first update, so frozen parameters take no
 * state. eps must be &gt; 0 (PyTorch allows 0, which divides 0 by 0 for a zero gradient).
 */
public final class Adagrad extends Optimizer {
    /** AdaGrad over one group with the given learning rate and PyTorch's other defaults. */
    public Adagrad(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0, 0, 0, 1e-10, false);
    }

    /** AdaGrad over parameter groups: {@code Adagrad(params, lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize)}. */
    public Adagrad(List<ParamGroup> groups, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, boolean maximize) {
        super("Adagrad", options("lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay,
                "initial_accumulator_value", initialAccumulatorValue, "eps", eps, "maximize", maximize), groups);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireNonNegative(g, "lr_decay");
        requireNonNegative(g, "weight_decay");
        requireNonNegative(g, "initial_accumulator_value");
        requirePositive(g, "eps");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        float[] sum = state.buffer("sum", param, (float) group.get("initial_accumulator_value"));
        long t = state.nextStep();
        float[] g = OptimMath.gradient(grad, p, group.get("weight_decay"), group.flag("maximize"));
        double clr = group.get("lr") / (1 + (t - 1) * group.get("lr_decay"));
        float step = (float) -clr, eps = (float) group.get("eps");
        for (int i = 0; i < p.length; i++) {
            sum[i] = OptimMath.addProduct(sum[i], 1f, g[i], g[i]);
            float std = (float) Math.sqrt(sum[i]) + eps;
            p[i] = OptimMath.addQuotient(p[i], step, g[i], std);
        }
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "sum");
    }
}
