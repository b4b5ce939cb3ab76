package io.descent.tensor;

/**
 * A small, seeded, reproducible random generator (SplitMix64 stream with a Box–Muller
 * Gaussian). Its whole state is one {@code long} plus the cached Gaussian, so a checkpoint
 * can save and restore it exactly ({@link #state()}, {@link #restore(long[])}).
 * Never shared implicitly: every op that draws randomness takes an {@code Rng}.
 */
public final class Rng {
    private long state;
    private boolean hasSpare;
    private double spare;

    public Rng(long seed) {
        this.state = seed;
    }

    /** Next 64 random bits (SplitMix64, Steele et al. 2014). */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
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
