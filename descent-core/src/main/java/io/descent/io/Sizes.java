package io.descent.io;

import java.util.Arrays;

/**
 * Overflow-safe size arithmetic for shapes a file declares: element counts are checked against
 * the largest Java array before anything is multiplied out, so a declared shape such as
 * {@code [2^31, 2^31]} is refused instead of wrapping around or reaching an allocation.
 */
final class Sizes {
    /** The largest float[] the JVM can allocate (the JDK's soft maximum array length). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Sizes() {}

    /**
     * The element count of {@code shape}; every dimension must be in {@code [0, MAX_ELEMENTS]}
     * and the product at most {@link #MAX_ELEMENTS}.
     *
     * @param what names the tensor in the message, e.g. {@code "tensor 'fc.weight'"}
     */
    static int numel(long[] shape, String what) throws WeightsFormatException {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new WeightsFormatException(what + ": negative dimension in shape " + Arrays.toString(shape));
            if (d > MAX_ELEMENTS) {
                throw new WeightsFormatException(what + ": dimension " + d + " of shape " + Arrays.toString(shape) + " exceeds " + MAX_ELEMENTS);
            }
        }
        for (long d : shape) {
            if (d == 0) return 0;
        }
        for (long d : shape) {
            if (n > MAX_ELEMENTS / d) throw tooLarge(shape, what);
            n *= d;
        }
        return (int) n;
    }

    /** {@code shape} as Java ints (valid after {@link #numel} accepted it). */
    static int[] toInts(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    private static WeightsFormatException tooLarge(long[] shape, String what) {
        return new WeightsFormatException(what + ": shape " + Arrays.toString(shape) + " has more than "
                + MAX_ELEMENTS + " elements");
    }
}
