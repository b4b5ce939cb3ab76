package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdaDelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012): PyTorch's
 * {@code torch.optim.Adadelta}, with PyTorch's extra {@code lr} scaling of the update.
 *
 * <pre>
 *   g ← ∇θ (+ weight_decay·θ)                (−∇θ when maximize)
 *   v ← ρ·v + (1 − ρ)·g²                     (square_avg)
 *   Δ ← √(u + eps) / √(v + eps) · g
 *   u ← ρ·u + (1 − ρ)·Δ²                     (acc_delta)
 *   θ ← θ − lr·Δ
 * </pre>
 *
 * <p>Defaults as PyTorch: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0; rho in [0, 1], eps &gt; 0.
 */
public final class Adadelta extends Optimizer {
    /** AdaDelta over one group with PyTorch's defaults (lr 1.0). */
    public Adadelta(Map<String, Tensor> params) {
        this(params, 1.0);
    }

    /** AdaDelta over one group with the given learning rate and PyTorch's other defaults. */
    public Adadelta(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0.9, 1e-6, 0, false);
    }

    /** AdaDelta over parameter groups: {@code Adadelta(params, lr, rho, eps, weight_decay, maximize)}. */
    public Adadelta(List<ParamGroup> groups, double lr, double rho, double eps, double weightDecay, boolean maximize) {
        super("Adadelta", options("lr", lr, "rho", rho, "eps", eps, "weight_decay", weightDecay, "maximize", maximize), groups);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireUnitClosed(g, "rho");
        requirePositive(g, "eps");
        requireNonNegative(g, "weight_decay");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        state.nextStep();
        float[] g = OptimMath.gradient(grad, p, group.get("weight_decay"), group.flag("maximize"));
        double rho = group.get("rho");
        float[] v = state.buffer("square_avg", param), u = state.buffer("acc_delta", param);
        OptimMath.emaSquare(v, g, rho);
        float eps = (float) group.get("eps"), r = (float) rho, keep = (float) (1 - rho), lr = (float) -group.get("lr");
        for (int i = 0; i < p.length; i++) {
            float std = (float) Math.sqrt(v[i] + eps);
            float delta = (float) Math.sqrt(u[i] + eps) / std * g[i];
            u[i] = OptimMath.addProduct(u[i] * r, keep, delta, delta);
            p[i] = OptimMath.addScaled(p[i], lr, delta);
        }
    }

    @Override
    protected List<String> stateNames() {
        return List.of("step", "square_avg", "acc_delta");
    }
}
