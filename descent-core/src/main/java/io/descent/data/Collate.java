package io.descent.data;

import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Stacks examples of one shape into a {@link Batch} (PyTorch's {@code default_collate}):
 * inputs [N, ...shape], labels, and reconstruction targets or detection boxes when every
 * example has them.
 */
public final class Collate {
    private Collate() {}

    /** {@code indices[i]} is the data set index of {@code examples.get(i)}, kept for error reports. */
    public static Batch collate(List<Example> examples, int[] indices) {
        int n = examples.size();
        if (n == 0) throw new IllegalArgumentException("collate: no examples");
        if (indices.length != n) throw new IllegalArgumentException("collate: " + indices.length + " indices for " + n + " examples");
        Example first = examples.get(0);
        int[] shape = first.shape();
        int per = first.data().length;
        boolean withTargets = first.target() != null, withBoxes = first.boxes() != null;
        List<Boxes> boxes = withBoxes ? new java.util.ArrayList<>(n) : null;
        float[] x = new float[Math.multiplyExact(n, per)];
        float[] t = withTargets ? new float[x.length] : null;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            if (!Arrays.equals(e.shape(), shape)) {
                throw new IllegalArgumentException("collate: example " + indices[i] + " has shape " + Shape.str(e.shape())
                        + " but example " + indices[0] + " has " + Shape.str(shape) + " (resize or crop to one size)");
            }
            if ((e.target() != null) != withTargets) {
                throw new IllegalArgumentException("collate: example " + indices[i] + (withTargets ? " lacks" : " has")
                        + " a reconstruction target but example " + indices[0] + (withTargets ? " has one" : " has none"));
            }
            if ((e.boxes() != null) != withBoxes) {
                throw new IllegalArgumentException("collate: example " + indices[i] + (withBoxes ? " lacks" : " has")
                        + " detection boxes but example " + indices[0] + (withBoxes ? " has them" : " has none"));
            }
            if (withBoxes) boxes.add(e.boxes());
            System.arraycopy(e.data(), 0, x, i * per, per);
            if (withTargets) System.arraycopy(e.target(), 0, t, i * per, per);
            labels[i] = e.label();
        }
        int[] batchShape = batchShape(n, shape);
        return new Batch(Tensor.wrap(x, batchShape), labels, null, withTargets ? Tensor.wrap(t, batchShape) : null, indices.clone(), boxes);
    }

    /** {@code [n, shape...]}: the shape of n examples of {@code shape} stacked. */
    static int[] batchShape(int n, int[] shape) {
        int[] b = new int[shape.length + 1];
        b[0] = n;
        System.arraycopy(shape, 0, b, 1, shape.length);
        return b;
    }
}
