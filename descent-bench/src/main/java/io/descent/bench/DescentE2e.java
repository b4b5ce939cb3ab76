package io.descent.bench;

import io.descent.data.Batch;
import io.descent.data.DataLoader;
import io.descent.data.Dataset;
import io.descent.data.FashionMnist;
import io.descent.data.LoaderOptions;
import io.descent.kernels.Parallel;
import io.descent.nn.Module;
import io.descent.ops.Losses;
import io.descent.optim.Optimizer;
import io.descent.tensor.Tensor;
import io.descent.train.Task;
import io.descent.train.Trainer;
import java.nio.file.Path;

/**
 * Descent's side of a workload, the way a user's training loop runs it: a shuffling
 * {@link DataLoader} with its worker thread, forward, cross-entropy, zeroGrad, backward, step.
 * The clock runs from the end of the warm-up steps to the end of the last step, so loader
 * stalls count; test accuracy comes from {@link Trainer#evaluate}.
 */
public final class DescentE2e {
    private DescentE2e() {}

    /** Trains {@code w} once; {@code dataDir} null = Fashion-MNIST's usual search path. */
    public static E2eResult run(Workload w, int threads, long seed, Path dataDir) {
        return run(w, threads, seed, dataDir, 0, true);
    }

    /**
     * Trains {@code w} for {@code maxSteps} steps (0: the workload's own count), then, when
     * {@code evaluate}, measures test accuracy (NaN otherwise, and the test set is not read:
     * the memory probes measure training alone). Images/s is NaN when no step was timed.
     */
    public static E2eResult run(Workload w, int threads, long seed, Path dataDir, int maxSteps, boolean evaluate) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        Dataset train = FashionMnist.train(dataDir);
        LoaderOptions opts = LoaderOptions.DEFAULT.withBatchSize(Workload.BATCH).withTransform(w.transform());
        try (DataLoader trainLoader = new DataLoader(train, opts.withShuffle(true).withSeed(seed))) {
            Module model = w.createModel(seed);
            model.train();
            Optimizer opt = w.createOptimizer(model);
            int steps = w.steps(trainLoader.numBatches()), step = 0, timedImages = 0;
            if (maxSteps > 0) steps = Math.min(steps, maxSteps);
            long t0 = 0;
            Tensor loss = null;
            for (Batch b : trainLoader.epoch(0)) {
                if (step == steps) break;
                if (step == Workload.WARMUP_STEPS) t0 = System.nanoTime();
                loss = Losses.crossEntropy(model.forward(b.inputs()), b.labels());
                opt.zeroGrad();
                loss.backward();
                opt.step();
                if (step >= Workload.WARMUP_STEPS) timedImages += b.size();
                step++;
            }
            if (loss != null) loss.item();
            double imagesPerSecond = timedImages == 0 ? Double.NaN : timedImages / ((System.nanoTime() - t0) / 1e9);
            double acc = Double.NaN;
            if (evaluate) {
                try (DataLoader testLoader = new DataLoader(FashionMnist.test(dataDir), opts.withBatchSize(1000))) {
                    acc = Trainer.evaluate(model, testLoader, new Task.Classification(), "test_").get("test_acc");
                }
            }
            return new E2eResult(imagesPerSecond, acc, step, timedImages, "descent");
        } finally {
            Parallel.setThreads(before);
        }
    }
}
