package io.descent.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.descent.data.Dataset;
import io.descent.data.FashionMnist;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * PyTorch 2.7 through DJL 0.35 as a peer of {@code descent bench e2e} for W1 and W2: the same
 * model, optimizer, data (Descent's Fashion-MNIST loader, pixels in [0, 1]), batch 128, one
 * shuffled epoch, images/s after 20 warm-up steps and test accuracy on the 10k test images as
 * {@code pytorch_e2e.py} (keep the two in step). Descent's descent-bench runs it as a child
 * process ({@code DjlE2e}) and reads the one JSON line it prints, with the keys of the Python
 * script plus {@code djl}.
 *
 * <p>Usage: {@code DjlE2eMain WORKLOAD THREADS [SEED [DATA_DIR]]}; without DATA_DIR the
 * data come from Fashion-MNIST's usual search path. The intra-op and inter-op
 * thread counts are set through DJL's system properties {@code ai.djl.pytorch.num_threads} and
 * {@code ai.djl.pytorch.num_interop_threads} before the engine loads (the parent also sets
 * OMP_NUM_THREADS). Each step's arrays live in a sub-NDManager closed after the step, DJL's
 * documented way to free native memory promptly. Weights start from DJL's default initializer
 * (Xavier), not PyTorch's; that changes the accuracy a little, not the speed. Batches are
 * gathered from the data set per step, like Descent's loader; at 128×784 floats that is
 * microseconds against milliseconds of training.
 */
public final class DjlE2eMain {
    static final int BATCH = 128, WARMUP = 20, CLASSES = 10;

    private DjlE2eMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DjlE2eMain W1|W2 THREADS [SEED [DATA_DIR]]");
            System.exit(2);
        }
        String name = args[0].toUpperCase(Locale.ROOT);
        int threads = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path data = args.length > 3 ? Path.of(args[3]) : null;
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        Engine.getInstance().setRandomSeed((int) seed);
        System.out.println(run(name, data, seed));
    }

    /** Trains one epoch and evaluates; returns the JSON line. */
    static String run(String name, Path dataDir, long seed) {
        boolean cnn = switch (name) {
            case "W1" -> false;
            case "W2" -> true;
            default -> throw new IllegalArgumentException("DJL runs W1 and W2 only, not " + name);
        };
        Dataset train = FashionMnist.train(dataDir), test = FashionMnist.test(dataDir);
        Shape sample = cnn ? new Shape(1, 28, 28) : new Shape(784);
        Optimizer opt = cnn ? Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()
                : Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
        try (Model model = Model.newInstance(name)) {
            model.setBlock(cnn ? smallCnn() : mlp());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(opt))) {
                trainer.initialize(new Shape(BATCH).addAll(sample));
                int[] order = shuffled(train.size(), new Random(seed));
                int steps = (train.size() + BATCH - 1) / BATCH, timedImages = 0;
                long t0 = 0;
                for (int s = 0; s < steps; s++) {
                    if (s == WARMUP) t0 = System.nanoTime();
                    int from = s * BATCH, n = Math.min(BATCH, train.size() - from);
                    try (NDManager step = trainer.getManager().newSubManager()) {
                        NDList[] xy = batch(step, train, order, from, n, sample);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray loss = trainer.getLoss().evaluate(xy[1], trainer.forward(xy[0]));
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    if (s >= WARMUP) timedImages += n;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double acc = accuracy(trainer, test, sample);
                return String.format(Locale.ROOT,
                        "{\"workload\": \"%s\", \"images_per_s\": %.3f, \"test_accuracy\": %.4f, \"steps\": %d, \"timed_images\": %d, \"seconds\": %.3f, "
                                + "\"torch\": \"%s\", \"djl\": \"%s\"}",
                        name, timedImages / seconds, acc, steps, timedImages, seconds, Engine.getInstance().getVersion(), Engine.getDjlVersion());
            }
        }
    }

    private static SequentialBlock mlp() {
        return new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    private static SequentialBlock smallCnn() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(64).build()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    /** Images {@code order[from .. from+n)} and their labels as arrays of {@code m}: {inputs, labels}. */
    private static NDList[] batch(NDManager m, Dataset d, int[] order, int from, int n, Shape sample) {
        int per = (int) sample.size();
        float[] x = new float[n * per];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int idx = order == null ? from + i : order[from + i];
            System.arraycopy(d.get(idx).data(), 0, x, i * per, per);
            y[i] = d.label(idx);
        }
        return new NDList[] {new NDList(m.create(x, new Shape(n).addAll(sample))), new NDList(m.create(y))};
    }

    private static double accuracy(Trainer trainer, Dataset test, Shape sample) {
        long correct = 0;
        for (int from = 0; from < test.size(); from += 1000) {
            int n = Math.min(1000, test.size() - from);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDList[] xy = batch(m, test, null, from, n, sample);
                NDArray predicted = trainer.evaluate(xy[0]).singletonOrThrow().argMax(1);
                correct += predicted.eq(xy[1].singletonOrThrow()).countNonzero().getLong();
            }
        }
        return (double) correct / test.size();
    }

    private static int[] shuffled(int n, Random rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
