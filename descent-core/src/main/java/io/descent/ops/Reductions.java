package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.Parallel;
import io.descent.kernels.VectorOps;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/** sum, mean, max, argmax, var over all elements or over chosen dimensions. */
public final class Reductions {
    private Reductions() {}

    /** Sum of all elements (a 0-d tensor). */
    public static Tensor sum(Tensor a) {
        float s = VectorOps.sum(a.data(), 0, a.numel());
        Tensor out = Tensor.scalar(s);
        if (!Autograd.needsGrad(a)) return out;
        int[] shape = a.shape();
        return Autograd.record(out, new Node(a) {
            @Override
            public String name() {
                return "SumBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {Tensor.full(g.item(), shape)};
            }
        });
    }

    /** Mean of all elements. */
    public static Tensor mean(Tensor a) {
        if (a.numel() == 0) throw new IllegalArgumentException("mean: empty tensor " + Shape.str(a.shape()));
        return Arithmetic.mulScalar(sum(a), 1f / a.numel());
    }

    /** Sum over {@code dims} (negative allowed), keeping them as size 1 when {@code keepDim}. */
    public static Tensor sum(Tensor a, int[] dims, boolean keepDim) {
        int[] in = a.shape();
        boolean[] reduce = dimsMask("sum", dims, in.length);
        int[] kept = in.clone();
        float[] cur = a.data();
        int[] curShape = in.clone();
        for (int d = in.length - 1; d >= 0; d--) {
            if (!reduce[d]) continue;
            cur = sumDim(cur, curShape, d);
            curShape[d] = 1;
            kept[d] = 1;
        }
        if (cur == a.data()) cur = cur.clone();
        int[] outShape = keepDim ? kept : squeeze(kept, reduce);
        Tensor out = Tensor.wrap(cur, outShape);
        if (!Autograd.needsGrad(a)) return out;
        return Autograd.record(out, new Node(a) {
            @Override
            public String name() {
                return "SumBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {Tensor.wrap(Broadcast.expand(g.data(), kept, in), in)};
            }
        });
    }

    /** Mean over {@code dims}. */
    public static Tensor mean(Tensor a, int[] dims, boolean keepDim) {
        int count = reducedCount("mean", a.shape(), dims);
        return Arithmetic.mulScalar(sum(a, dims, keepDim), 1f / count);
    }

    /**
     * Variance over {@code dims} with Bessel's {@code correction} (PyTorch's default 1 is the
     * unbiased estimate; 0 is the population variance). Built from primitives.
     */
    public static Tensor var(Tensor a, int[] dims, int correction, boolean keepDim) {
        int count = reducedCount("var", a.shape(), dims);
        if (correction < 0) throw new IllegalArgumentException("var: correction must be >= 0, got " + correction);
        Tensor centered = Arithmetic.sub(a, mean(a, dims, true));
        Tensor sq = Arithmetic.mul(centered, centered);
        return Arithmetic.mulScalar(sum(sq, dims, keepDim), 1f / Math.max(0, count - correction));
    }

    /** Maximum over one dimension; the gradient flows to the (first) arg-max. */
    public static Tensor max(Tensor a, int dim, boolean keepDim) {
        int[] in = a.shape();
        int d = Shape.dim("max", dim, in.length);
        if (in[d] == 0) throw new IllegalArgumentException("max: dimension " + dim + " of " + Shape.str(in) + " is empty");
        int outer = Shape.numel(Arrays.copyOf(in, d)), r = in[d], inner = a.numel() / Math.max(1, outer * r);
        float[] x = a.data();
        int[] idx = argmaxIndices(x, outer, r, inner);
        float[] vals = new float[idx.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) vals[o * inner + i] = x[o * r * inner + idx[o * inner + i] * inner + i];
        }
        Tensor out = Tensor.wrap(vals, reducedShape(in, d, keepDim));
        if (!Autograd.needsGrad(a)) return out;
        return Autograd.record(out, new Node(a) {
            {
                account(4L * idx.length);
            }

            @Override
            public String name() {
                return "MaxBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                float[] gd = g.data();
                float[] gx = new float[outer * r * inner];
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        gx[o * r * inner + idx[o * inner + i] * inner + i] = gd[o * inner + i];
                    }
                }
                return new Tensor[] {Tensor.wrap(gx, in)};
            }
        });
    }

    /** Index of the (first) maximum over one dimension, as float values; not differentiable. */
    public static Tensor argmax(Tensor a, int dim, boolean keepDim) {
        int[] in = a.shape();
        int d = Shape.dim("argmax", dim, in.length);
        int outer = Shape.numel(Arrays.copyOf(in, d)), r = in[d], inner = a.numel() / Math.max(1, outer * r);
        if (r == 0) throw new IllegalArgumentException("argmax: dimension " + dim + " of " + Shape.str(in) + " is empty");
        int[] idx = argmaxIndices(a.data(), outer, r, inner);
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = idx[i];
        return Tensor.wrap(out, reducedShape(in, d, keepDim));
    }

    /** {@code in} with dimension d reduced: kept as size 1, or dropped. */
    private static int[] reducedShape(int[] in, int d, boolean keepDim) {
        int[] kept = in.clone();
        kept[d] = 1;
        boolean[] mask = new boolean[in.length];
        mask[d] = true;
        return keepDim ? kept : squeeze(kept, mask);
    }

    /**
     * Per (outer, inner) position, the index along the middle dimension of x[outer][r][inner]
     * of its first maximum; NaN counts as the maximum, as in PyTorch.
     */
    private static int[] argmaxIndices(float[] x, int outer, int r, int inner) {
        int[] idx = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * r * inner + i;
                float best = x[base];
                int bi = 0;
                for (int j = 1; j < r; j++) {
                    float v = x[base + j * inner];
                    if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                        best = v;
                        bi = j;
                    }
                }
                idx[o * inner + i] = bi;
            }
        }
        return idx;
    }

    // ---------------------------------------------------------------- helpers

    /** Sums dimension d of a contiguous array of {@code shape} (result keeps d as size 1). */
    static float[] sumDim(float[] x, int[] shape, int d) {
        int outer = Shape.numel(Arrays.copyOf(shape, d)), r = shape[d];
        int inner = Shape.numel(Arrays.copyOfRange(shape, d + 1, shape.length));
        float[] out = new float[outer * inner];
        if (inner == 1) {
            Parallel.forRange(outer, 256, (from, to) -> {
                for (int o = from; o < to; o++) out[o] = VectorOps.sum(x, o * r, r);
            });
        } else {
            Parallel.forRange(outer, 4, (from, to) -> {
                for (int o = from; o < to; o++) VectorOps.addRowSums(x, o * r * inner, r, inner, out, o * inner);
            });
        }
        return out;
    }

    static boolean[] dimsMask(String op, int[] dims, int rank) {
        boolean[] m = new boolean[rank];
        for (int dim : dims) {
            int d = Shape.dim(op, dim, rank);
            if (m[d]) throw new IllegalArgumentException(op + ": dimension " + dim + " given twice");
            m[d] = true;
        }
        return m;
    }

    private static int reducedCount(String op, int[] shape, int[] dims) {
        boolean[] m = dimsMask(op, dims, shape.length);
        int c = 1;
        for (int d = 0; d < shape.length; d++) if (m[d]) c *= shape[d];
        if (c == 0) throw new IllegalArgumentException(op + ": reducing over an empty dimension of " + Shape.str(shape));
        return c;
    }

    private static int[] squeeze(int[] kept, boolean[] reduce) {
        int n = 0;
        for (boolean r : reduce) if (!r) n++;
        int[] out = new int[n];
        for (int d = 0, j = 0; d < kept.length; d++) if (!reduce[d]) out[j++] = kept[d];
        return out;
    }
}
