package io.descent.tensor;

import io.descent.kernels.Parallel;

/**
 * A small, seeded, reproducible random generator (SplitMix64 stream with a Box–Muller
 * Gaussian). Its whole state is one {@code long} plus the cached Gaussian, so a checkpoint
 * can save and restore it exactly ({@link #state()}, {@link #restore(long[])}).
 * Never shared implicitly: every op that draws randomness takes an {@code Rng}.
 *
 * <p>SplitMix64 is a counter: the k-th draw from now is {@code mix(state + k·γ)}. So
 * {@link #fillUniform} and {@link #fillNormal} fill a large array in parallel blocks, each
 * starting where the one-by-one stream would be, with the values (and the state after) of
 * drawing them one by one, whatever the thread count.
 */
public final class Rng {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** Draws per parallel block of a fill (even: a block holds whole Box–Muller pairs). */
    static final int BLOCK = 1 << 14;

    private long state;
    private boolean hasSpare;
    private double spare;

    public Rng(long seed) {
        this.state = seed;
    }

    /** Next 64 random bits (SplitMix64, Steele et al. 2014). */
    public long nextLong() {
        return mix(state += GAMMA);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The double of {@link #nextDouble()} for 64 drawn bits. */
    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return unit(nextLong());
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** A uniformly shuffled {@code 0..n-1} (Fisher–Yates, drawing {@code nextInt(i + 1)} for i = n−1 down to 1). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Standard normal sample (Box–Muller, the second value cached). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 <= 0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spare = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /**
     * {@code out[i] = (float) (low + (high − low)·u_i)} for the next {@code out.length} draws
     * {@code u_i} of {@link #nextDouble()}, in parallel blocks (see the class comment).
     */
    public void fillUniform(float[] out, double low, double high) {
        long base = state;
        Parallel.forRange(blocks(out.length), 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                long s = base + (long) b * BLOCK * GAMMA;
                for (int i = b * BLOCK, end = i + Math.min(BLOCK, out.length - i); i < end; i++) {
                    out[i] = (float) (low + (high - low) * unit(mix(s += GAMMA)));
                }
            }
        });
        state = base + out.length * GAMMA;
    }

    /**
     * {@code out[i] = (float) (mean + std·g_i)} for the next {@code out.length} values
     * {@code g_i} of {@link #nextGaussian()} (a cached spare first), leaving the spare of an odd
     * count cached as it would: in parallel blocks of whole Box–Muller pairs (see the class
     * comment). A pair whose first uniform is 0, which {@code nextGaussian} draws again (odds
     * 2⁻⁵³), makes the fill start over one value at a time, so the values are always the same.
     */
    public void fillNormal(float[] out, double mean, double std) {
        int first = 0;
        if (hasSpare && out.length > 0) out[first++] = (float) (mean + std * nextGaussian());
        int n = out.length - first, pairs = (n + 1) / 2, start = first;
        long base = state;
        boolean[] redraw = new boolean[1];
        Parallel.forRange(blocks(2L * pairs), 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                long s = base + (long) b * BLOCK * GAMMA;
                for (int p = b * (BLOCK / 2), end = Math.min(pairs, p + BLOCK / 2); p < end; p++) {
                    double u1 = unit(mix(s += GAMMA)), u2 = unit(mix(s += GAMMA));
                    if (u1 <= 0) {
                        redraw[0] = true;
                        return;
                    }
                    double r = Math.sqrt(-2.0 * Math.log(u1));
                    int i = start + 2 * p;
                    out[i] = (float) (mean + std * (r * Math.cos(2 * Math.PI * u2)));
                    if (i + 1 < out.length) out[i + 1] = (float) (mean + std * (r * Math.sin(2 * Math.PI * u2)));
                }
            }
        });
        if (redraw[0]) {
            for (int i = start; i < out.length; i++) out[i] = (float) (mean + std * nextGaussian());
            return;
        }
        state = base + 2L * pairs * GAMMA;
        if (n % 2 == 1) { // the last pair's second value stays cached, as nextGaussian leaves it
            long s = base + (2L * pairs - 2) * GAMMA;
            double u1 = unit(mix(s + GAMMA)), u2 = unit(mix(s + 2 * GAMMA));
            spare = Math.sqrt(-2.0 * Math.log(u1)) * Math.sin(2 * Math.PI * u2);
            hasSpare = true;
        }
    }

    private static int blocks(long draws) {
        return (int) ((draws + BLOCK - 1) / BLOCK);
    }

    /** An independent generator derived from this one (for workers, layers, data order). */
    public Rng fork() {
        return new Rng(nextLong());
    }

    /** The full state, for checkpoints. */
    public long[] state() {
        return new long[] {state, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spare)};
    }

    /** Restores a state produced by {@link #state()}. */
    public void restore(long[] s) {
        if (s == null || s.length != 3) throw new IllegalArgumentException("Rng.restore: expected 3 longs");
        state = s[0];
        hasSpare = s[1] != 0;
        spare = Double.longBitsToDouble(s[2]);
    }
}
