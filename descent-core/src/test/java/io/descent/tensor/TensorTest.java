package io.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.ops.MatMul;
import io.descent.ops.Reductions;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void factories() {
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5).toArray());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7, 2).toArray());
        assertArrayEquals(new int[] {2, 3}, Tensor.ones(2, 3).shape());
        assertEquals(5f, Tensor.scalar(5f).item());
        assertEquals(0, Tensor.scalar(1f).dim());
        assertArrayEquals(Tensor.randn(new Rng(7), 10).toArray(), Tensor.randn(new Rng(7), 10).toArray(), "seeded");
    }

    @Test
    void randnHasUnitMoments() {
        float[] x = Tensor.randn(new Rng(1), 200_000).toArray();
        double m = 0, v = 0;
        for (float f : x) m += f;
        m /= x.length;
        for (float f : x) v += (f - m) * (f - m);
        v /= x.length;
        assertEquals(0, m, 0.01);
        assertEquals(1, v, 0.01);
        float[] u = Tensor.rand(new Rng(2), 100_000).toArray();
        for (float f : u) if (f < 0 || f >= 1) throw new AssertionError("rand out of [0,1): " + f);
    }

    @Test
    void reshapeIsAViewWithoutCopy() {
        Tensor t = Tensor.arange(6);
        Tensor r = t.reshape(2, -1);
        assertArrayEquals(new int[] {2, 3}, r.shape());
        assertSame(t.data(), r.data());
        assertEquals(5f, r.get(1, 2));
        assertSame(t.data(), t.view(3, 2).data());
        assertArrayEquals(new int[] {2, 12}, Tensor.zeros(2, 3, 4).flatten().shape());
    }

    @Test
    void errorsNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(3, 2)));
        assertEquals("add: shapes [2, 3] and [3, 2] cannot be broadcast together", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3)));
        assertEquals("matmul: shapes [2, 3] and [2, 3] cannot be multiplied (3 != 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(6).reshape(4, -1));
        assertEquals("reshape: cannot reshape [6] into [4, -1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatMul.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
        assertEquals("linear: input [2, 3] and weight [4, 5] do not match (expected weight [out, 3])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Reductions.sum(Tensor.zeros(2, 3), new int[] {2}, false));
        assertEquals("sum: dimension 2 out of range for a tensor of rank 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3));
        assertEquals("Tensor.wrap: 5 values cannot fill shape [2, 3] (6 elements)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 2).get(2, 0));
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).item());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
    }

    @Test
    void rngStateRoundTrips() {
        Rng a = new Rng(42);
        a.nextGaussian();
        long[] s = a.state();
        double x = a.nextGaussian(), y = a.nextGaussian();
        Rng b = new Rng(0);
        b.restore(s);
        assertEquals(x, b.nextGaussian());
        assertEquals(y, b.nextGaussian());
    }

    @org.junit.jupiter.api.Test
    void emptyInnerDimensionGivesZeros() {
        Tensor a = Tensor.zeros(2, 0).requiresGrad(true), b = Tensor.zeros(0, 3).requiresGrad(true);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 3}, c.shape());
        assertArrayEquals(new float[6], c.toArray());
        c.sum().backward();
        assertArrayEquals(new int[] {2, 0}, a.grad().shape());
    }
}
