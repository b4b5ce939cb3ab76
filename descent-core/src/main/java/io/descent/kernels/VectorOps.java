package io.descent.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction loops on {@code float[]}, on the Vector API. Each method has a
 * plain scalar twin of the same name and signature in {@link ScalarOps}; tests compare them.
 * Sums reduce lane-wise and then across lanes in a fixed order, so they are deterministic
 * (but not bit-equal to the scalar twin's left-to-right sum).
 */
public final class VectorOps {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[S.length()]);
    /** Bytes, as many lanes as S (none below 8 lanes: there is no byte vector under 64 bits). */
    private static final VectorSpecies<Byte> BYTES = S.length() >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * S.length())) : null;

    private VectorOps() {}

    /** {@code dst[i] += src[i]}. */
    public static void addInto(float[] dst, float[] src, int n) {
        addInto(dst, src, 0, n);
    }

    /** {@code dst[i] += src[i]} for i in {@code [from, to)}. */
    public static void addInto(float[] dst, float[] src, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector.fromArray(S, dst, i).add(FloatVector.fromArray(S, src, i)).intoArray(dst, i);
        }
        for (; i < to; i++) dst[i] += src[i];
    }

    /** {@code out[i] = a[i] + b[i]}. */
    public static void add(float[] a, float[] b, float[] out, int n) {
        add(a, b, out, 0, n);
    }

    /** {@link #add(float[], float[], float[], int)} on {@code [from, to)}. */
    public static void add(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = a[i] + b[i];
    }

    /** {@code out[i] = a[i] - b[i]}. */
    public static void sub(float[] a, float[] b, float[] out, int n) {
        sub(a, b, out, 0, n);
    }

    /** {@link #sub(float[], float[], float[], int)} on {@code [from, to)}. */
    public static void sub(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).sub(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = a[i] - b[i];
    }

    /** {@code out[i] = a[i] * b[i]}. */
    public static void mul(float[] a, float[] b, float[] out, int n) {
        mul(a, b, out, 0, n);
    }

    /** {@link #mul(float[], float[], float[], int)} on {@code [from, to)}. */
    public static void mul(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = a[i] * b[i];
    }

    /** {@code out[i] = a[i] / b[i]}. */
    public static void div(float[] a, float[] b, float[] out, int n) {
        div(a, b, out, 0, n);
    }

    /** {@link #div(float[], float[], float[], int)} on {@code [from, to)}. */
    public static void div(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).div(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = a[i] / b[i];
    }

    /** {@code out[i] = a[i] * c}. */
    public static void scale(float[] a, float c, float[] out, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).mul(c).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = a[i] * c;
    }

    /** {@code out[i] = a[i] + c}. */
    public static void addScalar(float[] a, float c, float[] out, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).add(c).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = a[i] + c;
    }

    /** {@code y[yOff + i] += alpha * x[xOff + i]}. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]); // fused like the vector body
    }

    /**
     * {@code out[outOff + j] += Σ_r a[aOff + r·cols + j]} for {@code j < cols}: the column sums of
     * a row-major {@code rows × cols} block (a bias gradient), row by row in order, so the bits
     * equal {@code rows} calls of {@link #axpy} with α = 1 (fma by 1 is an exact add). Rows are
     * streamed: a vector of columns held in a register down all the rows reads with a stride of a
     * row, 4–8× slower (128×512: 15 against 3.6 µs; 1024×2048: 932 against 121).
     */
    public static void addRowSums(float[] a, int aOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int row = aOff + r * cols, j = 0;
            for (int upper = S.loopBound(cols); j < upper; j += S.length()) {
                FloatVector.fromArray(S, a, row + j).add(FloatVector.fromArray(S, out, outOff + j)).intoArray(out, outOff + j);
            }
            for (; j < cols; j++) out[outOff + j] += a[row + j];
        }
    }

    /**
     * {@code dst[at + i] = (src[off + i] & 0xFF) / 255f}: unsigned bytes (pixels) to [0, 1], the
     * quotient exactly as PyTorch's {@code x.float() / 255}. The bytes widen as signed values
     * (−128..127, the conversion every vector ISA has) and the negative ones get 256 back.
     */
    public static void unsignedBytesToUnit(byte[] src, int off, float[] dst, int at, int n) {
        int i = 0;
        FloatVector d = FloatVector.broadcast(S, 255f);
        for (int upper = BYTES == null ? 0 : S.loopBound(n); i < upper; i += S.length()) {
            FloatVector f = (FloatVector) ByteVector.fromArray(BYTES, src, off + i).convertShape(VectorOperators.B2F, S, 0);
            f.add(256f, f.lt(0f)).div(d).intoArray(dst, at + i);
        }
        for (; i < n; i++) dst[at + i] = (src[off + i] & 0xFF) / 255f;
    }

    /** Sum of {@code a[off .. off+n)}. */
    public static float sum(float[] a, int off, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, off + i));
        }
        float s = sumLanes(acc);
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    /** Dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = sumLanes(acc);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /**
     * The lanes of {@code v} added left to right. {@code reduceLanes(ADD)} does not fix its
     * order: interpreted and C2-compiled code add in different orders, so a result would change
     * once the JIT kicks in and break run-to-run bit-identity.
     */
    public static float sumLanes(FloatVector v) {
        float[] lanes = LANES.get(); // toArray() allocated an array per call: ~1M a resnet50 step
        v.intoArray(lanes, 0);
        float s = 0;
        for (float x : lanes) s += x;
        return s;
    }

    /** {@code out[i] = max(a[i], 0)}. */
    public static void relu(float[] a, float[] out, int n) {
        relu(a, out, 0, n);
    }

    /** {@link #relu(float[], float[], int)} on {@code [from, to)}. */
    public static void relu(float[] a, float[] out, int from, int to) {
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, i).max(0f).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = Math.max(a[i], 0f);
    }

    /** {@code out[i] = y[i] > 0 ? g[i] : 0} (ReLU backward from its output). */
    public static void reluBackward(float[] y, float[] g, float[] out, int n) {
        reluBackward(y, g, out, 0, n);
    }

    /** {@link #reluBackward(float[], float[], float[], int)} on {@code [from, to)}. */
    public static void reluBackward(float[] y, float[] g, float[] out, int from, int to) {
        int i = from;
        FloatVector zero = FloatVector.zero(S);
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            FloatVector vy = FloatVector.fromArray(S, y, i);
            FloatVector.fromArray(S, g, i).blend(zero, vy.compare(VectorOperators.LE, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = y[i] > 0 ? g[i] : 0f;
    }
}
