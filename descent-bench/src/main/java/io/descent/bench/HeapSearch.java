package io.descent.bench;

import java.util.function.LongPredicate;

/**
 * The smallest heap (in MiB) at which something completes, by bisection over a predicate that
 * is assumed monotone: if it fits in n MiB it fits in more. Each probe is a child JVM, slow, so
 * the search asks as few as it can: about log2((hi - lo) / resolution) probes.
 */
public final class HeapSearch {
    private HeapSearch() {}

    /**
     * The smallest size in [lo, hi], to within {@code resolution}, for which {@code fits} holds:
     * {@code lo} when it fits already, -1 when not even {@code hi} fits. Probes {@code hi}
     * first (a run with ample heap, which also tells the caller how long a run takes), then
     * {@code lo}, then bisects.
     */
    public static long smallest(long lo, long hi, long resolution, LongPredicate fits) {
        if (lo < 1 || hi < lo || resolution < 1) throw new IllegalArgumentException("HeapSearch: need 1 <= lo <= hi and resolution >= 1, got lo " + lo + ", hi " + hi + ", resolution " + resolution);
        if (!fits.test(hi)) return -1;
        if (lo == hi || fits.test(lo)) return lo;
        return bisect(lo, hi, resolution, fits);
    }

    /**
     * Given that {@code lo} does not fit and {@code hi} does, the smallest size that fits to
     * within {@code resolution}: the result r fits, and r - resolution was either probed and
     * failed or lies at or below a size that failed. Probe sizes are {@code lo} plus multiples of
     * {@code resolution}, so the same range always probes the same sizes.
     */
    public static long bisect(long lo, long hi, long resolution, LongPredicate fits) {
        if (hi <= lo || resolution < 1) throw new IllegalArgumentException("HeapSearch.bisect: need lo < hi and resolution >= 1, got lo " + lo + ", hi " + hi + ", resolution " + resolution);
        while (hi - lo > resolution) {
            long mid = lo + Math.max(1, (hi - lo) / 2 / resolution) * resolution;
            if (fits.test(mid)) hi = mid;
            else lo = mid;
        }
        return hi;
    }
}
