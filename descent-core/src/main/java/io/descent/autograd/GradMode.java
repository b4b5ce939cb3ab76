package io.descent.autograd;

/**
 * Whether ops record the tape on this thread. {@code try (var ng = GradMode.noGrad()) { ... }}
 * turns recording off for evaluation and frozen backbones, and restores the previous mode
 * on close (scopes nest).
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Opens a scope with recording off. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Opens a scope with recording on (e.g. a recomputation inside a no-grad region). */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = on;
        return new Scope(cell, previous);
    }

    /** Restores the previous mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                cell[0] = previous;
                closed = true;
            }
        }
    }
}
