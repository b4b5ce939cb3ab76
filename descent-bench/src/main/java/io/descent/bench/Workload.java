package io.descent.bench;

import io.descent.data.Example;
import io.descent.data.Transform;
import io.descent.data.transforms.Cropping;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.optim.Adam;
import io.descent.optim.Optimizer;
import io.descent.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end training workloads of issue 8 (Fashion-MNIST, batch 128). Each names its
 * model, optimizer, how many steps it trains (a whole epoch, or a fixed count where an epoch
 * would take too long) and how many pixels of zero padding each side of the 28×28 images get.
 * The PyTorch script ({@code pytorch_e2e.py}) builds the same three; the two must be changed
 * together.
 */
public enum Workload implements E2eWorkload {
    W1("MLP 784-512-256-10, SGD 0.1 m 0.9", "mlp", 0, 0),
    W2("small CNN, Adam 1e-3", "small-cnn", 0, 0),
    W3("ResNet-18 small stem 32 px, SGD 0.1 m 0.9 wd 5e-4, 200 steps", "resnet18", 2, 200);

    /** Images per training step. */
    public static final int BATCH = 128;
    /** Steps run before the clock starts (JIT compilation, buffer sizing). */
    public static final int WARMUP_STEPS = 20;

    private final String description;
    private final String model;
    private final int pad;
    private final int maxSteps;

    Workload(String description, String model, int pad, int maxSteps) {
        this.description = description;
        this.model = model;
        this.pad = pad;
        this.maxSteps = maxSteps;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int batch() {
        return BATCH;
    }

    @Override
    public E2eResult descent(int threads, long seed, Path dataDir) {
        return DescentE2e.run(this, threads, seed, dataDir);
    }

    @Override
    public String pytorchScript() {
        return "pytorch_e2e.py";
    }

    @Override
    public List<String> pytorchArgs(int threads, Path dataDir) {
        List<String> args = new ArrayList<>(List.of(name(), Integer.toString(threads)));
        if (dataDir != null) args.add(dataDir.toString());
        return args;
    }

    /** With {@code --seed}: PyTorch's initial weights and order of examples differ per run, as Descent's do. */
    @Override
    public List<String> pytorchArgs(int threads, long seed, Path dataDir) {
        List<String> args = new ArrayList<>(pytorchArgs(threads, dataDir));
        args.addAll(List.of("--seed", Long.toString(seed)));
        return args;
    }

    /** Steps to train: {@code epochSteps} (one epoch) unless the workload caps it. */
    public int steps(int epochSteps) {
        return maxSteps > 0 ? Math.min(maxSteps, epochSteps) : epochSteps;
    }

    /** The model, seeded so that every run starts from the same weights. */
    public Module createModel(long seed) {
        int side = 28 + 2 * pad;
        return Models.create(model, new Models.Config(10, 1, side, ResNet.Stem.SMALL, 32, seed));
    }

    public Optimizer createOptimizer(Module m) {
        return switch (this) {
            case W1 -> new SGD(m.namedParameters(), 0.1, 0.9, 0, 0, false);
            case W2 -> new Adam(m.namedParameters(), 1e-3);
            case W3 -> new SGD(m.namedParameters(), 0.1, 0.9, 0, 5e-4, false);
        };
    }

    /** Zero padding to the workload's input size, or null when the images are used as they are. */
    public Transform transform() {
        if (pad == 0) return null;
        int p = pad;
        return (ex, rng) -> {
            int[] s = ex.shape();
            float[] out = Cropping.crop(ex.data(), s[0], s[1], s[2], -p, -p, s[1] + 2 * p, s[2] + 2 * p, 0f);
            return new Example(out, new int[] {s[0], s[1] + 2 * p, s[2] + 2 * p}, ex.label(), null);
        };
    }

    /** Parses "W1,W2" (case-insensitive): the Fashion-MNIST workloads only ({@link E2eWorkload#parse} takes all). */
    public static List<Workload> parse(List<String> names) {
        return names.stream().map(n -> {
            try {
                return valueOf(n.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown workload '" + n + "' (W1, W2, W3)");
            }
        }).toList();
    }
}
