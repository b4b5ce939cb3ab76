package io.descent.data.transforms;

import io.descent.tensor.Rng;

/**
 * Gamma and Beta samples from an {@link Rng}, for mixup's and CutMix's {@code λ ~ Beta(α, α)}.
 * Gamma uses Marsaglia and Tsang's squeeze method (2000) for shape ≥ 1 and the boost
 * {@code Gamma(a) = Gamma(a + 1) · U^(1/a)} below 1, kept in log space so that the tiny values of
 * a small shape do not underflow; {@code Beta(a, b) = X / (X + Y)} with X, Y Gamma samples.
 */
public final class Distributions {
    private Distributions() {}

    /** A sample of Beta(a, b), a, b > 0. */
    public static double beta(Rng rng, double a, double b) {
        double logX = logGamma(rng, a), logY = logGamma(rng, b);
        return 1.0 / (1.0 + Math.exp(logY - logX));
    }

    /** A sample of Gamma(shape, 1), shape > 0. */
    public static double gamma(Rng rng, double shape) {
        return Math.exp(logGamma(rng, shape));
    }

    /** The logarithm of a Gamma(shape, 1) sample. */
    static double logGamma(Rng rng, double shape) {
        if (!(shape > 0) || !Double.isFinite(shape)) throw new IllegalArgumentException("gamma: shape must be positive and finite, got " + shape);
        if (shape < 1) {
            double u;
            do {
                u = rng.nextDouble();
            } while (u == 0);
            return logGamma(rng, shape + 1) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return Math.log(d * v);
            if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return Math.log(d * v);
        }
    }
}
