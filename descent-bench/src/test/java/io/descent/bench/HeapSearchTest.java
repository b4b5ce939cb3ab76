package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class HeapSearchTest {
    /** A fake "does it fit" that records its probes. */
    private static final class Needs implements LongPredicate {
        final long need;
        final List<Long> probes = new ArrayList<>();

        Needs(long need) {
            this.need = need;
        }

        @Override
        public boolean test(long mib) {
            probes.add(mib);
            return mib >= need;
        }
    }

    @Test
    void findsTheThresholdToWithinTheResolution() {
        for (long need = 33; need <= 4096; need += 37) {
            Needs fits = new Needs(need);
            long found = HeapSearch.smallest(32, 4096, 16, fits);
            assertTrue(found >= need && found < need + 16, "need " + need + " found " + found);
            assertTrue(fits.probes.size() <= 10, "need " + need + ": " + fits.probes.size() + " probes " + fits.probes);
            assertEquals(4096L, fits.probes.get(0), "the ample heap goes first: it times the reference run");
        }
    }

    @Test
    void endsOfTheRange() {
        assertEquals(32, HeapSearch.smallest(32, 4096, 16, new Needs(10)), "fits at the bottom: the bottom");
        assertEquals(-1, HeapSearch.smallest(32, 4096, 16, new Needs(5000)), "not even the top fits");
        assertEquals(4096, HeapSearch.smallest(32, 4096, 16, new Needs(4090)));
        Needs one = new Needs(1);
        assertEquals(64, HeapSearch.smallest(64, 64, 16, one));
        assertEquals(1, one.probes.size());
    }

    @Test
    void bisectTrustsItsBounds() {
        Needs fits = new Needs(100);
        assertEquals(112, HeapSearch.bisect(32, 256, 16, fits));
        assertTrue(fits.probes.stream().allMatch(p -> (p - 32) % 16 == 0), "probes on the grid from lo: " + fits.probes);
        assertEquals(64, HeapSearch.bisect(32, 64, 32, new Needs(40)), "one step apart: nothing to probe");
    }

    @Test
    void badRangesAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> HeapSearch.smallest(0, 64, 16, new Needs(1)));
        assertThrows(IllegalArgumentException.class, () -> HeapSearch.smallest(128, 64, 16, new Needs(1)));
        assertThrows(IllegalArgumentException.class, () -> HeapSearch.bisect(64, 64, 16, new Needs(1)));
        assertThrows(IllegalArgumentException.class, () -> HeapSearch.smallest(32, 64, 0, new Needs(1)));
    }
}
