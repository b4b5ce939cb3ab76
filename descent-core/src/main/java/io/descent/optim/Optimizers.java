package io.descent.optim;

import java.util.List;

/**
 * Optimizers by name (the CLI's {@code --optimizer}) with PyTorch's defaults for everything the
 * {@link Settings} leave unset.
 */
public final class Optimizers {
    public static final List<String> NAMES = List.of("sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam", "adamax", "adadelta");

    private Optimizers() {}

    /**
     * Common hyper-parameters; {@code null} means the optimizer's PyTorch default.
     *
     * @param momentum    SGD / RMSprop momentum
     * @param betas       Adam-family (β1, β2)
     * @param weightDecay L2 (decoupled for AdamW)
     * @param nesterov    SGD Nesterov momentum
     */
    public record Settings(double lr, Double momentum, double[] betas, Double weightDecay, Double eps, boolean nesterov) {
        public Settings {
            if (betas != null && betas.length != 2) throw new IllegalArgumentException("--betas takes two values, e.g. 0.9,0.999");
        }

        public static Settings lr(double lr) {
            return new Settings(lr, null, null, null, null, false);
        }
    }

    public static Optimizer create(String name, List<ParamGroup> groups, Settings s) {
        double wd = or(s.weightDecay(), 0.0);
        double b1 = s.betas() == null ? 0.9 : s.betas()[0], b2 = s.betas() == null ? 0.999 : s.betas()[1];
        return switch (name) {
            case "sgd" -> new SGD(groups, s.lr(), or(s.momentum(), 0.0), 0, wd, s.nesterov(), false);
            case "adagrad" -> new Adagrad(groups, s.lr(), 0, wd, 0, or(s.eps(), 1e-10), false);
            case "rmsprop" -> new RMSprop(groups, s.lr(), 0.99, or(s.eps(), 1e-8), wd, or(s.momentum(), 0.0), false, false);
            case "adam" -> new Adam(groups, s.lr(), b1, b2, or(s.eps(), 1e-8), wd, false, false);
            case "adamw" -> new AdamW(groups, s.lr(), b1, b2, or(s.eps(), 1e-8), or(s.weightDecay(), 1e-2), false, false);
            case "nadam" -> new NAdam(groups, s.lr(), b1, b2, or(s.eps(), 1e-8), wd, 4e-3, false);
            case "adamax" -> new Adamax(groups, s.lr(), b1, b2, or(s.eps(), 1e-8), wd, false);
            case "adadelta" -> new Adadelta(groups, s.lr(), 0.9, or(s.eps(), 1e-6), wd, false);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose one of " + String.join(", ", NAMES));
        };
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }
}
