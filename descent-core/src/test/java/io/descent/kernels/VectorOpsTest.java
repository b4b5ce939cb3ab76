package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.descent.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every vector kernel against its scalar twin, at sizes around the vector length. */
class VectorOpsTest {
    private static final int[] SIZES = {0, 1, 3, 15, 16, 17, 31, 33, 64, 100, 1000};

    private static float[] rand(int n, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() * 4 - 2;
        return x;
    }

    @Test
    void binaryKernelsMatchScalarTwins() {
        for (int n : SIZES) {
            float[] a = rand(n, 1), b = rand(n, 2);
            for (int i = 0; i < n; i++) if (Math.abs(b[i]) < 0.1f) b[i] = 0.5f;
            float[] v = new float[n], s = new float[n];
            VectorOps.add(a, b, v, n); ScalarOps.add(a, b, s, n); assertArrayEquals(s, v, "add " + n);
            VectorOps.sub(a, b, v, n); ScalarOps.sub(a, b, s, n); assertArrayEquals(s, v, "sub " + n);
            VectorOps.mul(a, b, v, n); ScalarOps.mul(a, b, s, n); assertArrayEquals(s, v, "mul " + n);
            VectorOps.div(a, b, v, n); ScalarOps.div(a, b, s, n); assertArrayEquals(s, v, "div " + n);
            VectorOps.scale(a, 1.5f, v, n); ScalarOps.scale(a, 1.5f, s, n); assertArrayEquals(s, v, "scale " + n);
            VectorOps.addScalar(a, 0.25f, v, n); ScalarOps.addScalar(a, 0.25f, s, n); assertArrayEquals(s, v, "addScalar " + n);
            VectorOps.relu(a, v, n); ScalarOps.relu(a, s, n); assertArrayEquals(s, v, "relu " + n);
            VectorOps.reluBackward(a, b, v, n); ScalarOps.reluBackward(a, b, s, n); assertArrayEquals(s, v, "reluBackward " + n);
            float[] dv = a.clone(), ds = a.clone();
            VectorOps.addInto(dv, b, n); ScalarOps.addInto(ds, b, n); assertArrayEquals(ds, dv, "addInto " + n);
            VectorOps.addInto(dv, a, n / 3, n - 1); ScalarOps.addInto(ds, a, n / 3, n - 1); assertArrayEquals(ds, dv, "addInto a range " + n);
        }
    }

    @Test
    void axpyWithOffsetsMatches() {
        for (int n : SIZES) {
            float[] x = rand(n + 5, 3), y1 = rand(n + 7, 4), y2 = y1.clone();
            VectorOps.axpy(n, -0.7f, x, 5, y1, 7);
            ScalarOps.axpy(n, -0.7f, x, 5, y2, 7);
            for (int i = 0; i < y1.length; i++) assertEquals(y2[i], y1[i], 1e-6f, "axpy " + n);
        }
    }

    @Test
    void unsignedBytesBecomeTheirQuotientBy255AsTheScalarTwinHasIt() {
        byte[] src = new byte[3 + 2 * 256];
        for (int i = 0; i < src.length; i++) src[i] = (byte) (i * 7 + 3);
        for (int n : new int[] {0, 1, 7, 16, 33, 256, 512}) {
            float[] v = new float[n + 5], s = new float[n + 5];
            Arrays.fill(v, -1f);
            Arrays.fill(s, -1f);
            VectorOps.unsignedBytesToUnit(src, 3, v, 2, n);
            ScalarOps.unsignedBytesToUnit(src, 3, s, 2, n);
            assertArrayEquals(s, v, "n=" + n);
            for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits((src[3 + i] & 0xFF) / 255f), Float.floatToIntBits(v[2 + i]), "byte " + (src[3 + i] & 0xFF));
            assertEquals(-1f, v[0]);
            assertEquals(-1f, v[n + 2], "nothing written past n");
        }
    }

    @Test
    void rowSumsEqualTheScalarTwinAndRowByRowAxpyBitForBit() {
        for (int cols : new int[] {1, 7, 10, 16, 33, 512}) {
            for (int rows : new int[] {0, 1, 5, 128}) {
                float[] a = rand(3 + rows * cols, 8), start = rand(cols + 2, 9);
                float[] v = start.clone(), s = start.clone(), ref = start.clone();
                VectorOps.addRowSums(a, 3, rows, cols, v, 2);
                ScalarOps.addRowSums(a, 3, rows, cols, s, 2);
                for (int r = 0; r < rows; r++) VectorOps.axpy(cols, 1f, a, 3 + r * cols, ref, 2);
                String what = rows + "x" + cols;
                assertArrayEquals(ref, v, "addRowSums vs axpy " + what);
                assertArrayEquals(s, v, "addRowSums vs scalar twin " + what);
                if (rows > 0) assertNotEquals(start[2], v[2], "columns summed " + what);
            }
        }
    }

    @Test
    void reductionsMatchWithinRounding() {
        for (int n : SIZES) {
            float[] a = rand(n + 2, 5), b = rand(n + 1, 6);
            assertEquals(ScalarOps.sum(a, 2, n), VectorOps.sum(a, 2, n), 1e-4f * (n + 1), "sum " + n);
            assertEquals(ScalarOps.dot(a, 2, b, 1, n), VectorOps.dot(a, 2, b, 1, n), 1e-4f * (n + 1), "dot " + n);
        }
    }

    @Test
    void sumsAreBitIdenticalBeforeAndAfterTheJitCompilesThem() {
        float[] a = rand(64, 9);
        for (int i = 0; i < a.length; i++) a[i] *= 1000;
        float cold = VectorOps.sum(a, 0, 64), coldDot = VectorOps.dot(a, 0, a, 0, 64);
        float warm = 0, warmDot = 0;
        for (int rep = 0; rep < 200_000; rep++) {
            warm = VectorOps.sum(a, 0, 64);
            warmDot = VectorOps.dot(a, 0, a, 0, 64);
        }
        assertEquals(Float.floatToIntBits(cold), Float.floatToIntBits(warm), "sum changed once compiled");
        assertEquals(Float.floatToIntBits(coldDot), Float.floatToIntBits(warmDot), "dot changed once compiled");
    }
}
