package io.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
