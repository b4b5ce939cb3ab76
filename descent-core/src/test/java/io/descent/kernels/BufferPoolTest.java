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
        while (BufferPool.pooledBytes() + 4L * chunk <= BufferPool.CAP_BYTES) {
            BufferPool.give(new float[chunk]);
            pooled++;
        }
        assertTrue(BufferPool.pooledBytes() >= BufferPool.CAP_BYTES - 4L * chunk, "filled to the cap");
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
