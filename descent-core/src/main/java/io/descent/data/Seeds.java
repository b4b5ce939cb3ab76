package io.descent.data;

/**
 * Derives independent seeds from a base seed and a path of keys, so that every random choice
 * of the data pipeline is a pure function of (seed, stream, epoch, index) and never of thread
 * scheduling or of how many draws came before. Each key goes through the SplitMix64 finaliser,
 * so nearby keys (index 7 and 8, epoch 0 and 1) give unrelated streams.
 */
public final class Seeds {
    /** Stream of the per-epoch permutation. */
    public static final long ORDER = 0x4F52444552L;
    /** Stream of per-example transforms. */
    public static final long EXAMPLE = 0x4558414D504CL;
    /** Stream of batch transforms (mixup, CutMix). */
    public static final long BATCH = 0x4241544348L;

    private Seeds() {}

    /** A seed for the stream {@code seed → keys[0] → keys[1] → ...}; order of keys matters. */
    public static long derive(long seed, long... keys) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long k : keys) h = mix(h + 0x9E3779B97F4A7C15L * (mix(k) | 1));
        return h;
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijection with full avalanche. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
