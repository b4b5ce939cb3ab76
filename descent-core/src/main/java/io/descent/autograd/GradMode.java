package io.descent.autograd;

import io.descent.tensor.ScopedFlag;

/**
 * Whether ops record the tape on this thread. {@code try (var ng = GradMode.noGrad()) { ... }}
 * turns recording off for evaluation and frozen backbones, and restores the previous mode
 * on close (scopes nest).
 */
public final class GradMode {
    private static final ScopedFlag ENABLED = new ScopedFlag(true);

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Opens a scope with recording off. */
    public static ScopedFlag.Scope noGrad() {
        return ENABLED.set(false);
    }

    /** Opens a scope with recording on (e.g. a recomputation inside a no-grad region). */
    public static ScopedFlag.Scope enableGrad() {
        return ENABLED.set(true);
    }
}
