package io.descent.ops;

import io.descent.tensor.Tensor;

/** Element-wise math: pow, exp, log, sqrt, abs, clamp. */
public final class Unary {
    private Unary() {}

    /** {@code x^p} for a constant exponent p (p = 0 has a zero gradient everywhere, as in PyTorch). */
    public static Tensor pow(Tensor a, float p) {
        return new Pointwise("Pow", Pointwise.Saves.INPUT) {
            float f(float x) {
                return p == 2f ? x * x : (float) Math.pow(x, p);
            }

            float df(float x, float y) {
                if (p == 0f) return 0f; // 0·x^(−1) would be NaN at x = 0
                return p == 2f ? 2f * x : (float) (p * Math.pow(x, p - 1));
            }
        }.apply(a);
    }

    public static Tensor exp(Tensor a) {
        return new Pointwise("Exp", Pointwise.Saves.OUTPUT) {
            float f(float x) {
                return (float) Math.exp(x);
            }

            float df(float x, float y) {
                return y;
            }
        }.apply(a);
    }

    /** Natural logarithm. */
    public static Tensor log(Tensor a) {
        return new Pointwise("Log", Pointwise.Saves.INPUT) {
            float f(float x) {
                return (float) Math.log(x);
            }

            float df(float x, float y) {
                return 1f / x;
            }
        }.apply(a);
    }

    public static Tensor sqrt(Tensor a) {
        return new Pointwise("Sqrt", Pointwise.Saves.OUTPUT) {
            float f(float x) {
                return (float) Math.sqrt(x);
            }

            float df(float x, float y) {
                return 0.5f / y;
            }
        }.apply(a);
    }

    /** |x|; the gradient at 0 is 0, as in PyTorch. */
    public static Tensor abs(Tensor a) {
        return new Pointwise("Abs", Pointwise.Saves.INPUT) {
            float f(float x) {
                return Math.abs(x);
            }

            float df(float x, float y) {
                return Math.signum(x);
            }
        }.apply(a);
    }

    /**
     * Clamps into [min, max] (use ±Infinity for one-sided). The gradient flows where
     * {@code min <= x <= max}, as in PyTorch.
     */
    public static Tensor clamp(Tensor a, float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("clamp: need min <= max, got min=" + min + " max=" + max);
        }
        return new Pointwise("Clamp", Pointwise.Saves.INPUT) {
            float f(float x) {
                return Math.min(Math.max(x, min), max);
            }

            float df(float x, float y) {
                return x >= min && x <= max ? 1f : 0f;
            }
        }.apply(a);
    }
}
