package io.descent.kernels;

/**
 * The sum of per-chunk partial results (a weight gradient summed by several threads over their
 * images or tiles), added into the first partial in chunk order. The elements are shared out
 * between the threads, and each element still receives the partials one after the other in
 * chunk order, so the sum is the same bits on any number of threads. Added by the calling
 * thread alone, this sum was serial work growing with the thread count (on 16 threads, 15
 * passes over each weight gradient per layer).
 */
final class Partials {
    /** Fewest elements a thread takes (a few µs of adds). */
    private static final int GRAIN = 1 << 14;

    private Partials() {}

    /** {@code partials[0][i] += partials[1][i] + ...} (in that order) for i in [0, n); null partials are skipped. */
    static void sumIntoFirst(float[][] partials, int n) {
        float[] dst = partials[0];
        Parallel.forRange(n, GRAIN, (from, to) -> {
            for (int p = 1; p < partials.length; p++) if (partials[p] != null) VectorOps.addInto(dst, partials[p], from, to);
        });
    }
}
