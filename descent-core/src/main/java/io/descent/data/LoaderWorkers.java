package io.descent.data;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker threads of one {@link DataLoader} and the epoch they are producing.
 *
 * <p>Workers claim batch numbers in order and build them concurrently; the consumer takes them
 * in order. A worker claims batch {@code b} only while {@code b < taken + window}, so at most
 * {@code window} batches are being built or waiting (PyTorch's {@code prefetch_factor ×
 * num_workers}): memory stays bounded however slow the consumer. One lock and one condition
 * guard everything; contention is one acquisition per batch.
 *
 * <p>Starting an epoch cancels the previous one (an iterator abandoned mid-epoch stops being
 * fed, and its batches are dropped); {@link #shutdown} ends the threads. Threads are created on
 * the first epoch and named after the loader, so a leak is visible in a thread dump. With no
 * workers the consumer builds each batch itself in {@link #take}, under the same rules.
 */
final class LoaderWorkers {
    private static final long JOIN_MILLIS = 10_000;

    /** One epoch: the batches' data set indices and the results, by batch number. */
    static final class Run {
        final int epoch;
        private final int[] order;
        private final int batchSize;
        final int numBatches;
        private final Object[] results; // Batch or DataLoaderException
        private int next;
        private int taken;
        private String cancelled; // why this run stopped, or null
        private boolean failed; // a worker failure was rethrown: the epoch has no more batches

        Run(int epoch, int[] order, int batchSize, int numBatches) {
            this.epoch = epoch;
            this.order = order;
            this.batchSize = batchSize;
            this.numBatches = numBatches;
            this.results = new Object[numBatches];
        }

        int[] indices(int b) {
            return Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final BatchMaker maker;
    private final int numWorkers;
    private final int window;
    private final String name;
    private Thread[] threads;
    private Run current;
    private boolean shutdown;

    LoaderWorkers(BatchMaker maker, int numWorkers, int window, String name) {
        this.maker = maker;
        this.numWorkers = numWorkers;
        this.window = window;
        this.name = name;
    }

    /** Starts producing an epoch; the run it replaces is cancelled. */
    Run start(int epoch, int[] order, int batchSize, int numBatches) {
        lock.lock();
        try {
            if (shutdown) throw new IllegalStateException("DataLoader: the loader is closed");
            if (current != null && current.cancelled == null && current.taken < current.numBatches) {
                current.cancelled = "epoch " + current.epoch + " was abandoned: epoch " + epoch + " started on the same loader";
            }
            current = new Run(epoch, order, batchSize, numBatches);
            if (threads == null && numWorkers > 0) {
                threads = new Thread[numWorkers];
                for (int i = 0; i < numWorkers; i++) threads[i] = Thread.ofPlatform().daemon().name(name + "-worker-" + i).start(this::work);
            }
            changed.signalAll();
            return current;
        } finally {
            lock.unlock();
        }
    }

    boolean hasMore(Run run) {
        lock.lock();
        try {
            return run.taken < run.numBatches && !run.failed;
        } finally {
            lock.unlock();
        }
    }

    /** The next batch of {@code run}, waiting for a worker if needed; worker failures are rethrown here. */
    Batch take(Run run) {
        if (numWorkers == 0) buildNext(run);
        lock.lock();
        try {
            while (true) {
                if (run.cancelled != null) throw new IllegalStateException("DataLoader: " + run.cancelled);
                Object r = run.results[run.taken];
                if (r != null) {
                    run.results[run.taken++] = null;
                    changed.signalAll();
                    if (r instanceof DataLoaderException failure) {
                        run.failed = true;
                        run.cancelled = "epoch " + run.epoch + " stopped after a failure: " + failure.getMessage();
                        throw new DataLoaderException(failure.getMessage(), failure.getCause());
                    }
                    return (Batch) r;
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.cancelled = "epoch " + run.epoch + " was interrupted";
            changed.signalAll();
            throw new DataLoaderException("DataLoader: interrupted while waiting for batch " + run.taken + " of epoch " + run.epoch, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the workers (interrupting a blocked read) and waits up to 10 s for them to end;
     * idempotent. Called by {@link DataLoader#close} or by the cleaner of an unreachable loader.
     */
    void shutdown() {
        Thread[] ts;
        lock.lock();
        try {
            if (shutdown) return;
            shutdown = true;
            if (current != null && current.cancelled == null) current.cancelled = "the loader was closed during epoch " + current.epoch;
            changed.signalAll();
            ts = threads;
        } finally {
            lock.unlock();
        }
        if (ts == null) return;
        for (Thread t : ts) t.interrupt();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        try {
            for (Thread t : ts) {
                if (t == Thread.currentThread()) continue;
                long left = deadline - System.nanoTime();
                if (left > 0) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Without workers: builds the batch {@link #take} hands out next, on the calling thread. */
    private void buildNext(Run run) {
        int b;
        lock.lock();
        try {
            if (run.cancelled != null || run.results[run.taken] != null) return;
            b = run.taken;
        } finally {
            lock.unlock();
        }
        Object result = build(run, b);
        lock.lock();
        try {
            if (run.cancelled == null) run.results[b] = result;
        } finally {
            lock.unlock();
        }
    }

    /** Batch {@code b} of {@code run}, or the failure that names it. */
    private Object build(Run run, int b) {
        try {
            return maker.make(run.epoch, b, run.indices(b));
        } catch (DataLoaderException e) {
            return e;
        } catch (Throwable t) {
            return new DataLoaderException("DataLoader: batch " + b + " of epoch " + run.epoch + " failed: " + BatchMaker.describe(t), t);
        }
    }

    private void work() {
        lock.lock();
        try {
            while (!shutdown) {
                Run run = current;
                if (run == null || run.cancelled != null || run.next >= run.numBatches || run.next >= run.taken + window) {
                    changed.await();
                    continue;
                }
                int b = run.next++;
                Object result;
                lock.unlock();
                try {
                    result = build(run, b);
                } finally {
                    lock.lock();
                }
                if (run.cancelled == null) run.results[b] = result;
                changed.signalAll();
            }
        } catch (InterruptedException e) {
            // shutdown() interrupts workers that wait; nothing is left to do
        } finally {
            lock.unlock();
        }
    }
}
