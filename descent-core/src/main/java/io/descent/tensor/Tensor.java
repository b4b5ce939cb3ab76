package io.descent.tensor;

import io.descent.autograd.AccumulateGrad;
import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.BufferPool;
import io.descent.kernels.Parallel;
import io.descent.kernels.VectorOps;
import io.descent.ops.Arithmetic;
import io.descent.ops.Activations;
import io.descent.ops.MatMul;
import io.descent.ops.Reductions;
import io.descent.ops.ShapeOps;
import io.descent.ops.Softmax;
import io.descent.ops.Unary;
import java.util.Arrays;

/**
 * A dense float32 tensor, row-major (NCHW for images), always contiguous: element
 * {@code (i0, ..., ik)} lives at {@code data[sum(ij * stride_j)]}. {@link #reshape} and
 * {@link #view} share the array; every other op returns a new tensor.
 *
 * <p>Autograd: a tensor that {@link #requiresGrad()} and was produced by an op carries the
 * {@link #gradFn()} node that made it; {@link #backward()} adds gradients into {@link #grad()}
 * of the leaves, which only {@link #zeroGrad()} clears.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    private Tensor grad;
    /**
     * Whether {@link #grad}'s array may go back to the {@link BufferPool} when the gradient is
     * cleared: true while the array was made by {@link #accumulateGrad} (a copy, or a buffer
     * the backward engine handed over) and nobody outside has been given the gradient tensor
     * ({@link #grad()} clears it; {@link #gradArray()} does not).
     */
    private boolean gradRecyclable;
    private Node gradFn;
    private AccumulateGrad accumulator;
    /** Whether the array came from {@link BufferPool} and may go back once the engine proves it dead. */
    private boolean recyclable;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- factories

    /** Wraps {@code data} without copying; its length must equal the shape's element count. */
    public static Tensor wrap(float[] data, int... shape) {
        int n = Shape.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("Tensor.wrap: " + data.length + " values cannot fill shape " + Shape.str(shape) + " (" + n + " elements)");
        }
        return new Tensor(data, shape.clone());
    }

    /** A tensor holding a copy of {@code values} in the given shape. */
    public static Tensor of(float[] values, int... shape) {
        return wrap(values.clone(), shape);
    }

    /** A 1-D tensor of the given values. */
    public static Tensor of(float... values) {
        return wrap(values.clone(), values.length);
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone());
    }

    /**
     * A tensor on an array from {@link BufferPool}, contents unspecified (the caller overwrites
     * every element), for the gradients a backward function returns: the autograd engine hands
     * the array back to the pool once the gradient has been consumed and nothing else holds it.
     */
    public static Tensor recyclable(int... shape) {
        Tensor t = new Tensor(BufferPool.take(Shape.numel(shape)), shape.clone());
        t.recyclable = true;
        return t;
    }

    /** Whether this tensor's array came from {@link BufferPool} (see {@link #recyclable(int...)}). */
    public boolean isRecyclable() {
        return recyclable;
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** Values {@code start, start+step, ...} below {@code end} (above, for a negative step). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step)) throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + i * step);
        return new Tensor(d, new int[] {n});
    }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextFloat();
        return new Tensor(d, shape.clone());
    }

    /** Uniform samples in [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * rng.nextFloat();
        return new Tensor(d, shape.clone());
    }

    /** Standard normal samples. */
    public static Tensor randn(Rng rng, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        rng.fillNormal(d, 0, 1);
        return new Tensor(d, shape.clone());
    }

    // ---------------------------------------------------------------- shape and data

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shape.dim("size", d, shape.length)];
    }

    public int numel() {
        return data.length;
    }

    /**
     * The backing array, for kernels and ops. Writing into it bypasses autograd: do it only on
     * tensors you just created or on leaves under no-grad (optimizers, initialisation).
     */
    public float[] data() {
        return data;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) throw new IllegalStateException("item: tensor of shape " + Shape.str(shape) + " has " + data.length + " elements, not 1");
        return data[0];
    }

    /** A copy of the values, row-major. */
    public float[] toArray() {
        return data.clone();
    }

    /** The value at a full index. */
    public float get(int... index) {
        return data[offset("get", index)];
    }

    /** Sets the value at a full index (no autograd; for building inputs and tests). */
    public void set(float value, int... index) {
        data[offset("set", index)] = value;
    }

    private int offset(String op, int[] index) {
        if (index.length != shape.length) throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " does not match rank of shape " + Shape.str(shape));
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " out of bounds for shape " + Shape.str(shape));
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** A new tensor with a copy of the data, detached from the tape. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** The same data, cut from the tape (shares the array). */
    public Tensor detach() {
        return new Tensor(data, shape.clone());
    }

    /** A view of the same data with another shape (one dimension may be -1). Differentiable. */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /** Same as {@link #reshape}: tensors are always contiguous, so every reshape is a view. */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /** A view sharing the data, with no autograd: for ops that implement reshape. */
    public Tensor viewRaw(int... newShape) {
        return new Tensor(data, Shape.resolveReshape("view", shape, newShape));
    }

    /** Flattens dimensions {@code start..end} into one (PyTorch's {@code flatten}). */
    public Tensor flatten(int start, int end) {
        return ShapeOps.flatten(this, start, end);
    }

    /** Flattens all but the first dimension: [N, ...] to [N, rest]. */
    public Tensor flatten() {
        return ShapeOps.flatten(this, 1, -1);
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a variable whose gradient backward must compute. Returns {@code this}. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) throw new IllegalStateException("requiresGrad(false): only leaves can stop requiring grad; use detach()");
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient (null before the first backward and after {@link #zeroGrad()}). */
    public Tensor grad() {
        gradRecyclable = false; // the caller may keep it: it must stay as it is
        return grad;
    }

    /**
     * The accumulated gradient's values (null when there is none), for code that uses them at
     * once and keeps no reference, as an optimizer step or gradient clipping does: the array is
     * valid until the next {@link #zeroGrad()}, which may hand it to the next backward pass.
     * (A fresh gradient array per step cost W1's MLP 0.3 ms of a 2.4 ms step in allocation and
     * zeroing; {@link #grad()} keeps the array from being reused.)
     */
    public float[] gradArray() {
        return grad == null ? null : grad.data;
    }

    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape) + " does not match " + Shape.str(shape));
        this.grad = g;
        this.gradRecyclable = false;
    }

    /**
     * Clears the accumulated gradient (PyTorch's {@code zero_grad(set_to_none=True)}). Its array
     * goes back to the {@link BufferPool} unless someone was given the gradient tensor.
     */
    public void zeroGrad() {
        if (grad != null && gradRecyclable) BufferPool.give(grad.data);
        this.grad = null;
        this.gradRecyclable = false;
    }

    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Used by {@link Autograd#record}: the node that produced this tensor. */
    public void setGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = node != null || requiresGrad;
    }

    /** The tape node that adds into this leaf's gradient (created on first use). */
    public AccumulateGrad gradAccumulator() {
        if (accumulator == null) accumulator = new AccumulateGrad(this);
        return accumulator;
    }

    /** Adds {@code g} into {@link #grad()} (creating it on first use). Gradients add. */
    public void accumulateGrad(Tensor g) {
        accumulateGrad(g, false);
    }

    /**
     * Adds {@code g} into {@link #grad()}; when {@code owned} (nothing else holds g's array, as
     * the backward engine knows) the first gradient is adopted without a copy.
     */
    public void accumulateGrad(Tensor g, boolean owned) {
        if (!Arrays.equals(g.shape, shape)) {
            throw new IllegalStateException("accumulateGrad: gradient shape " + Shape.str(g.shape) + " does not match " + Shape.str(shape));
        }
        if (grad == null) {
            grad = owned ? new Tensor(g.data, shape.clone()) : g.copy();
            gradRecyclable = true;
        } else {
            grad.addInPlace(g);
        }
    }

    /** Back-propagates from a scalar (gradient 1). */
    public void backward() {
        if (data.length != 1) throw new IllegalStateException("backward: grad can be implicitly created only for scalar outputs, got shape " + Shape.str(shape) + "; pass a gradient");
        Autograd.backward(this, Tensor.full(1f, shape), false);
    }

    /** Back-propagates the given output gradient. */
    public void backward(Tensor gradOutput) {
        Autograd.backward(this, gradOutput, false);
    }

    /** Back-propagates and keeps the saved tensors, so that backward may run again. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        Autograd.backward(this, gradOutput, retainGraph);
    }

    /** {@code this += other} elementwise, no autograd (same shape). */
    public void addInPlace(Tensor other) {
        if (!Arrays.equals(other.shape, shape)) throw new IllegalArgumentException("addInPlace: shapes " + Shape.str(shape) + " and " + Shape.str(other.shape) + " differ");
        float[] d = data, o = other.data;
        // split over the threads (element-wise, so the same bits): the backward pass sums
        // resnet50's residual gradients, up to 25 MB each, with it
        Parallel.forRange(d.length, 1 << 15, (from, to) -> VectorOps.add(d, o, d, from, to));
    }

    // ---------------------------------------------------------------- fluent ops

    public Tensor add(Tensor o) { return Arithmetic.add(this, o); }
    public Tensor sub(Tensor o) { return Arithmetic.sub(this, o); }
    public Tensor mul(Tensor o) { return Arithmetic.mul(this, o); }
    public Tensor div(Tensor o) { return Arithmetic.div(this, o); }
    public Tensor add(float c) { return Arithmetic.addScalar(this, c); }
    public Tensor mul(float c) { return Arithmetic.mulScalar(this, c); }
    public Tensor neg() { return Arithmetic.mulScalar(this, -1f); }
    public Tensor pow(float p) { return Unary.pow(this, p); }
    public Tensor exp() { return Unary.exp(this); }
    public Tensor log() { return Unary.log(this); }
    public Tensor sqrt() { return Unary.sqrt(this); }
    public Tensor abs() { return Unary.abs(this); }
    public Tensor clamp(float min, float max) { return Unary.clamp(this, min, max); }
    public Tensor relu() { return Activations.relu(this); }
    public Tensor sigmoid() { return Activations.sigmoid(this); }
    public Tensor tanh() { return Activations.tanh(this); }
    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }
    public Tensor sum() { return Reductions.sum(this); }
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, new int[] {dim}, keepDim); }
    public Tensor mean() { return Reductions.mean(this); }
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, new int[] {dim}, keepDim); }
    public Tensor max(int dim, boolean keepDim) { return Reductions.max(this, dim, keepDim); }
    public Tensor argmax(int dim) { return Reductions.argmax(this, dim, false); }
    public Tensor transpose(int d0, int d1) { return ShapeOps.transpose(this, d0, d1); }
    public Tensor permute(int... dims) { return ShapeOps.permute(this, dims); }
    public Tensor softmax(int dim) { return Softmax.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Softmax.logSoftmax(this, dim); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape));
        if (gradFn != null) sb.append(" grad_fn=").append(gradFn.name());
        else if (requiresGrad) sb.append(" requires_grad");
        sb.append(' ');
        int show = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < show; i++) sb.append(i > 0 ? ", " : "").append(data[i]);
        if (show < data.length) sb.append(", ...");
        return sb.append(']').toString();
    }
}
