package io.descent.nn.init;

import io.descent.tensor.Rng;
import io.descent.tensor.ScopedFlag;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * Weight initialisation with PyTorch's formulas ({@code torch.nn.init}). Fans follow
 * {@code _calculate_fan_in_and_fan_out}: for a weight [d0, d1, k...], fan_in = d1·∏k and
 * fan_out = d0·∏k. Every method fills the tensor in place (no autograd) and returns it.
 *
 * <p>Layers constructed without an explicit {@link Rng} draw from {@link #generator()}, a
 * per-thread generator that {@link #manualSeed} reseeds (PyTorch's {@code torch.manual_seed}).
 *
 * <p>Inside {@link #skipRandom()} the random fills leave their tensors as they are and draw
 * nothing: for building a model whose every value a weights file is about to overwrite
 * (vgg16's 138M normal draws are ~3 s of a one-image {@code descent infer}).
 */
public final class Init {
    public enum FanMode { FAN_IN, FAN_OUT }

    public enum Nonlinearity { LINEAR, RELU, LEAKY_RELU, TANH, SIGMOID }

    private static final ThreadLocal<Rng> DEFAULT = ThreadLocal.withInitial(() -> new Rng(0));
    private static final ScopedFlag SKIP_RANDOM = new ScopedFlag(false);

    private Init() {}

    /** The default generator of this thread (seed 0 until {@link #manualSeed}). */
    public static Rng generator() {
        return DEFAULT.get();
    }

    /** Reseeds this thread's default generator. */
    public static void manualSeed(long seed) {
        DEFAULT.set(new Rng(seed));
    }

    /**
     * Opens a scope (this thread, until closed; scopes nest) in which {@link #uniform} and
     * {@link #normal}, and so every random initialiser, neither fill nor draw: PyTorch's
     * {@code torch.nn.utils.skip_init}. Constant fills still run. Only for modules whose values
     * are all loaded or replaced afterwards ({@code Models.load}; {@code descent finetune}, whose
     * new head is built outside the scope).
     */
    public static ScopedFlag.Scope skipRandom() {
        return SKIP_RANDOM.set(true);
    }

    public static int fanIn(Tensor w) {
        return fans(w)[0];
    }

    public static int fanOut(Tensor w) {
        return fans(w)[1];
    }

    private static int[] fans(Tensor w) {
        int[] s = w.shape();
        if (s.length < 2) throw new IllegalArgumentException("init: fan in and fan out need at least 2 dimensions, got " + Shape.str(s));
        int field = 1;
        for (int i = 2; i < s.length; i++) field *= s[i];
        return new int[] {s[1] * field, s[0] * field};
    }

    /** PyTorch's {@code calculate_gain}. */
    public static double gain(Nonlinearity n, double param) {
        return switch (n) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + param * param));
        };
    }

    public static Tensor uniform(Tensor t, double low, double high, Rng rng) {
        if (!(low <= high)) throw new IllegalArgumentException("uniform: need low <= high, got " + low + ", " + high);
        if (SKIP_RANDOM.get()) return t;
        rng.fillUniform(t.data(), low, high);
        return t;
    }

    public static Tensor normal(Tensor t, double mean, double std, Rng rng) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        if (SKIP_RANDOM.get()) return t;
        rng.fillNormal(t.data(), mean, std);
        return t;
    }

    public static Tensor constant(Tensor t, float value) {
        java.util.Arrays.fill(t.data(), value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0f);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1f);
    }

    /** Glorot & Bengio (2010): U(−a, a), a = gain·sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Rng rng) {
        double a = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -a, a, rng);
    }

    /** Glorot & Bengio (2010): N(0, std²), std = gain·sqrt(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Rng rng) {
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), rng);
    }

    /** He et al. (2015): U(−b, b), b = gain·sqrt(3 / fan); {@code a} is the leaky-ReLU slope. */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity n, Rng rng) {
        double std = gain(n, a) / Math.sqrt(mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t));
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, rng);
    }

    /** He et al. (2015): N(0, std²), std = gain / sqrt(fan). */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity n, Rng rng) {
        return normal(t, 0, gain(n, a) / Math.sqrt(mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t)), rng);
    }

    /**
     * The default of PyTorch's Linear and Conv layers: weight kaiming_uniform(a=√5), i.e.
     * U(±1/√fan_in), and bias U(±1/√fan_in).
     */
    public static void pytorchDefault(Tensor weight, Tensor bias, Rng rng) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, rng);
        if (bias != null) {
            int fan = fanIn(weight);
            double bound = fan > 0 ? 1 / Math.sqrt(fan) : 0;
            uniform(bias, -bound, bound, rng);
        }
    }
}
