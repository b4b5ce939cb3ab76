package io.descent.data;

import io.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds batch {@code b} of an epoch on a worker thread: reads each example, applies the
 * per-example transform with an Rng seeded by (seed, epoch, index), collates, then applies the
 * batch transform with an Rng seeded by (seed, epoch, b). Holds no reference to the loader, so
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
        try {
            Batch b = Collate.collate(examples, indices);
            if (options.batchTransform() != null) b = options.batchTransform().apply(b, new Rng(Seeds.derive(options.seed(), Seeds.BATCH, epoch, batch)));
            return b;
        } catch (RuntimeException | Error ex) {
            throw new DataLoaderException("DataLoader: batch " + batch + " of epoch " + epoch + " failed: " + describe(ex), ex);
        }
    }

    static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
