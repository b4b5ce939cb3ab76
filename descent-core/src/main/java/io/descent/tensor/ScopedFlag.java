package io.descent.tensor;

/**
 * A per-thread switch set for the length of a try-with-resources scope:
 * {@code try (var s = FLAG.set(false)) { ... }} restores the value it found when closed (scopes
 * nest; closing twice restores once). Behind {@code GradMode.noGrad()} and
 * {@code Init.skipRandom()}.
 */
public final class ScopedFlag {
    private final ThreadLocal<boolean[]> cell;

    public ScopedFlag(boolean initial) {
        cell = ThreadLocal.withInitial(() -> new boolean[] {initial});
    }

    /** This thread's value. */
    public boolean get() {
        return cell.get()[0];
    }

    /** Sets this thread's value until the returned scope is closed. */
    public Scope set(boolean value) {
        boolean[] c = cell.get();
        Scope s = new Scope(c, c[0]);
        c[0] = value;
        return s;
    }

    /** Restores the value its {@link #set} found. */
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
