package io.descent.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the examples of some classes and renumbers them in the order given: keeping
 * {@code {5, 6, 7, 8, 9}} maps label 5 to 0, ..., 9 to 4 (the second half of a transfer-learning
 * split; {@code --classes 5,6,7,8,9}). Labels are read with {@link Dataset#label}, so no image
 * is decoded to build the subset.
 */
public final class ClassSubset implements Dataset {
    private final Dataset base;
    private final int[] keep;
    private final int[] indices;
    private final int[] newLabel; // base label → new label, -1 when dropped

    public ClassSubset(Dataset base, int[] keep) {
        this.base = Objects.requireNonNull(base, "base");
        this.keep = Objects.requireNonNull(keep, "keep").clone();
        if (keep.length == 0) throw new IllegalArgumentException("ClassSubset: keep must name at least one class");
        int known = base.classes().size();
        int max = 0;
        for (int c : keep) {
            if (c < 0) throw new IllegalArgumentException("ClassSubset: class " + c + " in keep is negative");
            if (known > 0 && c >= known) throw new IllegalArgumentException("ClassSubset: class " + c + " in keep is out of range: the data set has " + known + " classes");
            max = Math.max(max, c);
        }
        newLabel = new int[max + 1];
        java.util.Arrays.fill(newLabel, -1);
        for (int j = 0; j < keep.length; j++) {
            if (newLabel[keep[j]] >= 0) throw new IllegalArgumentException("ClassSubset: class " + keep[j] + " appears twice in keep");
            newLabel[keep[j]] = j;
        }
        int n = base.size(), count = 0;
        int[] found = new int[n];
        for (int i = 0; i < n; i++) {
            int l = base.label(i);
            if (l >= 0 && l < newLabel.length && newLabel[l] >= 0) found[count++] = i;
        }
        indices = java.util.Arrays.copyOf(found, count);
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        Example e = base.get(indices[Dataset.checkIndex(this, index)]);
        return e.withLabel(newLabel[e.label()]);
    }

    @Override
    public int label(int index) {
        return newLabel[base.label(indices[Dataset.checkIndex(this, index)])];
    }

    /** The kept classes' names in their new order (or their old numbers when the base has no names). */
    @Override
    public List<String> classes() {
        List<String> names = base.classes(), out = new ArrayList<>(keep.length);
        for (int c : keep) out.add(names.isEmpty() ? Integer.toString(c) : names.get(c));
        return List.copyOf(out);
    }
}
