package io.descent.ops;

/** How a loss reduces its per-element values (PyTorch's {@code reduction} argument). */
public enum Reduction {
    NONE, MEAN, SUM;

    /** Parses PyTorch's spelling: "none", "mean", "sum". */
    public static Reduction parse(String s) {
        return switch (s) {
            case "none" -> NONE;
            case "mean" -> MEAN;
            case "sum" -> SUM;
            default -> throw new IllegalArgumentException("reduction must be one of none, mean, sum; got '" + s + "'");
        };
    }
}
