package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.kernels.Parallel;
import io.descent.kernels.VectorOps;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Tensor;

/** relu, leaky_relu, gelu (exact and tanh), sigmoid, tanh. */
public final class Activations {
    /** Elements per chunk below which an element-wise loop stays on one thread (~10 µs of memory traffic). */
    private static final int ELEMENTWISE_GRAIN = 1 << 15;

    private Activations() {}

    /** max(x, 0); backward from the saved output (vectorized). */
    public static Tensor relu(Tensor a) {
        float[] y = BufferPool.take(a.numel()), x = a.data(); // every element is written
        Parallel.forRange(y.length, ELEMENTWISE_GRAIN, (from, to) -> VectorOps.relu(x, y, from, to));
        Tensor out = Tensor.wrap(y, a.shape());
        if (!Autograd.needsGrad(a)) return out;
        return Autograd.record(out, new ReluBackward("ReluBackward", out, a));
    }

    /** {@code y = max(y, 0)} in place: the ReLU of an op fused with it (see {@link MatMul#linearRelu}, {@link Conv#conv2dRelu}). */
    static void reluInPlace(float[] y) {
        Parallel.forRange(y.length, ELEMENTWISE_GRAIN, (from, to) -> VectorOps.relu(y, y, from, to));
    }

    /** The gradient before a ReLU whose output is {@code y}: {@code g} where y > 0, else 0 (a {@link Tensor#recyclable} tensor). */
    static Tensor reluGrad(Tensor y, Tensor g) {
        Tensor out = Tensor.recyclable(g.shape());
        float[] ys = y.data(), gs = g.data(), gx = out.data();
        Parallel.forRange(gx.length, ELEMENTWISE_GRAIN, (from, to) -> VectorOps.reluBackward(ys, gs, gx, from, to));
        return out;
    }

    /** x for x > 0, else slope·x (PyTorch default slope 0.01). */
    public static Tensor leakyRelu(Tensor a, float slope) {
        return new Pointwise("LeakyRelu", Pointwise.Saves.INPUT) {
            float f(float x) {
                return x > 0 ? x : slope * x;
            }

            float df(float x, float y) {
                return x > 0 ? 1f : slope;
            }
        }.apply(a);
    }

    /** Exact GELU: x·Φ(x) (PyTorch's default, approximate='none'). */
    public static Tensor gelu(Tensor a) {
        return new Pointwise("Gelu", Pointwise.Saves.INPUT) {
            float f(float x) {
                return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
            }

            float df(float x, float y) {
                double cdf = 0.5 * (1 + erf(x / Math.sqrt(2)));
                double pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
                return (float) (cdf + x * pdf);
            }
        }.apply(a);
    }

    /** GELU with the tanh approximation (PyTorch's approximate='tanh'). */
    public static Tensor geluTanh(Tensor a) {
        final double k = Math.sqrt(2 / Math.PI);
        return new Pointwise("GeluTanh", Pointwise.Saves.INPUT) {
            float f(float x) {
                return (float) (0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x * x * x))));
            }

            float df(float x, float y) {
                double u = k * (x + 0.044715 * x * x * x);
                double t = Math.tanh(u);
                double du = k * (1 + 3 * 0.044715 * x * x);
                return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du);
            }
        }.apply(a);
    }

    public static Tensor sigmoid(Tensor a) {
        return new Pointwise("Sigmoid", Pointwise.Saves.OUTPUT) {
            float f(float x) {
                return (float) (1 / (1 + Math.exp(-x)));
            }

            float df(float x, float y) {
                return y * (1 - y);
            }
        }.apply(a);
    }

    public static Tensor tanh(Tensor a) {
        return new Pointwise("Tanh", Pointwise.Saves.OUTPUT) {
            float f(float x) {
                return (float) Math.tanh(x);
            }

            float df(float x, float y) {
                return 1 - y * y;
            }
        }.apply(a);
    }

    /**
     * The error function, to about 1e-15 relative: a Taylor series near 0 and a continued
     * fraction for erfc beyond (Numerical Recipes, 3rd ed., §6.2 forms).
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else if (ax > 6) {
            r = 1;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz not needed: fixed depth)
            double f = ax;
            for (int k = 60; k >= 1; k--) f = ax + (k / 2.0) / f;
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
