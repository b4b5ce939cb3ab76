package io.descent.nn;

import io.descent.nn.init.Init;
import io.descent.ops.MatMul;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/** {@code y = x·Wᵀ + b}, weight [out, in] (PyTorch's nn.Linear, same default init). */
public class Linear extends Module implements FusesRelu {
    public final int inFeatures, outFeatures;
    public final Tensor weight, bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.generator());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be positive, got " + inFeatures + ", " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.pytorchDefault(weight, this.bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return MatMul.linear(x, weight, bias);
    }

    @Override
    public Tensor forwardRelu(Tensor x) {
        return MatMul.linearRelu(x, weight, bias);
    }

    @Override
    public boolean fusesRelu() {
        return getClass() == Linear.class;
    }

    @Override
    protected String describe() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}
