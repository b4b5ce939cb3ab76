package io.descent.bench;

import io.descent.data.Batch;
import io.descent.data.DataLoader;
import io.descent.data.DataNotFoundException;
import io.descent.data.Dataset;
import io.descent.data.FashionMnist;
import io.descent.data.LoaderOptions;
import io.descent.data.Shapes;
import io.descent.data.transforms.Compose;
import io.descent.data.transforms.RandomCrop;
import io.descent.data.transforms.RandomHorizontalFlip;
import io.descent.kernels.Parallel;
import io.descent.ops.Losses;
import io.descent.ops.MatMul;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/**
 * Loader throughput: Fashion-MNIST (Shapes when it is not installed), batch 128, random crop
 * with 2 pixels of padding and horizontal flip, shuffled, on one worker thread.
 *
 * <p>Prints (1) images/s the loader delivers when the consumer does nothing, (2) images/s an
 * MLP 784-256-10 training step consumes on the training thread (the trainer's need, with
 * batches prepared in advance), and (3) the share of a real training epoch the training thread
 * spent waiting for batches. Usage: {@code LoaderBench [epochs] [prefetchFactor]} (defaults 3 and 2).
 */
public final class LoaderBench {
    private static final int BATCH = 128;

    private LoaderBench() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int prefetch = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Dataset data;
        String name;
        try {
            data = FashionMnist.train();
            name = "Fashion-MNIST train";
        } catch (DataNotFoundException e) {
            data = new Shapes(60_000, 0);
            name = "Shapes (Fashion-MNIST not installed)";
        }
        LoaderOptions options = LoaderOptions.DEFAULT.withBatchSize(BATCH).withShuffle(true).withSeed(0).withNumWorkers(1).withPrefetchFactor(prefetch)
                .withTransform(new Compose(new RandomCrop(28, 2), new RandomHorizontalFlip()));
        System.out.printf("data: %s, %d images; batch %d; RandomCrop(28, padding=2) + RandomHorizontalFlip; 1 worker, prefetch %d; %d cores, %d compute threads%n",
                name, data.size(), BATCH, prefetch, Runtime.getRuntime().availableProcessors(), Parallel.threads());
        try (DataLoader loader = new DataLoader(data, options)) {
            drain(loader, 0); // warm-up
            long images = 0, t0 = System.nanoTime();
            for (int e = 1; e <= epochs; e++) images += drain(loader, e);
            double loaderRate = images / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("loader alone: %.0f images/s over %d epochs%n", loaderRate, epochs);

            Mlp mlp = new Mlp();
            Batch[] held = new Batch[50];
            var it = loader.epoch(epochs + 1).iterator();
            for (int i = 0; i < held.length; i++) held[i] = it.next();
            for (Batch b : held) mlp.step(b); // warm-up
            t0 = System.nanoTime();
            for (Batch b : held) mlp.step(b);
            double needRate = held.length * (double) BATCH / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("trainer's need (MLP 784-256-10 step on prepared batches): %.0f images/s -> loader headroom %.1fx%n",
                    needRate, loaderRate / needRate);

            long waited = 0, start = System.nanoTime();
            var epoch = loader.epoch(epochs + 2).iterator();
            while (true) {
                long w = System.nanoTime();
                if (!epoch.hasNext()) break;
                Batch b = epoch.next();
                waited += System.nanoTime() - w;
                mlp.step(b);
            }
            double total = (System.nanoTime() - start) / 1e9;
            System.out.printf("training epoch with the loader: %.2f s, training thread waited for data %.1f%% of it%n", total, 100 * waited / 1e9 / total);
        }
    }

    private static long drain(DataLoader loader, int epoch) {
        long n = 0;
        double sink = 0;
        for (Batch b : loader.epoch(epoch)) {
            n += b.size();
            sink += b.inputs().data()[0];
        }
        if (Double.isNaN(sink)) System.out.println();
        return n;
    }

    /** A two-layer perceptron trained with plain SGD: a stand-in for the trainer's per-batch work. */
    private static final class Mlp {
        private final Tensor w1 = Tensor.randn(new Rng(1), 256, 784).mul(0.05f).detach().requiresGrad(true);
        private final Tensor b1 = Tensor.zeros(256).requiresGrad(true);
        private final Tensor w2 = Tensor.randn(new Rng(2), 10, 256).mul(0.05f).detach().requiresGrad(true);
        private final Tensor b2 = Tensor.zeros(10).requiresGrad(true);

        void step(Batch b) {
            Tensor x = b.inputs().reshape(b.size(), 784);
            Tensor loss = Losses.crossEntropy(MatMul.linear(MatMul.linear(x, w1, b1).relu(), w2, b2), b.labels());
            loss.backward();
            for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                float[] d = p.data(), g = p.gradArray();
                for (int i = 0; i < d.length; i++) d[i] -= 0.01f * g[i];
                p.zeroGrad();
            }
        }
    }
}
