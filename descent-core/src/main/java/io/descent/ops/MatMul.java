package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.Gemm;
import io.descent.kernels.Parallel;
import io.descent.kernels.VectorOps;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Matrix products: 2-D and batched {@code matmul} with optional transposes (computed by GEMM
 * flags, never by copying), vectors promoted as in PyTorch, and the fused {@code linear}
 * ({@code x·Wᵀ + b}, PyTorch's weight layout [out, in]).
 */
public final class MatMul {
    private MatMul() {}

    /** PyTorch's {@code matmul}: 1-D, 2-D, batched (batch dims equal, or a 2-D right operand). */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least 1 dimension, got " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        }
        if (a.dim() == 1 && b.dim() == 1) {
            return matmul(a.reshape(1, -1), b.reshape(-1, 1)).reshape();
        }
        if (a.dim() == 1) {
            Tensor r = matmul(a.reshape(1, -1), b);
            int[] s = r.shape();
            return r.reshape(dropDim(s, s.length - 2));
        }
        if (b.dim() == 1) {
            Tensor r = matmul(a, b.reshape(-1, 1));
            int[] s = r.shape();
            return r.reshape(dropDim(s, s.length - 1));
        }
        return matmul(a, b, false, false);
    }

    private static int[] dropDim(int[] s, int d) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != d) r[j++] = s[i];
        return r;
    }

    /**
     * {@code op(a) · op(b)} where op transposes the last two dimensions when its flag is set.
     * Shapes: a [..., m, k] (or [..., k, m] transposed), b [..., k, n] (or [..., n, k]) with equal
     * batch dimensions, or b 2-D shared by every batch entry.
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        int[] as = a.shape(), bs = b.shape();
        if (as.length < 2 || bs.length < 2) {
            throw new IllegalArgumentException("matmul: operands must be at least 2-D for transposed products, got " + Shape.str(as) + " and " + Shape.str(bs));
        }
        int m = transA ? as[as.length - 1] : as[as.length - 2];
        int k = transA ? as[as.length - 2] : as[as.length - 1];
        int kb = transB ? bs[bs.length - 1] : bs[bs.length - 2];
        int n = transB ? bs[bs.length - 2] : bs[bs.length - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(as) + " and " + Shape.str(bs)
                    + (transA || transB ? " (transA=" + transA + ", transB=" + transB + ")" : "") + " cannot be multiplied (" + k + " != " + kb + ")");
        }
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        boolean sharedB = bs.length == 2;
        if (!sharedB && !Arrays.equals(batchA, batchB)) {
            throw new IllegalArgumentException("matmul: batch dimensions of " + Shape.str(as) + " and " + Shape.str(bs) + " differ");
        }
        int batch = Shape.numel(batchA);
        int[] outShape = Arrays.copyOf(batchA, batchA.length + 2);
        outShape[batchA.length] = m;
        outShape[batchA.length + 1] = n;
        float[] c = new float[batch * m * n];
        product(a.data(), b.data(), c, batch, sharedB, m, n, k, transA, transB);
        Tensor out = Tensor.wrap(c, outShape);
        if (!Autograd.needsGrad(a, b)) return out;
        return Autograd.record(out, new MatMulBackward(a, b, batch, sharedB, m, n, k, transA, transB));
    }

    /** c[i] = op(a[i]) op(b[i]) for each batch entry i (b shared when {@code sharedB}). */
    private static void product(float[] a, float[] b, float[] c, int batch, boolean sharedB,
                                int m, int n, int k, boolean transA, boolean transB) {
        if (batch == 1 || (sharedB && !transA)) {
            // one big GEMM: a shared right operand lets the batch fold into the rows
            int rows = sharedB && !transA ? batch * m : m;
            Gemm.sgemm(transA, transB, rows, n, k, 1f, a, 0, ld(transA ? m : k), b, 0, ld(transB ? k : n), 0f, c, 0, ld(n));
            return;
        }
        Parallel.forRange(batch, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                Gemm.sgemm(transA, transB, m, n, k, 1f, a, i * m * k, ld(transA ? m : k),
                        b, sharedB ? 0 : i * k * n, ld(transB ? k : n), 0f, c, i * m * n, ld(n));
            }
        });
    }

    /** A leading dimension for BLAS: at least 1, even for empty matrices. */
    private static int ld(int width) {
        return Math.max(1, width);
    }

    private static final class MatMulBackward extends Node {
        private final int batch, m, n, k;
        private final boolean sharedB, transA, transB;
        private final int[] aShape, bShape;

        MatMulBackward(Tensor a, Tensor b, int batch, boolean sharedB, int m, int n, int k, boolean transA, boolean transB) {
            super(a, b);
            this.batch = batch;
            this.sharedB = sharedB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.transA = transA;
            this.transB = transB;
            this.aShape = a.shape();
            this.bShape = b.shape();
            save(needsGrad(1) ? a : null, needsGrad(0) ? b : null);
        }

        @Override
        public String name() {
            return "MatMulBackward";
        }

        @Override
        protected Tensor[] backward(Tensor gOut) {
            float[] g = gOut.data();
            Tensor ga = null, gb = null;
            int lda = ld(transA ? m : k), ldb = ld(transB ? k : n), ldn = ld(n), ldk = ld(k), ldm = ld(m);
            if (needsGrad(0)) {
                float[] b = saved(1).data();
                float[] da = new float[Shape.numel(aShape)];
                Parallel.forRange(batch, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        int bo = sharedB ? 0 : i * k * n;
                        if (!transA) { // dA = G · op(B)ᵀ
                            Gemm.sgemm(false, !transB, m, k, n, 1f, g, i * m * n, ldn, b, bo, ldb, 0f, da, i * m * k, ldk);
                        } else {       // dA = op(B) · Gᵀ  (k×m)
                            Gemm.sgemm(transB, true, k, m, n, 1f, b, bo, ldb, g, i * m * n, ldn, 0f, da, i * m * k, ldm);
                        }
                    }
                });
                ga = Tensor.wrap(da, aShape);
            }
            if (needsGrad(1)) {
                float[] a = saved(0).data();
                float[] db = new float[Shape.numel(bShape)];
                if (sharedB) {
                    // dB sums over the batch: fold it into the GEMM's inner dimension when possible
                    if (!transA) {
                        if (!transB) Gemm.sgemm(true, false, k, n, batch * m, 1f, a, 0, ldk, g, 0, ldn, 0f, db, 0, ldn);
                        else Gemm.sgemm(true, false, n, k, batch * m, 1f, g, 0, ldn, a, 0, ldk, 0f, db, 0, ldk);
                    } else {
                        for (int i = 0; i < batch; i++) gradB(a, i * m * k, g, i * m * n, db, 0, i == 0 ? 0f : 1f);
                    }
                } else {
                    Parallel.forRange(batch, 1, (from, to) -> {
                        for (int i = from; i < to; i++) gradB(a, i * m * k, g, i * m * n, db, i * k * n, 0f);
                    });
                }
                gb = Tensor.wrap(db, bShape);
            }
            return new Tensor[] {ga, gb};
        }

        /** db (+)= op(A)ᵀ·G, or its transpose when B is stored transposed. */
        private void gradB(float[] a, int ao, float[] g, int go, float[] db, int dbo, float beta) {
            int lda = ld(transA ? m : k);
            if (!transB) { // dB (k×n) = op(A)ᵀ · G
                Gemm.sgemm(!transA, false, k, n, m, 1f, a, ao, lda, g, go, ld(n), beta, db, dbo, ld(n));
            } else {       // dB (n×k) = Gᵀ · op(A)
                Gemm.sgemm(true, transA, n, k, m, 1f, g, go, ld(n), a, ao, lda, beta, db, dbo, ld(k));
            }
        }
    }

    /**
     * {@code x·Wᵀ + b}: x [..., in], weight [out, in], bias [out] or null (PyTorch's F.linear).
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, false);
    }

    /**
     * {@code relu(x·Wᵀ + b)} in one op: the same values as {@code relu(linear(x, weight, bias))}
     * without a second output array and pass, and one backward node that masks the gradient
     * by the saved output before the linear backward. {@link io.descent.nn.Sequential} uses it
     * for a Linear followed by a ReLU.
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, true);
    }

    private static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        int[] xs = x.shape(), ws = weight.shape();
        if (ws.length != 2 || xs.length < 1 || xs[xs.length - 1] != ws[1]) {
            throw new IllegalArgumentException("linear: input " + Shape.str(xs) + " and weight " + Shape.str(ws) + " do not match (expected weight [out, " + (xs.length > 0 ? xs[xs.length - 1] : "?") + "])");
        }
        int out = ws[0], in = ws[1];
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("linear: bias " + Shape.str(bias.shape()) + " does not match weight " + Shape.str(ws));
        }
        int rows = x.numel() / Math.max(1, in);
        if (in == 0) rows = Shape.numel(Arrays.copyOf(xs, xs.length - 1));
        // every element is written: the bias, or the product with β = 0 (of nothing when in = 0)
        float[] y = in == 0 && bias == null ? new float[rows * out] : BufferPool.take(rows * out);
        if (bias != null) repeatRows(bias.data(), y, rows);
        Gemm.sgemm(false, true, rows, out, in, 1f, x.data(), 0, Math.max(1, in), weight.data(), 0, Math.max(1, in), bias != null ? 1f : 0f, y, 0, Math.max(1, out));
        if (relu) Activations.reluInPlace(y);
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;
        Tensor result = Tensor.wrap(y, ys);
        if (!Autograd.needsGrad(x, weight, bias)) return result;
        final int nrows = rows;
        return Autograd.record(result, new Node(x, weight, bias) {
            {
                save(needsGrad(1) ? x : null, needsGrad(0) ? weight : null, relu ? result.detach() : null);
            }

            @Override
            public String name() {
                return relu ? "LinearReluBackward" : "LinearBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                Tensor pre = relu ? Activations.reluGrad(saved(2), gOut) : gOut;
                float[] g = pre.data();
                Tensor gx = null, gw = null, gbias = null;
                if (needsGrad(0)) {
                    gx = Tensor.recyclable(xs);
                    Gemm.sgemm(false, false, nrows, in, out, 1f, g, 0, Math.max(1, out), saved(1).data(), 0, Math.max(1, in), 0f, gx.data(), 0, Math.max(1, in));
                }
                if (needsGrad(1)) {
                    gw = Tensor.recyclable(ws);
                    Gemm.sgemm(true, false, out, in, nrows, 1f, g, 0, Math.max(1, out), saved(0).data(), 0, Math.max(1, in), 0f, gw.data(), 0, Math.max(1, in));
                }
                if (needsGrad(2)) {
                    float[] db = new float[out];
                    VectorOps.addRowSums(g, 0, nrows, out, db, 0);
                    gbias = Tensor.wrap(db, out);
                }
                if (relu) BufferPool.give(pre.data()); // this node's own scratch: nothing else has seen it
                return new Tensor[] {gx, gw, gbias};
            }
        });
    }

    /** {@code y} = {@code rows} copies of {@code row}: a loop of its own, out of the op's code (see ARCHITECTURE, "Kernels and threads"). */
    private static void repeatRows(float[] row, float[] y, int rows) {
        for (int r = 0; r < rows; r++) System.arraycopy(row, 0, y, r * row.length, row.length);
    }
}
