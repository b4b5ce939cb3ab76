package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.Parallel;
import io.descent.kernels.VectorOps;
import io.descent.tensor.Shape;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Tensor;

/** add, sub, mul, div with PyTorch broadcasting, and their scalar forms. */
public final class Arithmetic {
    private Arithmetic() {}

    private enum Kind { ADD, SUB, MUL, DIV }

    public static Tensor add(Tensor a, Tensor b) {
        return binary("add", Kind.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary("sub", Kind.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary("mul", Kind.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary("div", Kind.DIV, a, b);
    }

    /**
     * {@code relu(a + b)} for tensors of one shape, in one pass and one backward node: the
     * closing step of a residual block. Same values and gradients as the two ops; both
     * inputs receive the one masked gradient.
     */
    public static Tensor addRelu(Tensor a, Tensor b) {
        sameShape(a, b);
        float[] out = BufferPool.take(a.numel()); // every element is written
        addRelu(a.data(), b.data(), out);
        Tensor result = Tensor.wrap(out, a.shape());
        if (!Autograd.needsGrad(a, b)) return result;
        return Autograd.record(result, new ReluBackward("AddReluBackward", result, a, b));
    }

    /**
     * {@link #addRelu} written over {@code a}'s array, which is returned (PyTorch's
     * {@code out += identity; relu_(out)} in torchvision's residual blocks): for a caller that
     * holds the only reference to {@code a}, in inference. Refuses inputs that need a gradient,
     * since the values overwritten may be what a backward pass reads.
     */
    public static Tensor addReluInPlace(Tensor a, Tensor b) {
        sameShape(a, b);
        if (Autograd.needsGrad(a, b)) throw new IllegalStateException("add_relu_: writes over its first input, which needs a gradient (use add_relu)");
        addRelu(a.data(), b.data(), a.data());
        return a;
    }

    private static void sameShape(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("add_relu: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()) + " differ (it does not broadcast)");
        }
    }

    /** {@code out = max(x + y, 0)} element by element; out may be x (each element is read before it is written). */
    private static void addRelu(float[] x, float[] y, float[] out) {
        Parallel.forRange(out.length, 1 << 15, (from, to) -> {
            VectorOps.add(x, y, out, from, to);
            VectorOps.relu(out, out, from, to);
        });
    }

    private static Tensor binary(String op, Kind kind, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast(op, a.shape(), b.shape());
        float[] x = Broadcast.expand(a.data(), a.shape(), outShape);
        float[] y = Broadcast.expand(b.data(), b.shape(), outShape);
        int n = Shape.numel(outShape);
        float[] out = new float[n];
        Parallel.forRange(n, 1 << 15, (from, to) -> {
            switch (kind) {
                case ADD -> VectorOps.add(x, y, out, from, to);
                case SUB -> VectorOps.sub(x, y, out, from, to);
                case MUL -> VectorOps.mul(x, y, out, from, to);
                case DIV -> VectorOps.div(x, y, out, from, to);
            }
        });
        Tensor result = Tensor.wrap(out, outShape);
        if (!Autograd.needsGrad(a, b)) return result;
        return Autograd.record(result, new BinaryBackward(kind, a, b, outShape));
    }

    private static final class BinaryBackward extends Node {
        private final Kind kind;
        private final int[] aShape, bShape, outShape;

        BinaryBackward(Kind kind, Tensor a, Tensor b, int[] outShape) {
            super(a, b);
            this.kind = kind;
            this.aShape = a.shape();
            this.bShape = b.shape();
            this.outShape = outShape;
            switch (kind) {
                case MUL -> save(needsGrad(1) ? a : null, needsGrad(0) ? b : null);
                case DIV -> save(needsGrad(1) ? a : null, b);
                default -> { }
            }
        }

        @Override
        public String name() {
            return switch (kind) { case ADD -> "AddBackward"; case SUB -> "SubBackward"; case MUL -> "MulBackward"; case DIV -> "DivBackward"; };
        }

        @Override
        protected Tensor[] backward(Tensor gOut) {
            float[] g = gOut.data();
            int n = g.length;
            Tensor ga = null, gb = null;
            switch (kind) {
                case ADD, SUB -> {
                    if (needsGrad(0)) ga = Tensor.wrap(Broadcast.sumTo(g, outShape, aShape).clone(), aShape);
                    if (needsGrad(1)) {
                        float[] s = Broadcast.sumTo(g, outShape, bShape);
                        float[] t = new float[s.length];
                        VectorOps.scale(s, kind == Kind.SUB ? -1f : 1f, t, s.length);
                        gb = Tensor.wrap(t, bShape);
                    }
                }
                case MUL -> {
                    if (needsGrad(0)) {
                        float[] y = Broadcast.expand(saved(1).data(), bShape, outShape);
                        float[] t = new float[n];
                        VectorOps.mul(g, y, t, n);
                        ga = Tensor.wrap(Broadcast.sumTo(t, outShape, aShape), aShape);
                    }
                    if (needsGrad(1)) {
                        float[] x = Broadcast.expand(saved(0).data(), aShape, outShape);
                        float[] t = new float[n];
                        VectorOps.mul(g, x, t, n);
                        gb = Tensor.wrap(Broadcast.sumTo(t, outShape, bShape), bShape);
                    }
                }
                case DIV -> {
                    float[] y = Broadcast.expand(saved(1).data(), bShape, outShape);
                    if (needsGrad(0)) {
                        float[] t = new float[n];
                        VectorOps.div(g, y, t, n);
                        ga = Tensor.wrap(Broadcast.sumTo(t, outShape, aShape), aShape);
                    }
                    if (needsGrad(1)) {
                        float[] x = Broadcast.expand(saved(0).data(), aShape, outShape);
                        float[] t = new float[n];
                        for (int i = 0; i < n; i++) t[i] = -g[i] * x[i] / (y[i] * y[i]);
                        gb = Tensor.wrap(Broadcast.sumTo(t, outShape, bShape), bShape);
                    }
                }
            }
            return new Tensor[] {ga, gb};
        }
    }

    /** {@code a + c}. */
    public static Tensor addScalar(Tensor a, float c) {
        float[] out = new float[a.numel()];
        VectorOps.addScalar(a.data(), c, out, out.length);
        Tensor r = Tensor.wrap(out, a.shape());
        if (!Autograd.needsGrad(a)) return r;
        return Autograd.record(r, new Node(a) {
            @Override
            public String name() {
                return "AddScalarBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {g};
            }
        });
    }

    /** {@code a * c}. */
    public static Tensor mulScalar(Tensor a, float c) {
        float[] out = new float[a.numel()];
        VectorOps.scale(a.data(), c, out, out.length);
        Tensor r = Tensor.wrap(out, a.shape());
        if (!Autograd.needsGrad(a)) return r;
        return Autograd.record(r, new Node(a) {
            @Override
            public String name() {
                return "MulScalarBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                float[] t = new float[g.numel()];
                VectorOps.scale(g.data(), c, t, t.length);
                return new Tensor[] {Tensor.wrap(t, g.shape())};
            }
        });
    }

    /** {@code -a}. */
    public static Tensor neg(Tensor a) {
        return mulScalar(a, -1f);
    }
}
