package io.descent.optim;

import io.descent.kernels.OptimKernels;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) with the
 * AMSGrad variant (Reddi, Kale and Kumar, "On the Convergence of Adam and Beyond", ICLR
 * 2018): PyTorch's {@code torch.optim.Adam}.
 *
 * <pre>
 *   g ← ∇θ                                   (−∇θ when maximize)
 *   g ← g + weight_decay·θ                   (L2, "coupled": {@link #decay}; AdamW replaces this piece)
 *   m ← β1·m + (1 − β1)·g                    (exp_avg)
 *   v ← β2·v + (1 − β2)·g²                   (exp_avg_sq)
 *   v̂ ← max(v̂, v)                            (max_exp_avg_sq, AMSGrad only; v̂ replaces v below)
 *   θ ← θ − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + eps)
 * </pre>
 *
 * <p>The last line is in the order of PyTorch 1.13's {@code _single_tensor_adam}:
 * {@code denom = (exp_avg_sq.sqrt() / sqrt(bias_correction2)).add_(eps)},
 * {@code param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)}.
 * Defaults as PyTorch: lr 1e-3, betas (0.9, 0.999) stored as {@code beta1}, {@code beta2},
 * eps 1e-8, weight_decay 0, amsgrad false. The betas must lie in [0, 1), eps &gt; 0.
 */
public sealed class Adam extends Optimizer permits AdamW {
    /** Adam over one group with the given learning rate and PyTorch's other defaults. */
    public Adam(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0.9, 0.999, 1e-8, 0, false, false);
    }

    /** Adam over parameter groups: {@code Adam(params, lr, betas=(beta1, beta2), eps, weight_decay, amsgrad, maximize)}. */
    public Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        this("Adam", groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    Adam(String name, List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        super(name, options("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay,
                "amsgrad", amsgrad, "maximize", maximize), groups);
    }

    @Override
    protected final void validate(ParamGroup g) {
        requireAdamOptions(g);
    }

    /**
     * The weight-decay piece, applied before the moments: Adam adds {@code weight_decay·θ} to
     * the gradient (L2 regularisation, which the adaptive denominator then rescales).
     * Returns the gradient the moments follow.
     */
    protected float[] decay(ParamGroup group, float[] param, float[] grad) {
        return OptimMath.gradient(grad, param, group.get("weight_decay"), false);
    }

    @Override
    protected final void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        float[] g = OptimMath.gradient(grad, p, 0, group.flag("maximize"));
        long t = state.nextStep();
        g = decay(group, p, g);
        double beta1 = group.get("beta1"), beta2 = group.get("beta2");
        float[] m = state.buffer("exp_avg", param), v = state.buffer("exp_avg_sq", param);
        OptimMath.ema(m, g, beta1);
        OptimMath.emaSquare(v, g, beta2);
        float[] second = v;
        if (group.flag("amsgrad")) {
            second = state.buffer("max_exp_avg_sq", param);
            for (int i = 0; i < second.length; i++) second[i] = Math.max(second[i], v[i]);
        }
        double stepSize = group.get("lr") / OptimMath.biasCorrection(beta1, t);
        float bc2Sqrt = (float) Math.sqrt(OptimMath.biasCorrection(beta2, t));
        float eps = (float) group.get("eps"), step = (float) -stepSize;
        OptimKernels.adamStep(p, m, second, step, bc2Sqrt, eps); // addcdiv(m, sqrt(v)/bc2 + eps, value=step)
    }

    @Override
    protected final List<String> stateNames() {
        return List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");
    }
}
