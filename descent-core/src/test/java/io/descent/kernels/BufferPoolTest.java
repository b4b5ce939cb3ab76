package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.descent.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    private static final int N = BufferPool.MIN_LENGTH + 5;

    @BeforeEach
    @AfterEach
    void empty() {
        BufferPool.clear();
    }

    @Test
    void aGivenArrayServesTheNextTakeOfItsLengthOnly() {
        float[] a = new float[N];
        BufferPool.give(a);
        assertEquals(4L * N, BufferPool.pooledBytes());
        assertNotSame(a, BufferPool.take(N + 1));
        assertSame(a, BufferPool.take(N));
        assertEquals(0, BufferPool.pooledBytes());
        assertNotSame(a, BufferPool.take(N), "handed out once");
    }

    @Test
    void intArraysArePooledApartFromFloatArraysOfTheSameLength() {
        int[] ints = new int[N];
        float[] floats = new float[N];
        BufferPool.give(ints);
        BufferPool.give(floats);
        assertEquals(8L * N, BufferPool.pooledBytes());
        assertSame(floats, BufferPool.take(N));
        assertSame(ints, BufferPool.takeInts(N));
        assertEquals(0, BufferPool.pooledBytes());
        assertNotSame(ints, BufferPool.takeInts(N), "handed out once");
        assertEquals(1, BufferPool.misses());
    }

    @Test
    void smallArraysAreNotKept() {
        float[] a = new float[BufferPool.MIN_LENGTH - 1];
        BufferPool.give(a);
        assertEquals(0, BufferPool.pooledBytes());
        assertNotSame(a, BufferPool.take(a.length));
    }

    @Test
    void aTakeThatFindsNothingCountsAMiss() {
        BufferPool.take(N);
        assertEquals(1, BufferPool.misses());
        BufferPool.give(new float[N]);
        BufferPool.take(N);
        BufferPool.take(BufferPool.MIN_LENGTH - 1); // never pooled: not a miss
        assertEquals(1, BufferPool.misses());
    }

    /** Full, the pool makes room for a new array by dropping those given longest ago (another model's, say). */
    @Test
    void aFullPoolDropsTheArraysGivenLongestAgo() {
        long cap = BufferPool.setCap(4 * 4L * N);
        try {
            float[] first = new float[N], second = new float[N], third = new float[N], fourth = new float[N];
            for (float[] a : new float[][] {first, second, third, fourth}) BufferPool.give(a); // full
            float[] other = new float[N + 1];
            BufferPool.give(other); // a little larger: first and second make room
            assertEquals(4L * (3 * N + 1), BufferPool.pooledBytes());
            assertSame(other, BufferPool.take(N + 1), "the newest array is kept");
            assertSame(fourth, BufferPool.take(N));
            assertSame(third, BufferPool.take(N));
            assertEquals(0, BufferPool.misses());
            BufferPool.take(N);
            assertEquals(1, BufferPool.misses(), "first and second are gone");
            BufferPool.give(first);
            BufferPool.give(new float[4 * N + 1]); // larger than the cap: not kept, and evicts nothing
            assertSame(first, BufferPool.take(N));
        } finally {
            BufferPool.setCap(cap);
        }
    }

    /**
     * The pool holds a quarter of the heap at most, softly: filled to its cap, it must not keep
     * the program from allocating the rest of the heap, which a strongly held pool would.
     */
    @Test
    void theGcTakesPooledArraysBackBeforeItWouldRunOutOfMemory() {
        int chunk = (1 << 20) - 16; // 4 MiB with its header: no humongous-region slack
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory();
        int pooled = 0;
        while (BufferPool.pooledBytes() + 4L * chunk <= rt.maxMemory() / 2) {
            BufferPool.give(new float[chunk]);
            pooled++;
        }
        assertTrue(BufferPool.pooledBytes() >= rt.maxMemory() / 2 - 4L * chunk, "filled to the cap");
        long room = rt.maxMemory() - used - (256L << 20); // a margin for whatever else runs
        java.util.List<float[]> mine = new java.util.ArrayList<>();
        try {
            for (long got = 0; got + 4L * chunk <= room; got += 4L * chunk) mine.add(new float[chunk]);
        } catch (OutOfMemoryError e) {
            mine.clear();
            fail("the pool's arrays kept the program from allocating the rest of the heap");
        }
        assertTrue(BufferPool.pooledBytes() < 4L * pooled * chunk, "the GC took pooled arrays back");
        assertTrue(mine.size() > 0);
    }

    @Test
    void recyclableTensorsAreMarked() {
        float[] a = new float[N];
        BufferPool.give(a);
        Tensor t = Tensor.recyclable(N);
        assertSame(a, t.data());
        assertTrue(t.isRecyclable());
        assertEquals(false, Tensor.zeros(3).isRecyclable());
        assertEquals(false, t.detach().isRecyclable(), "a view does not carry the mark");
    }
}
