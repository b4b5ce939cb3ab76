package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.transforms.Compose;
import io.descent.data.transforms.GaussianNoise;
import io.descent.data.transforms.Mixup;
import io.descent.data.transforms.RandomCrop;
import io.descent.data.transforms.RandomHorizontalFlip;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    private static final Dataset DATA = TestData.images(103, 1, 6, 6, 10);
    private static final LoaderOptions SHUFFLED = LoaderOptions.DEFAULT.withBatchSize(16).withShuffle(true).withSeed(42);

    private static List<Batch> epoch(DataLoader loader, int e) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : loader.epoch(e)) out.add(b);
        return out;
    }

    private static void assertSameBatches(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).indices(), b.get(i).indices(), "batch " + i);
            assertArrayEquals(a.get(i).labels(), b.get(i).labels(), "batch " + i);
            assertArrayEquals(a.get(i).inputs().data(), b.get(i).inputs().data(), "batch " + i);
            assertArrayEquals(a.get(i).inputs().shape(), b.get(i).inputs().shape(), "batch " + i);
        }
    }

    @Test
    void collatesEveryExampleOnceIntoNchwBatches() {
        try (DataLoader loader = new DataLoader(DATA, SHUFFLED)) {
            assertEquals(7, loader.numBatches());
            List<Batch> batches = epoch(loader, 0);
            assertEquals(7, batches.size());
            Set<Integer> seen = new HashSet<>();
            for (Batch b : batches) {
                int[] s = b.inputs().shape();
                assertEquals(List.of(b.size(), 1, 6, 6), Arrays.stream(s).boxed().toList());
                for (int r = 0; r < b.size(); r++) {
                    int idx = b.indices()[r];
                    assertTrue(seen.add(idx));
                    assertEquals(idx, TestData.indexOf(b.inputs().data(), r * 36), "row " + r + " holds its example");
                    assertEquals(idx % 10, b.labels()[r]);
                }
            }
            assertEquals(103, seen.size());
            assertEquals(7, batches.get(6).size(), "the last, partial batch is kept");
        }
    }

    @Test
    void dropLastDropsThePartialBatch() {
        try (DataLoader loader = new DataLoader(DATA, SHUFFLED.withDropLast(true))) {
            assertEquals(6, loader.numBatches());
            List<Batch> batches = epoch(loader, 0);
            assertEquals(6, batches.size());
            batches.forEach(b -> assertEquals(16, b.size()));
        }
    }

    @Test
    void withoutShuffleTheOrderIsTheDataSetOrder() {
        try (DataLoader loader = new DataLoader(DATA, LoaderOptions.DEFAULT.withBatchSize(50))) {
            int[] order = loader.order(3);
            for (int i = 0; i < order.length; i++) assertEquals(i, order[i]);
            assertArrayEquals(java.util.stream.IntStream.range(50, 100).toArray(), epoch(loader, 0).get(1).indices());
        }
    }

    @Test
    void sameSeedSameBatchesAndEachEpochItsOwnOrder() {
        LoaderOptions opt = SHUFFLED.withTransform(new Compose(new RandomCrop(6, 1), new RandomHorizontalFlip(), new GaussianNoise(0.1f)));
        try (DataLoader a = new DataLoader(DATA, opt); DataLoader b = new DataLoader(DATA, opt)) {
            assertSameBatches(epoch(a, 0), epoch(b, 0));
            assertSameBatches(epoch(a, 5), epoch(b, 5));
            assertFalse(Arrays.equals(a.order(0), a.order(1)), "epochs 0 and 1 are shuffled differently");
            assertArrayEquals(a.order(1), b.order(1));
            // epoch 5 alone (no epochs before it on this loader) gives what it gave after others
            try (DataLoader fresh = new DataLoader(DATA, opt)) {
                assertSameBatches(epoch(a, 5), epoch(fresh, 5));
            }
        }
        try (DataLoader other = new DataLoader(DATA, opt.withSeed(43)); DataLoader a = new DataLoader(DATA, opt)) {
            assertFalse(Arrays.equals(other.order(0), a.order(0)), "another seed, another order");
        }
    }

    @Test
    void resultsDoNotDependOnTheNumberOfWorkers() {
        LoaderOptions opt = SHUFFLED.withTransform(new Compose(new RandomCrop(6, 2), new RandomHorizontalFlip(), new GaussianNoise(0.2f)))
                .withBatchTransform(new Mixup(0.4, 10));
        try (DataLoader one = new DataLoader(DATA, opt.withNumWorkers(1)); DataLoader three = new DataLoader(DATA, opt.withNumWorkers(3).withPrefetchFactor(1));
             DataLoader none = new DataLoader(DATA, opt.withNumWorkers(0))) {
            for (int e = 0; e < 3; e++) {
                List<Batch> x = epoch(one, e);
                for (List<Batch> y : List.of(epoch(three, e), epoch(none, e))) {
                    assertSameBatches(x, y);
                    for (int i = 0; i < x.size(); i++) assertArrayEquals(x.get(i).softTargets().data(), y.get(i).softTargets().data());
                }
            }
        }
    }

    @Test
    void aWorkerFailureSurfacesOnTheTrainingThreadWithTheIndex() {
        Dataset failing = new Dataset() {
            @Override
            public int size() {
                return 40;
            }

            @Override
            public Example get(int index) {
                if (index == 17) throw new IllegalStateException("disk on fire");
                return DATA.get(index);
            }
        };
        for (int workers : new int[] {2, 0}) {
            try (DataLoader loader = new DataLoader(failing, LoaderOptions.DEFAULT.withBatchSize(8).withNumWorkers(workers))) {
                Iterator<Batch> it = loader.epoch(0).iterator();
                assertEquals(8, it.next().size());
                assertEquals(8, it.next().size());
                var e = assertThrows(DataLoaderException.class, it::next);
                assertEquals("DataLoader: dataset index 17 failed (batch 2 of epoch 0): IllegalStateException: disk on fire", e.getMessage());
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getMethodName().contains("aWorkerFailureSurfaces")), "thrown on the caller's thread");
                assertFalse(it.hasNext(), "the epoch ends at the failure");
                // the loader stays usable for the next epoch (it fails again at the same index)
                assertThrows(DataLoaderException.class, () -> epoch(loader, 1));
            }
        }
    }

    @Test
    void transformFailuresNameTheIndexToo() {
        Transform broken = (e, rng) -> {
            if (e.label() == 3) throw new IllegalArgumentException("bad pixel");
            return e;
        };
        try (DataLoader loader = new DataLoader(DATA, LoaderOptions.DEFAULT.withBatchSize(4).withTransform(broken))) {
            var e = assertThrows(DataLoaderException.class, () -> epoch(loader, 0));
            assertTrue(e.getMessage().startsWith("DataLoader: dataset index 3 failed (batch 0 of epoch 0)"), e.getMessage());
        }
    }

    private static Set<Thread> loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("descent-loader-") && t.getName().contains("-worker-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    private static Set<Thread> newThreads(Set<Thread> before) {
        Set<Thread> now = loaderThreads();
        now.removeAll(before);
        return now;
    }

    @Test
    void noThreadOutlivesCloseEvenAfterAnAbandonedIteration() throws InterruptedException {
        Set<Thread> before = loaderThreads();
        DataLoader loader = new DataLoader(DATA, SHUFFLED.withNumWorkers(3));
        assertEquals(Set.of(), newThreads(before), "threads start with the first epoch");
        Iterator<Batch> abandoned = loader.epoch(0).iterator();
        abandoned.next();
        Set<Thread> workers = newThreads(before);
        assertEquals(3, workers.size());
        for (Batch b : loader.epoch(1)) assertEquals(1, b.inputs().size(1)); // a new epoch cancels the abandoned one
        var e = assertThrows(IllegalStateException.class, abandoned::next);
        assertTrue(e.getMessage().contains("epoch 0 was abandoned: epoch 1 started"), e.getMessage());
        for (int i = 0; i < 5; i++) loader.epoch(i).iterator().next(); // five more abandoned iterations
        assertEquals(workers, newThreads(before), "still the same three workers");
        loader.close();
        for (Thread t : workers) assertFalse(t.isAlive(), t.getName() + " ended");
        assertThrows(IllegalStateException.class, () -> loader.epoch(2).iterator());
        loader.close(); // idempotent
    }

    @Test
    void anUnreachableLoaderIsCleanedUp() throws InterruptedException {
        Set<Thread> before = loaderThreads();
        WeakReference<DataLoader> ref = abandonLoader();
        Set<Thread> workers = newThreads(before);
        assertEquals(2, workers.size());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (workers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(ref.refersTo(null));
        for (Thread t : workers) assertFalse(t.isAlive(), t.getName() + " ended after its loader became unreachable");
    }

    private static WeakReference<DataLoader> abandonLoader() {
        DataLoader loader = new DataLoader(DATA, SHUFFLED.withNumWorkers(2));
        loader.epoch(0).iterator().next();
        return new WeakReference<>(loader);
    }

    /** The first 100 examples of DATA, counting every read into {@code loaded}. */
    private static Dataset counting(AtomicInteger loaded) {
        return new Dataset() {
            @Override
            public int size() {
                return 100;
            }

            @Override
            public Example get(int index) {
                loaded.incrementAndGet();
                return DATA.get(index);
            }
        };
    }

    @Test
    void withoutWorkersTheCallerBuildsEachBatchWhenItAsksAndNoThreadStarts() {
        AtomicInteger loaded = new AtomicInteger();
        Dataset counting = counting(loaded);
        Set<Thread> before = loaderThreads();
        DataLoader loader = new DataLoader(counting, LoaderOptions.DEFAULT.withBatchSize(5).withNumWorkers(0));
        Iterator<Batch> abandoned = loader.epoch(0).iterator();
        assertEquals(0, loaded.get(), "nothing is built ahead");
        abandoned.next();
        assertEquals(5, loaded.get(), "one batch, built when asked for");
        assertEquals(Set.of(), newThreads(before), "no worker thread");
        assertEquals(20, epoch(loader, 1).size()); // a new epoch cancels the abandoned one
        assertTrue(assertThrows(IllegalStateException.class, abandoned::next).getMessage().contains("epoch 0 was abandoned: epoch 1 started"));
        loader.close();
        assertThrows(IllegalStateException.class, () -> loader.epoch(2).iterator());
    }

    @Test
    void prefetchIsBoundedByWorkersTimesPrefetchFactor() throws InterruptedException {
        AtomicInteger loaded = new AtomicInteger();
        Dataset counting = counting(loaded);
        try (DataLoader loader = new DataLoader(counting, LoaderOptions.DEFAULT.withBatchSize(5).withNumWorkers(2).withPrefetchFactor(2))) {
            Iterator<Batch> it = loader.epoch(0).iterator();
            it.next();
            // one batch taken plus 2 workers x 2 ahead = 5 batches of 5 examples, then the workers wait
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (loaded.get() < 25 && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(100);
            assertEquals(25, loaded.get(), "prefetched up to the bound and no further");
            it.next();
            deadline = System.nanoTime() + 10_000_000_000L;
            while (loaded.get() < 30 && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(100);
            assertEquals(30, loaded.get(), "taking one batch frees room for exactly one more");
        }
    }

    @Test
    void exhaustedIteratorsAndBadOptionsAreRefused() {
        try (DataLoader loader = new DataLoader(DATA, LoaderOptions.DEFAULT.withBatchSize(200))) {
            Iterator<Batch> it = loader.epoch(0).iterator();
            assertEquals(103, it.next().size());
            assertThrows(NoSuchElementException.class, it::next);
            var neg = assertThrows(IllegalArgumentException.class, () -> loader.epoch(-1));
            assertEquals("DataLoader: epoch must be >= 0, got -1", neg.getMessage());
        }
        assertEquals("DataLoader: batchSize must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> LoaderOptions.DEFAULT.withBatchSize(0)).getMessage());
        assertEquals("DataLoader: numWorkers must be >= 0 (0: batches are built on the training thread), got -1",
                assertThrows(IllegalArgumentException.class, () -> LoaderOptions.DEFAULT.withNumWorkers(-1)).getMessage());
        assertEquals("DataLoader: prefetchFactor must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> LoaderOptions.DEFAULT.withPrefetchFactor(0)).getMessage());
    }

    @Test
    void examplesOfDifferentShapesCannotBeCollated() {
        Transform ragged = (e, rng) -> e.label() == 2 ? e.withData(new float[4], 1, 2, 2) : e;
        try (DataLoader loader = new DataLoader(DATA, LoaderOptions.DEFAULT.withBatchSize(4).withTransform(ragged))) {
            var e = assertThrows(DataLoaderException.class, () -> epoch(loader, 0));
            assertTrue(e.getMessage().contains("batch 0 of epoch 0 failed: IllegalArgumentException: collate: example 2 has shape [1, 2, 2] but example 0 has [1, 6, 6]"),
                    e.getMessage());
        }
    }
}
