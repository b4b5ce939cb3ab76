package io.descent.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.nn.Linear;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {
    @Test
    void fansFollowPyTorchsCalculateFanInAndFanOut() {
        Tensor conv = Tensor.zeros(64, 3, 7, 7);
        assertEquals(3 * 49, Init.fanIn(conv));
        assertEquals(64 * 49, Init.fanOut(conv));
        Tensor linear = Tensor.zeros(10, 512);
        assertEquals(512, Init.fanIn(linear));
        assertEquals(10, Init.fanOut(linear));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(5)));
        assertEquals("init: fan in and fan out need at least 2 dimensions, got [5]", e.getMessage());
    }

    @Test
    void gainsAreCalculateGains() {
        assertEquals(1, Init.gain(Init.Nonlinearity.LINEAR, 0));
        assertEquals(1, Init.gain(Init.Nonlinearity.SIGMOID, 0));
        assertEquals(5.0 / 3, Init.gain(Init.Nonlinearity.TANH, 0));
        assertEquals(Math.sqrt(2), Init.gain(Init.Nonlinearity.RELU, 0));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.gain(Init.Nonlinearity.LEAKY_RELU, 0.01), 1e-15);
    }

    @Test
    void kaimingAndXavierHaveTheirSpreads() {
        Rng rng = new Rng(3);
        Tensor w = Tensor.zeros(256, 128, 3, 3); // fan_in 1152, fan_out 2304
        Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, rng);
        assertStd(Math.sqrt(2.0 / 2304), w);
        Init.xavierNormal(w, 1, rng);
        assertStd(Math.sqrt(2.0 / (1152 + 2304)), w);
        double bound = Math.sqrt(2.0) * Math.sqrt(3.0 / 1152);
        Init.kaimingUniform(w, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, rng);
        assertWithin(bound, w);
        assertStd(bound / Math.sqrt(3), w); // U(−b, b) has std b/√3
        Init.xavierUniform(w, 1, rng);
        assertWithin(Math.sqrt(6.0 / (1152 + 2304)), w);
    }

    @Test
    void linearDefaultIsUniformOverOneOverSqrtFanIn() {
        Linear l = new Linear(400, 30, true, new Rng(1));
        assertWithin(1 / Math.sqrt(400), l.weight);
        assertWithin(1 / Math.sqrt(400), l.bias);
        assertStd(1 / Math.sqrt(400) / Math.sqrt(3), l.weight);
    }

    @Test
    void badSpreadsAreRefused() {
        Tensor t = Tensor.zeros(4, 4);
        assertEquals("normal: std must be >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Init.normal(t, 0, -1, new Rng(0))).getMessage());
        assertEquals("uniform: need low <= high, got 1.0, 0.0",
                assertThrows(IllegalArgumentException.class, () -> Init.uniform(t, 1, 0, new Rng(0))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.normal(t, 0, Double.NaN, new Rng(0)));
    }

    @Test
    void insideSkipRandomTheRandomFillsNeitherFillNorDraw() {
        Rng rng = new Rng(7);
        Tensor t = Tensor.full(0.5f, 3, 4);
        try (var skip = Init.skipRandom()) {
            Init.kaimingNormal(t, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, rng);
            Init.xavierUniform(t, 1, rng);
            Linear l = new Linear(4, 3, true, rng);
            assertTrue(allEqual(l.weight, 0f) && allEqual(l.bias, 0f), "a layer's default init was drawn");
            Init.ones(l.bias); // constant fills still run
            assertTrue(allEqual(l.bias, 1f));
        }
        assertTrue(allEqual(t, 0.5f), "a skipped fill changed the tensor");
        assertEquals(new Rng(7).nextLong(), rng.nextLong(), "a skipped fill drew from the generator");
    }

    @Test
    void skipRandomScopesNestAndEndWhenClosed() {
        Tensor t = Tensor.zeros(2, 2);
        try (var outer = Init.skipRandom()) {
            try (var inner = Init.skipRandom()) {
                Init.normal(t, 5, 1, new Rng(1));
            }
            Init.normal(t, 5, 1, new Rng(1)); // the outer scope still skips
            assertTrue(allEqual(t, 0f));
            outer.close();
            outer.close(); // a second close restores nothing more
            Init.normal(t, 5, 1, new Rng(1));
            assertFalse(allEqual(t, 0f), "fills did not run again after the scope closed");
        }
    }

    private static boolean allEqual(Tensor t, float v) {
        for (float x : t.data()) if (x != v) return false;
        return true;
    }

    private static void assertWithin(double bound, Tensor t) {
        double max = 0;
        for (float x : t.data()) max = Math.max(max, Math.abs(x));
        assertTrue(max <= bound, "|x| up to " + max + " exceeds the bound " + bound);
        assertTrue(max > 0.95 * bound, "|x| only up to " + max + " of the bound " + bound);
    }

    /** The sample's standard deviation within 3 % (tensors of thousands of values) and mean near 0. */
    private static void assertStd(double expected, Tensor t) {
        double sum = 0, sq = 0;
        float[] d = t.data();
        for (float x : d) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / d.length, std = Math.sqrt(sq / d.length - mean * mean);
        assertEquals(expected, std, 0.03 * expected, "standard deviation");
        assertEquals(0, mean, 0.05 * expected, "mean");
    }
}
