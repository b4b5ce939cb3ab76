package io.descent.data;

import io.descent.tensor.Rng;
import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches a {@link Dataset}, on background threads or on the caller's (PyTorch's {@code DataLoader}).
 *
 * <pre>{@code
 * try (DataLoader loader = new DataLoader(train, LoaderOptions.DEFAULT.withBatchSize(128).withShuffle(true).withSeed(42))) {
 *     for (int epoch = 0; epoch < epochs; epoch++)
 *         for (Batch b : loader.epoch(epoch)) step(b.inputs(), b.labels());
 * }
 * }</pre>
 *
 * <p><b>Reproducible.</b> The order of epoch {@code e} is a permutation drawn from
 * {@code (seed, e)} alone, so resuming at epoch 7 needs no replay of epochs 0–6; each example's
 * transform draws from {@code (seed, e, index)} and each batch transform from {@code (seed, e,
 * batch)}. Batches are therefore identical for any number of workers.
 *
 * <p><b>Keeps I/O off the training thread.</b> Reading, decoding, augmenting and collating
 * run on {@code numWorkers} worker threads, at most {@code numWorkers × prefetchFactor} batches
 * ahead; the training thread only takes finished batches, in order. With {@code numWorkers} 0
 * (PyTorch's {@code num_workers=0}) the training thread builds each batch as it asks for it,
 * for data whose batches cost less than a thread switch (see {@link LoaderOptions}). A
 * failure is rethrown on the training thread as a {@link DataLoaderException} naming the data
 * set index and epoch.
 *
 * <p><b>Shutdown.</b> The worker threads live as long as the loader (PyTorch's
 * {@code persistent_workers}); starting an epoch cancels an unfinished one, so an abandoned
 * iterator costs no thread. {@link #close} stops them; a loader that becomes unreachable
 * without being closed is stopped by a cleaner.
 */
public final class DataLoader implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("descent-loader-cleaner").factory());
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Dataset dataset;
    private final LoaderOptions options;
    private final LoaderWorkers workers;
    private final Cleaner.Cleanable cleanable;

    public DataLoader(Dataset dataset, LoaderOptions options) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.options = Objects.requireNonNull(options, "options");
        this.workers = new LoaderWorkers(new BatchMaker(dataset, options), options.numWorkers(),
                options.numWorkers() * options.prefetchFactor(), "descent-loader-" + IDS.incrementAndGet());
        LoaderWorkers w = workers; // the cleaning action must not reach this loader
        this.cleanable = CLEANER.register(this, w::shutdown);
    }

    public Dataset dataset() {
        return dataset;
    }

    public LoaderOptions options() {
        return options;
    }

    /** Batches per epoch: ⌈size / batchSize⌉, or ⌊size / batchSize⌋ with dropLast. */
    public int numBatches() {
        int n = dataset.size(), bs = options.batchSize();
        return options.dropLast() ? n / bs : (int) ((n + (long) bs - 1) / bs);
    }

    /**
     * The data set indices of epoch {@code epoch} in the order they are served: a Fisher–Yates
     * permutation seeded by {@code (seed, epoch)} when shuffling, else {@code 0..size-1}.
     */
    public int[] order(int epoch) {
        checkEpoch(epoch);
        int n = dataset.size();
        if (options.shuffle()) return new Rng(Seeds.derive(options.seed(), Seeds.ORDER, epoch)).permutation(n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }

    /**
     * The batches of epoch {@code epoch}; each call of {@code iterator()} starts producing them
     * (and cancels an epoch still running on this loader: only one epoch runs at a time).
     */
    public Iterable<Batch> epoch(int epoch) {
        checkEpoch(epoch);
        return () -> new EpochIterator(epoch);
    }

    /** Stops the worker threads and waits for them (up to 10 s); idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("DataLoader: epoch must be >= 0, got " + epoch);
    }

    /** An inner class: while it is reachable, so is the loader, and the cleaner leaves the workers alone. */
    private final class EpochIterator implements Iterator<Batch> {
        private final LoaderWorkers.Run run;

        EpochIterator(int epoch) {
            int[] order = order(epoch);
            run = workers.start(epoch, order, options.batchSize(), numBatches());
        }

        @Override
        public boolean hasNext() {
            return workers.hasMore(run);
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: epoch " + run.epoch + " has no more batches");
            return workers.take(run);
        }
    }
}
