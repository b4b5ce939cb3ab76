package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NAdam, Adam with Nesterov momentum (Dozat, "Incorporating Nesterov Momentum into Adam",
 * ICLR 2016 workshop), with the momentum-decay schedule of PyTorch's {@code torch.optim.NAdam}:
 *
 * <pre>
 *   g ← ∇θ (+ weight_decay·θ)                (−∇θ when maximize)
 *   μ_t ← β1·(1 − ½·0.96^(t·ψ)),  μ_{t+1} likewise      (ψ = momentum_decay)
 *   Π ← Π·μ_t                                (mu_product, a float32 scalar as in PyTorch)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   d ← √(v / (1 − β2^t)) + eps
 *   θ ← θ − lr·(1 − μ_t)/(1 − Π)·g/d − lr·μ_{t+1}/(1 − Π·μ_{t+1})·m/d
 * </pre>
 *
 * <p>Defaults as PyTorch: lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
 * momentum_decay 4e-3. {@code maximize} is an addition (PyTorch 1.13's NAdam lacks it; later
 * releases add it with this meaning).
 */
public final class NAdam extends Optimizer {
    /** NAdam over one group with the given learning rate and PyTorch's other defaults. */
    public NAdam(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0.9, 0.999, 1e-8, 0, 4e-3, false);
    }

    /** NAdam over parameter groups: {@code NAdam(params, lr, betas=(beta1, beta2), eps, weight_decay, momentum_decay, maximize)}. */
    public NAdam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay, boolean maximize) {
        super("NAdam", options("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay,
                "momentum_decay", momentumDecay, "maximize", maximize), groups);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireAdamOptions(g);
        requireNonNegative(g, "momentum_decay");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        long t = state.nextStep();
        double beta1 = group.get("beta1"), beta2 = group.get("beta2"), lr = group.get("lr");
        double psi = group.get("momentum_decay");
        double bc2 = OptimMath.biasCorrection(beta2, t);
        float[] g = OptimMath.gradient(grad, p, group.get("weight_decay"), group.flag("maximize"));
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, t * psi));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (t + 1) * psi));
        if (!state.has("mu_product")) state.put("mu_product", Tensor.scalar(1f));
        float[] muProduct = state.get("mu_product").data();
        muProduct[0] = muProduct[0] * (float) mu;
        float muProductNext = muProduct[0] * (float) mu * (float) muNext;
        float[] m = state.buffer("exp_avg", param), v = state.buffer("exp_avg_sq", param);
        OptimMath.ema(m, g, beta1);
        OptimMath.emaSquare(v, g, beta2);
        float bc2f = (float) bc2, eps = (float) group.get("eps");
        float gradStep = (float) (-lr * (1. - mu) / (1. - muProduct[0]));
        float momentumStep = (float) (-lr * muNext / (1. - muProductNext));
        for (int i = 0; i < p.length; i++) {
            float denom = (float) Math.sqrt(v[i] / bc2f) + eps;
            p[i] = OptimMath.addQuotient(p[i], gradStep, g[i], denom);
            p[i] = OptimMath.addQuotient(p[i], momentumStep, m[i], denom);
        }
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "mu_product", "exp_avg", "exp_avg_sq");
    }

    @Override
    protected Set<String> scalarStateNames() {
        return Set.of("mu_product");
    }
}
