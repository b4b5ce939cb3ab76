package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019):
 * PyTorch's {@code torch.optim.AdamW}. It is {@link Adam} with one piece replaced: the
 * weight decay is decoupled from the gradient, {@code θ ← θ·(1 − lr·λ)} before the
 * adaptive step ({@link OptimMath#decoupledDecay}), instead of {@code g + λ·θ} entering
 * the moments. Everything else (moments, bias correction, AMSGrad) is Adam's.
 *
 * <p>Defaults as PyTorch: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2,
 * amsgrad false.
 */
public final class AdamW extends Adam {
    /** AdamW over one group with the given learning rate and PyTorch's other defaults (weight_decay 1e-2). */
    public AdamW(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    /** AdamW over parameter groups: {@code AdamW(params, lr, betas=(beta1, beta2), eps, weight_decay, amsgrad, maximize)}. */
    public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        super("AdamW", groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** Decoupled decay: shrinks the parameter, leaves the gradient as it is. */
    @Override
    protected float[] decay(ParamGroup group, float[] param, float[] grad) {
        OptimMath.decoupledDecay(param, group.get("lr"), group.get("weight_decay"));
        return grad;
    }
}
