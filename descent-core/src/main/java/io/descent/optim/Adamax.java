package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdaMax, Adam with the infinity norm (Kingma and Ba 2015, section 7.1): PyTorch's
 * {@code torch.optim.Adamax}.
 *
 * <pre>
 *   g ← ∇θ (+ weight_decay·θ)                (−∇θ when maximize)
 *   m ← β1·m + (1 − β1)·g                    (exp_avg)
 *   u ← max(β2·u, |g| + eps)                 (exp_inf)
 *   θ ← θ − (lr / (1 − β1^t))·m / u
 * </pre>
 *
 * <p>Defaults as PyTorch: lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.
 */
public final class Adamax extends Optimizer {
    /** AdaMax over one group with the given learning rate and PyTorch's other defaults. */
    public Adamax(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdaMax over parameter groups: {@code Adamax(params, lr, betas=(beta1, beta2), eps, weight_decay, maximize)}. */
    public Adamax(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize) {
        super("Adamax", options("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay,
                "maximize", maximize), groups);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAdamOptions(g);
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        long t = state.nextStep();
        float[] g = OptimMath.gradient(grad, p, group.get("weight_decay"), group.flag("maximize"));
        double beta1 = group.get("beta1");
        float[] m = state.buffer("exp_avg", param), u = state.buffer("exp_inf", param);
        OptimMath.ema(m, g, beta1);
        float b2 = (float) group.get("beta2"), eps = (float) group.get("eps");
        float step = (float) -(group.get("lr") / OptimMath.biasCorrection(beta1, t));
        for (int i = 0; i < p.length; i++) {
            u[i] = Math.max(u[i] * b2, Math.abs(g[i]) + eps);
            p[i] = OptimMath.addQuotient(p[i], step, m[i], u[i]);
        }
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "exp_avg", "exp_inf");
    }
}
