package io.descent.autograd;

import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.function.Function;

/**
 * Finite-difference gradient checking. The function's output is projected on fixed random
 * weights, {@code L = Σ wᵢ·outᵢ}, accumulated in double; the analytic gradient of L from
 * backward is compared with the central difference {@code (L(x+h) − L(x−h)) / 2h} for every
 * input element.
 */
public final class GradCheck {
    private GradCheck() {}

    /** The first mismatch found, or null when all gradients agree. */
    public record Mismatch(int input, int index, double analytic, double numeric) {
        @Override
        public String toString() {
            return "input " + input + " element " + index + ": analytic " + analytic + " vs numeric " + numeric;
        }
    }

    /**
     * Checks every input that requires grad. Tolerance: |a − n| ≤ atol + rtol·|n|.
     *
     * @return null when every element agrees, else the worst mismatch
     */
    public static Mismatch check(Function<Tensor[], Tensor> f, Tensor[] inputs, double h, double atol, double rtol) {
        Tensor probe;
        try (var g = GradMode.noGrad()) {
            probe = f.apply(inputs);
        }
        Rng rng = new Rng(1234);
        float[] w = new float[probe.numel()];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextDouble() * 2 - 1);
        for (Tensor t : inputs) if (t.requiresGrad()) t.zeroGrad();
        Tensor out = f.apply(inputs);
        out.backward(Tensor.wrap(w.clone(), out.shape()));

        Mismatch worst = null;
        double worstExcess = 0;
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            if (!t.requiresGrad()) continue;
            float[] x = t.data();
            float[] analytic = t.grad() == null ? new float[x.length] : t.grad().data();
            for (int i = 0; i < x.length; i++) {
                float orig = x[i];
                double step = h * Math.max(1, Math.abs(orig));
                x[i] = (float) (orig + step);
                double plus = project(f, inputs, w);
                x[i] = (float) (orig - step);
                double minus = project(f, inputs, w);
                x[i] = orig;
                double actualStep = ((double) (float) (orig + step) - (double) (float) (orig - step));
                double numeric = (plus - minus) / actualStep;
                double excess = Math.abs(analytic[i] - numeric) - (atol + rtol * Math.abs(numeric));
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = new Mismatch(k, i, analytic[i], numeric);
                }
            }
        }
        return worst;
    }

    /** Defaults suited to float32 ops of moderate curvature. */
    public static Mismatch check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, inputs, 1e-2, 2e-3, 2e-2);
    }

    private static double project(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] w) {
        try (var g = GradMode.noGrad()) {
            float[] y = f.apply(inputs).data();
            double s = 0;
            for (int i = 0; i < y.length; i++) s += (double) w[i] * y[i];
            return s;
        }
    }
}
