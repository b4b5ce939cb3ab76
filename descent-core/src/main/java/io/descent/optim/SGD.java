package io.descent.optim;

import io.descent.kernels.OptimKernels;

import io.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight
 * decay: PyTorch's {@code torch.optim.SGD}.
 *
 * <pre>
 *   g ← ∇θ (+ weight_decay·θ)                         (−∇θ when maximize)
 *   v ← g                                  on the first update (momentum_buffer)
 *   v ← μ·v + (1 − dampening)·g            afterwards
 *   d ← g + μ·v  (nesterov)   or   d ← v
 *   θ ← θ − lr·d
 * </pre>
 *
 * <p>This is PyTorch's (and Sutskever et al. 2013's) form, where the learning rate
 * multiplies the buffer. The lecture's exponential-moving-average momentum
 * {@code v = β·v + (1−β)·g} is {@code dampening = β} with {@code momentum = β} (except for
 * the first update, where PyTorch starts the buffer at {@code g}, not at {@code (1−β)·g}).
 *
 * <p>Hyper-parameters ({@code lr}, {@code momentum}, {@code dampening},
 * {@code weight_decay}, {@code nesterov}, {@code maximize}) are validated: lr, momentum and
 * weight decay must be ≥ 0, dampening in [0, 1] (PyTorch does not bound it; a dampening
 * above 1 would reverse the gradient), Nesterov needs momentum &gt; 0 and zero dampening.
 */
public final class SGD extends Optimizer {
    /** SGD over one group with the given learning rate and PyTorch's other defaults. */
    public SGD(Map<String, Tensor> params, double lr) {
        this(single(params), lr, 0, 0, 0, false, false);
    }

    /** SGD over one group: {@code SGD(params, lr, momentum, dampening, weight_decay, nesterov)}. */
    public SGD(Map<String, Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(single(params), lr, momentum, dampening, weightDecay, nesterov, false);
    }

    /** SGD over parameter groups; the arguments are the defaults of groups that do not override them. */
    public SGD(List<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        super("SGD", options("lr", lr, "momentum", momentum, "dampening", dampening,
                "weight_decay", weightDecay, "nesterov", nesterov, "maximize", maximize), groups);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireNonNegative(g, "momentum");
        requireUnitClosed(g, "dampening");
        requireNonNegative(g, "weight_decay");
        if (g.flag("nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: nesterov requires momentum > 0 and dampening = 0, got momentum="
                    + g.get("momentum") + ", dampening=" + g.get("dampening"));
        }
    }

    @Override
    protected void update(ParamGroup group, Tensor param, float[] grad, ParamState state) {
        float[] p = param.data();
        float[] d = OptimMath.gradient(grad, p, group.get("weight_decay"), group.flag("maximize"));
        float step = (float) -group.get("lr");
        double momentum = group.get("momentum");
        if (momentum == 0) {
            OptimKernels.addScaled(p, step, d);
            return;
        }
        float mu = (float) momentum;
        boolean nesterov = group.flag("nesterov");
        if (!state.has("momentum_buffer")) {
            float[] buf = d.clone();
            state.put("momentum_buffer", Tensor.wrap(buf, param.shape()));
            if (nesterov) OptimKernels.nesterovStep(p, buf, d, mu, step);
            else OptimKernels.addScaled(p, step, buf);
            return;
        }
        float[] buf = state.get("momentum_buffer").data();
        float keep = (float) (1 - group.get("dampening"));
        // subnormal buffers are flushed: see OptimKernels
        if (nesterov) {
            OptimKernels.decay(buf, d, mu, keep);
            OptimKernels.nesterovStep(p, buf, d, mu, step);
        } else {
            OptimKernels.momentumStep(p, buf, d, mu, keep, step);
        }
    }

    @Override
    protected List<String> stateNames() {
        return List.of("momentum_buffer");
    }
}
