package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FmaPeakTest {
    @Test
    void everyChainRunsEveryIteration() {
        float[] sink = new float[FmaPeak.S.length()];
        FmaPeak.chains(1000, sink);
        for (float v : sink) assertEquals(FmaPeak.CHAINS * 1000f, v, 0f, "each of the chains counts its iterations");
        assertEquals(2.0 * FmaPeak.CHAINS * FmaPeak.S.length(), FmaPeak.flopsPerIteration());
    }

    @Test
    void measuresAFiniteRateOnEveryThread() {
        double one = FmaPeak.gflops(1, 20_000_000L), two = FmaPeak.gflops(2, 20_000_000L);
        assertTrue(one > 0 && Double.isFinite(one), "one thread: " + one);
        assertTrue(two > 0 && Double.isFinite(two), "two threads: " + two);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.gflops(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.gflops(1, 0));
    }
}
