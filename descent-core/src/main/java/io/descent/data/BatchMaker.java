package io.descent.data;

import io.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds batch {@code b} of an epoch on a worker thread: reads each example, applies the
 * per-example transform with an Rng seeded by (seed, epoch, index), collates (or, without a
 * per-example transform, takes the data set's own batch when it has one: {@link Dataset#batch}),
 * then applies the batch transform with an Rng seeded by (seed, epoch, b). Holds no reference to the loader, so
 * an unreachable loader can be cleaned while its workers still exist.
 */
final class BatchMaker {
    private final Dataset dataset;
    private final LoaderOptions options;

    BatchMaker(Dataset dataset, LoaderOptions options) {
        this.dataset = dataset;
        this.options = options;
    }

    Batch make(int epoch, int batch, int[] indices) {
        Batch b = options.transform() == null ? step(epoch, batch, () -> dataset.batch(indices)) : null;
        if (b == null) {
            List<Example> examples = new ArrayList<>(indices.length);
            for (int index : indices) {
                try {
                    Example e = dataset.get(index);
                    if (options.transform() != null) e = options.transform().apply(e, new Rng(Seeds.derive(options.seed(), Seeds.EXAMPLE, epoch, index)));
                    examples.add(e);
                } catch (RuntimeException | Error ex) {
                    throw new DataLoaderException("DataLoader: dataset index " + index + " failed (batch " + batch + " of epoch " + epoch + "): " + describe(ex), ex);
                }
            }
            b = step(epoch, batch, () -> Collate.collate(examples, indices));
        }
        if (options.batchTransform() == null) return b;
        Batch collated = b;
        return step(epoch, batch, () -> options.batchTransform().apply(collated, new Rng(Seeds.derive(options.seed(), Seeds.BATCH, epoch, batch))));
    }

    /** One whole-batch step (the data set's batch, collation, the batch transform), its failure named. */
    private static Batch step(int epoch, int batch, Supplier<Batch> step) {
        try {
            return step.get();
        } catch (RuntimeException | Error ex) {
            throw new DataLoaderException("DataLoader: batch " + batch + " of epoch " + epoch + " failed: " + describe(ex), ex);
        }
    }

    static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
