package io.descent.data;

import java.util.List;
import java.util.Objects;

/** The examples of {@code base} at the given indices, in that order (PyTorch's {@code Subset}). */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    public Subset(Dataset base, int[] indices) {
        this.base = Objects.requireNonNull(base, "base");
        this.indices = Objects.requireNonNull(indices, "indices").clone();
        for (int i : this.indices) {
            if (i < 0 || i >= base.size()) throw new IndexOutOfBoundsException("Subset: index " + i + " out of range for a data set of size " + base.size());
        }
    }

    /** The indices into the base data set. */
    public int[] indices() {
        return indices.clone();
    }

    public Dataset base() {
        return base;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        return base.get(indices[Dataset.checkIndex(this, index)]);
    }

    /** The base data set's batch of the mapped indices, if it has that faster path. */
    @Override
    public Batch batch(int[] subsetIndices) {
        int[] mapped = new int[subsetIndices.length];
        for (int i = 0; i < mapped.length; i++) mapped[i] = indices[Dataset.checkIndex(this, subsetIndices[i])];
        Batch b = base.batch(mapped);
        return b == null ? null : new Batch(b.inputs(), b.labels(), b.softTargets(), b.targets(), subsetIndices.clone(), b.boxes());
    }

    @Override
    public int label(int index) {
        return base.label(indices[Dataset.checkIndex(this, index)]);
    }

    @Override
    public List<String> classes() {
        return base.classes();
    }
}
