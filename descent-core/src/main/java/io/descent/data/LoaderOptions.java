package io.descent.data;

/**
 * How a {@link DataLoader} batches and prefetches, with PyTorch's {@code DataLoader} argument
 * names: {@code batchSize} (batch_size), {@code shuffle}, {@code dropLast} (drop_last),
 * {@code numWorkers} (num_workers) and {@code prefetchFactor} (prefetch_factor: batches
 * prepared ahead per worker). {@code seed} replaces PyTorch's generator: the permutation of
 * each epoch and every augmentation are derived from it. {@code transform} runs on each
 * example and {@code batchTransform} (mixup, CutMix) on each collated batch, both on workers.
 *
 * <p>{@code numWorkers} 0 is PyTorch's {@code num_workers=0}: the training thread builds each
 * batch when it asks for the next one, with no thread switch. That suits data whose batches
 * cost little beside a step (images held in memory as bytes: a Fashion-MNIST batch of 128 is
 * decoded in ~0.1 ms); with file reads or augmentation, workers keep them off the training
 * thread. The batches are the same either way.
 */
public record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, long seed, int numWorkers, int prefetchFactor,
                            Transform transform, BatchTransform batchTransform) {
    /** batch_size 1, no shuffle, keep the last partial batch, seed 0, one worker, prefetch 2, no transforms. */
    public static final LoaderOptions DEFAULT = new LoaderOptions(1, false, false, 0L, 1, 2, null, null);

    public LoaderOptions {
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize);
        if (numWorkers < 0) {
            throw new IllegalArgumentException("DataLoader: numWorkers must be >= 0 (0: batches are built on the training thread), got " + numWorkers);
        }
        if (prefetchFactor < 1) throw new IllegalArgumentException("DataLoader: prefetchFactor must be >= 1, got " + prefetchFactor);
    }

    public LoaderOptions withBatchSize(int v) {
        return new LoaderOptions(v, shuffle, dropLast, seed, numWorkers, prefetchFactor, transform, batchTransform);
    }

    public LoaderOptions withShuffle(boolean v) {
        return new LoaderOptions(batchSize, v, dropLast, seed, numWorkers, prefetchFactor, transform, batchTransform);
    }

    public LoaderOptions withDropLast(boolean v) {
        return new LoaderOptions(batchSize, shuffle, v, seed, numWorkers, prefetchFactor, transform, batchTransform);
    }

    public LoaderOptions withSeed(long v) {
        return new LoaderOptions(batchSize, shuffle, dropLast, v, numWorkers, prefetchFactor, transform, batchTransform);
    }

    public LoaderOptions withNumWorkers(int v) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, v, prefetchFactor, transform, batchTransform);
    }

    public LoaderOptions withPrefetchFactor(int v) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, numWorkers, v, transform, batchTransform);
    }

    public LoaderOptions withTransform(Transform v) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, numWorkers, prefetchFactor, v, batchTransform);
    }

    public LoaderOptions withBatchTransform(BatchTransform v) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, numWorkers, prefetchFactor, transform, v);
    }
}
