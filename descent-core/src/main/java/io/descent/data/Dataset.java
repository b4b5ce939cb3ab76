package io.descent.data;

import java.util.List;

/**
 * A finite, indexable collection of examples (PyTorch's map-style {@code Dataset}).
 *
 * <p>{@link #get} must be a pure function of the index and safe to call from several threads
 * at once: the {@link DataLoader}'s workers call it concurrently, and reproducibility rests on
 * it returning the same example every time. Randomness belongs in {@link Transform}s, which the
 * loader seeds per (seed, epoch, index).
 */
public interface Dataset {
    int size();

    /** The example at {@code index}, 0 ≤ index < size(). */
    Example get(int index);

    /**
     * The label of example {@code index} without building the example: in-memory and folder
     * data sets answer from an array, so stratified and class subsets never decode images.
     */
    default int label(int index) {
        return get(index).label();
    }

    /**
     * Examples {@code indices} (each in range) already collated into one batch, as
     * {@link Collate#collate} of their {@link #get}s would be, or null when this data set has no
     * faster way than building each example (the default). The {@link DataLoader} asks when no
     * per-example transform is set: Fashion-MNIST's bytes are then decoded straight into the
     * batch, without an array and a copy per image (on two cores the loader's thread takes
     * time from the training threads: W1 trained 10 % faster from batches made in advance).
     */
    default Batch batch(int[] indices) {
        return null;
    }

    /** Class names, label {@code k} naming {@code classes().get(k)}; empty when unknown or unlabelled. */
    default List<String> classes() {
        return List.of();
    }

    /** Refuses an index outside {@code [0, size)} with a message naming the data set. */
    static int checkIndex(Dataset d, int index) {
        if (index < 0 || index >= d.size()) {
            throw new IndexOutOfBoundsException(d.getClass().getSimpleName() + ": index " + index + " out of range for size " + d.size());
        }
        return index;
    }
}
