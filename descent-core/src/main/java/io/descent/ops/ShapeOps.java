package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/** reshape, flatten, permute/transpose, concat, slice, index_select, pad. */
public final class ShapeOps {
    private ShapeOps() {}

    /** A view with a new shape (one -1 allowed); shares the data. */
    public static Tensor reshape(Tensor a, int... shape) {
        Tensor out = a.viewRaw(Shape.resolveReshape("reshape", a.shape(), shape));
        if (!Autograd.needsGrad(a)) return out;
        int[] in = a.shape();
        return Autograd.record(out, new Node(a) {
            @Override
            public String name() {
                return "ReshapeBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {g.viewRaw(in)};
            }
        });
    }

    /** Merges dimensions start..end (inclusive, negative allowed) into one. */
    public static Tensor flatten(Tensor a, int start, int end) {
        int[] s = a.shape();
        if (s.length == 0) return reshape(a, 1);
        int st = Shape.dim("flatten", start, s.length), en = Shape.dim("flatten", end, s.length);
        if (st > en) throw new IllegalArgumentException("flatten: start dim " + start + " is after end dim " + end + " for shape " + Shape.str(s));
        int[] out = new int[s.length - (en - st)];
        int j = 0;
        for (int d = 0; d < st; d++) out[j++] = s[d];
        int merged = 1;
        for (int d = st; d <= en; d++) merged *= s[d];
        out[j++] = merged;
        for (int d = en + 1; d < s.length; d++) out[j++] = s[d];
        return reshape(a, out);
    }

    /** Inserts a dimension of size 1 at {@code dim}. */
    public static Tensor unsqueeze(Tensor a, int dim) {
        int[] s = a.shape();
        int d = Shape.dim("unsqueeze", dim, s.length + 1);
        int[] out = new int[s.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == d ? 1 : s[j++];
        return reshape(a, out);
    }

    /** Removes dimension {@code dim}, which must have size 1. */
    public static Tensor squeeze(Tensor a, int dim) {
        int[] s = a.shape();
        int d = Shape.dim("squeeze", dim, s.length);
        if (s[d] != 1) throw new IllegalArgumentException("squeeze: dimension " + dim + " of " + Shape.str(s) + " is not 1");
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != d) out[j++] = s[i];
        return reshape(a, out);
    }

    /** Swaps two dimensions (copies the data into the new order). */
    public static Tensor transpose(Tensor a, int d0, int d1) {
        int r = a.dim();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        int x = Shape.dim("transpose", d0, r), y = Shape.dim("transpose", d1, r);
        perm[x] = y;
        perm[y] = x;
        return permute(a, perm);
    }

    /** Reorders dimensions: output dim i is input dim {@code perm[i]}. */
    public static Tensor permute(Tensor a, int... perm) {
        int[] s = a.shape();
        if (perm.length != s.length) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " does not match shape " + Shape.str(s));
        int[] p = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int i = 0; i < perm.length; i++) {
            p[i] = Shape.dim("permute", perm[i], s.length);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: repeated dimension in " + Arrays.toString(perm));
            seen[p[i]] = true;
        }
        float[] out = permuteData(a.data(), s, p);
        int[] os = new int[s.length];
        for (int i = 0; i < s.length; i++) os[i] = s[p[i]];
        Tensor result = Tensor.wrap(out, os);
        if (!Autograd.needsGrad(a)) return result;
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) inv[p[i]] = i;
        return Autograd.record(result, new Node(a) {
            @Override
            public String name() {
                return "PermuteBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {Tensor.wrap(permuteData(g.data(), os, inv), s)};
            }
        });
    }

    static float[] permuteData(float[] x, int[] s, int[] p) {
        int r = s.length;
        float[] out = new float[x.length];
        if (x.length == 0) return out;
        int[] st = Shape.strides(s);
        int[] os = new int[r], ost = new int[r];
        for (int i = 0; i < r; i++) {
            os[i] = s[p[i]];
            ost[i] = st[p[i]]; // input stride walked by output dim i
        }
        int[] idx = new int[r];
        int last = r == 0 ? 1 : os[r - 1], lastStride = r == 0 ? 0 : ost[r - 1];
        for (int o = 0; o < out.length; o += last) {
            int src = 0;
            for (int d = 0; d < r - 1; d++) src += idx[d] * ost[d];
            for (int j = 0; j < last; j++) out[o + j] = x[src + j * lastStride];
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < os[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Joins tensors along {@code dim}; all other dimensions must agree. */
    public static Tensor concat(int dim, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        int[] s0 = ts[0].shape();
        int d = Shape.dim("concat", dim, s0.length);
        int sum = 0;
        for (Tensor t : ts) {
            int[] s = t.shape();
            boolean ok = s.length == s0.length;
            for (int i = 0; ok && i < s.length; i++) ok = i == d || s[i] == s0[i];
            if (!ok) throw new IllegalArgumentException("concat: shapes " + Shape.str(s0) + " and " + Shape.str(s) + " differ outside dimension " + dim);
            sum += s[d];
        }
        final int total = sum;
        int outer = Shape.numel(Arrays.copyOf(s0, d)), inner = Shape.numel(Arrays.copyOfRange(s0, d + 1, s0.length));
        int[] os = s0.clone();
        os[d] = total;
        float[] out = new float[Shape.numel(os)];
        int[] sizes = new int[ts.length];
        for (int o = 0; o < outer; o++) {
            int pos = o * total * inner;
            for (int t = 0; t < ts.length; t++) {
                sizes[t] = ts[t].size(d);
                int len = sizes[t] * inner;
                System.arraycopy(ts[t].data(), o * len, out, pos, len);
                pos += len;
            }
        }
        Tensor result = Tensor.wrap(out, os);
        if (!Autograd.needsGrad(ts)) return result;
        return Autograd.record(result, new Node(ts) {
            @Override
            public String name() {
                return "ConcatBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                Tensor[] grads = new Tensor[sizes.length];
                float[] gd = g.data();
                int off = 0;
                for (int t = 0; t < sizes.length; t++) {
                    int len = sizes[t] * inner;
                    if (needsGrad(t)) {
                        float[] gt = new float[outer * len];
                        for (int o = 0; o < outer; o++) System.arraycopy(gd, o * total * inner + off, gt, o * len, len);
                        int[] st = os.clone();
                        st[d] = sizes[t];
                        grads[t] = Tensor.wrap(gt, st);
                    }
                    off += len;
                }
                return grads;
            }
        });
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code dim} (Python's a[start:end:step]). */
    public static Tensor slice(Tensor a, int dim, int start, int end, int step) {
        int[] s = a.shape();
        int d = Shape.dim("slice", dim, s.length);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int size = s[d];
        int st = Math.max(0, Math.min(size, start < 0 ? start + size : start));
        int en = Math.max(st, Math.min(size, end < 0 ? end + size : end));
        int count = (en - st + step - 1) / step;
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = st + i * step;
        return indexSelect(a, d, idx);
    }

    /** The entries {@code index[i]} along {@code dim}, in that order (repeats allowed). */
    public static Tensor indexSelect(Tensor a, int dim, int... index) {
        int[] s = a.shape();
        int d = Shape.dim("index_select", dim, s.length);
        for (int i : index) {
            if (i < 0 || i >= s[d]) throw new IndexOutOfBoundsException("index_select: index " + i + " out of range for dimension " + dim + " of size " + s[d]);
        }
        int outer = Shape.numel(Arrays.copyOf(s, d)), inner = Shape.numel(Arrays.copyOfRange(s, d + 1, s.length));
        int[] os = s.clone();
        os[d] = index.length;
        float[] x = a.data(), out = new float[Shape.numel(os)];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < index.length; j++) {
                System.arraycopy(x, (o * s[d] + index[j]) * inner, out, (o * index.length + j) * inner, inner);
            }
        }
        Tensor result = Tensor.wrap(out, os);
        if (!Autograd.needsGrad(a)) return result;
        int[] idx = index.clone();
        return Autograd.record(result, new Node(a) {
            {
                account(4L * idx.length);
            }

            @Override
            public String name() {
                return "IndexSelectBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                float[] gd = g.data(), gx = new float[Shape.numel(s)];
                for (int o = 0; o < outer; o++) {
                    for (int j = 0; j < idx.length; j++) {
                        int src = (o * idx.length + j) * inner, dst = (o * s[d] + idx[j]) * inner;
                        for (int i = 0; i < inner; i++) gx[dst + i] += gd[src + i];
                    }
                }
                return new Tensor[] {Tensor.wrap(gx, s)};
            }
        });
    }

    /**
     * Constant padding, PyTorch's F.pad order: {@code pads} holds (before, after) pairs starting
     * from the LAST dimension. Negative pads crop.
     */
    public static Tensor pad(Tensor a, int[] pads, float value) {
        int[] s = a.shape();
        if (pads.length % 2 != 0 || pads.length / 2 > s.length) {
            throw new IllegalArgumentException("pad: " + Arrays.toString(pads) + " must hold (before, after) pairs for at most " + s.length + " dimensions");
        }
        int r = s.length;
        int[] before = new int[r], os = s.clone();
        for (int i = 0; i < pads.length / 2; i++) {
            int dim = r - 1 - i;
            before[dim] = pads[2 * i];
            os[dim] = s[dim] + pads[2 * i] + pads[2 * i + 1];
            if (os[dim] < 0) throw new IllegalArgumentException("pad: padding " + Arrays.toString(pads) + " makes dimension " + dim + " of " + Shape.str(s) + " negative");
        }
        float[] out = new float[Shape.numel(os)];
        if (value != 0f) Arrays.fill(out, value);
        copyShifted(a.data(), s, out, os, before, true);
        Tensor result = Tensor.wrap(out, os);
        if (!Autograd.needsGrad(a)) return result;
        return Autograd.record(result, new Node(a) {
            @Override
            public String name() {
                return "PadBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                float[] gx = new float[Shape.numel(s)];
                copyShifted(g.data(), os, gx, s, before, false);
                return new Tensor[] {Tensor.wrap(gx, s)};
            }
        });
    }

    /**
     * Copies between an unpadded array {@code small} (shape s) and a padded one (shape os),
     * where small's index i maps to padded index i + before. {@code forward} copies small into
     * padded; otherwise padded into small. Indices outside either array are skipped.
     */
    private static void copyShifted(float[] src, int[] srcShape, float[] dst, int[] dstShape, int[] before, boolean forward) {
        int[] small = forward ? srcShape : dstShape;
        int r = small.length;
        if (Shape.numel(small) == 0 || Shape.numel(forward ? dstShape : srcShape) == 0) return;
        int[] sst = Shape.strides(srcShape), dstSt = Shape.strides(dstShape);
        int[] idx = new int[r];
        int n = Shape.numel(small);
        for (int lin = 0; lin < n; lin++) {
            boolean inside = true;
            int so = 0, dof = 0;
            for (int d = 0; d < r; d++) {
                int p = idx[d] + before[d];
                int padded = forward ? dstShape[d] : srcShape[d];
                if (p < 0 || p >= padded) {
                    inside = false;
                    break;
                }
                so += (forward ? idx[d] : p) * sst[d];
                dof += (forward ? p : idx[d]) * dstSt[d];
            }
            if (inside) dst[dof] = src[so];
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < small[d]) break;
                idx[d] = 0;
            }
        }
    }
}
