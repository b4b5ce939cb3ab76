package io.descent.kernels;

/**
 * The pooling windows along one axis: output index {@code i} reads input positions
 * {@code start[i], start[i] + step, ...} below {@code end[i]} (all inside the input), and an
 * average divides by {@code count[i]} (the product over both axes). Precomputing the windows
 * per axis keeps PyTorch's three window rules in one place and lets one kernel serve
 * avg_pool2d and adaptive_avg_pool2d.
 *
 * @param size the input length along this axis
 */
public record PoolAxis(int size, int[] start, int[] end, int step, int[] count) {

    /** Output length. */
    public int out() {
        return start.length;
    }

    /**
     * Max-pool windows, as PyTorch's {@code cpu_max_pool}: the window of i begins at
     * {@code i·s − p}, advances by whole dilation steps until inside the input, and ends at
     * {@code min(i·s − p + d(k−1) + 1, size)}.
     */
    public static PoolAxis max(int size, int k, int s, int p, int d, int out) {
        int[] start = new int[out], end = new int[out], count = new int[out];
        for (int i = 0; i < out; i++) {
            int a = i * s - p;
            end[i] = Math.min(a + d * (k - 1) + 1, size);
            while (a < 0) a += d;
            start[i] = a;
            count[i] = Math.max(0, (end[i] - a + d - 1) / d);
        }
        return new PoolAxis(size, start, end, d, count);
    }

    /**
     * Average-pool windows, as PyTorch's {@code cpu_avg_pool}: the window of i covers
     * {@code [i·s − p, min(i·s − p + k, size + p))} clipped to the input; the divisor counts
     * the padded window when {@code countIncludePad}, else only the positions inside.
     */
    public static PoolAxis avg(int size, int k, int s, int p, int out, boolean countIncludePad) {
        int[] start = new int[out], end = new int[out], count = new int[out];
        for (int i = 0; i < out; i++) {
            int a = i * s - p, b = Math.min(a + k, size + p);
            int padded = b - a;
            start[i] = Math.max(a, 0);
            end[i] = Math.min(b, size);
            count[i] = countIncludePad ? padded : Math.max(0, end[i] - start[i]);
        }
        return new PoolAxis(size, start, end, 1, count);
    }

    /**
     * Adaptive windows, as PyTorch's {@code adaptive_avg_pool2d}:
     * {@code [floor(i·size/out), ceil((i+1)·size/out))}.
     */
    public static PoolAxis adaptive(int size, int out) {
        int[] start = new int[out], end = new int[out], count = new int[out];
        for (int i = 0; i < out; i++) {
            start[i] = (int) ((long) i * size / out);
            end[i] = (int) (((long) (i + 1) * size + out - 1) / out);
            count[i] = end[i] - start[i];
        }
        return new PoolAxis(size, start, end, 1, count);
    }
}
