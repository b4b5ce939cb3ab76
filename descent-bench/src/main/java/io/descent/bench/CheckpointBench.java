package io.descent.bench;

import io.descent.autograd.SavedTensors;
import io.descent.kernels.VectorOps;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Activation;
import io.descent.nn.Linear;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.nn.init.Init;
import io.descent.ops.Losses;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import io.descent.train.Checkpointing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What gradient checkpointing costs and saves (Chen et al., 2016): for 0 (no checkpointing)
 * and s segments of a model ({@link Checkpointing#checkpointSequential}), one training step's
 * peak saved bytes on the tape ({@link SavedTensors}), peak JVM heap, and step time (forward +
 * cross-entropy + backward, median of three). Workloads: the deep MLP (32 × Linear 2048 +
 * ReLU, batch 1024, He init) and resnet50 (batch 8, 224 px).
 *
 * <p>Peak heap is the sum over the heap memory pools of their peak usage during one step,
 * after a {@code System.gc()} and a reset of the peaks. It includes garbage not yet collected
 * and follows the collector's sizing of the generations, so it is not what a step needs.
 * {@code --min-heap} measures the need itself: the smallest {@code -Xmx} (to 32 MiB) at which
 * a fresh JVM builds the model and completes one training step, found by doubling and then
 * bisection over child JVMs (slow: each probe is a full step).
 *
 * <p>{@code --oom-demo} runs the same SGD training in two child JVMs at one {@code -Xmx}:
 * without checkpointing, and with {@code --demo-segments} segments, and prints each command
 * and outcome. Checkpointing changes what fits only where activations dominate the heap; in
 * the 32 × 2048, batch 1024 MLP the weights and their gradients (2 × 537 MB) outweigh the
 * 256 MiB of activations, so the demonstration defaults to the same depth with activations in
 * the lead: 32 × Linear 256 + ReLU, batch 16384, at {@code -Xmx512m} (measured with the
 * parallel collector: it needs 672 MiB without checkpointing, 384 MiB with 8 segments).
 *
 * <p>Options: {@code --models mlp,resnet50 --segments 0,2,4,8 --seconds S --json FILE
 * --mlp-depth 32 --mlp-width 2048 --mlp-batch 1024 --resnet-batch 8 --resnet-size 224
 * --min-heap}; {@code --oom-demo [--xmx 512m] [--demo-segments 8] [--steps 3]} with the MLP
 * options.
 */
public final class CheckpointBench {
    /** One configuration's figures; JSON keys are the {@code descent bench checkpoint} contract. */
    public record Row(String model, int batch, int segments, long peakSavedBytes, long peakHeapBytes, double stepMs, long minXmxBytes) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"model\": \"%s\", \"batch\": %d, \"segments\": %d, \"peak_saved_bytes\": %d, \"peak_heap_bytes\": %d, \"step_ms\": %.1f%s}",
                    model, batch, segments, peakSavedBytes, peakHeapBytes, stepMs, minXmxBytes > 0 ? ", \"min_xmx_bytes\": " + minXmxBytes : "");
        }
    }

    /** A model to train, its input and its labels. */
    public record Workload(String name, String model, int batch, int size, int depth, Supplier<Module> build) {
        Tensor input() {
            return model.equals("mlp") ? Tensor.randn(new Rng(1), batch, size) : Tensor.randn(new Rng(1), batch, 3, size, size);
        }

        int[] labels() {
            int classes = model.equals("mlp") ? size : 1000;
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = (i * 7 + 1) % classes;
            return y;
        }

        /** The arguments that rebuild this workload in a child JVM. */
        List<String> args() {
            return model.equals("mlp")
                    ? List.of("--models", "mlp", "--mlp-depth", "" + depth, "--mlp-width", "" + size, "--mlp-batch", "" + batch)
                    : List.of("--models", "resnet50", "--resnet-batch", "" + batch, "--resnet-size", "" + size);
        }
    }

    private CheckpointBench() {}

    /**
     * {@code depth} × (Linear width→width + ReLU), the network of Chen et al.'s analysis; batch
     * {@code batch}. He initialisation (the default one shrinks a 32-layer ReLU stack's output
     * to nothing, and the demonstration should show a loss that moves).
     */
    public static Workload deepMlp(int depth, int width, int batch) {
        return new Workload("mlp-" + depth + "x" + width, "mlp", batch, width, depth, () -> {
            Rng rng = new Rng(0);
            Sequential s = new Sequential();
            for (int i = 0; i < depth; i++) {
                Linear l = new Linear(width, width, true, rng);
                Init.kaimingNormal(l.weight, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, rng);
                Init.zeros(l.bias);
                s.add(l);
                s.add(Activation.relu());
            }
            return s;
        });
    }

    /** torchvision's resnet50 (1000 classes) on {@code size}×{@code size} RGB images. */
    public static Workload resnet50(int batch, int size) {
        return new Workload("resnet50-" + size + "px", "resnet50", batch, size, 0,
                () -> Models.create("resnet50", new Models.Config(1000, 3, size, ResNet.Stem.IMAGENET, 32, 0)));
    }

    /** The model as trained with {@code segments} segments (0 or 1: the model itself). */
    static Module withSegments(Module model, int segments) {
        return segments <= 1 ? model : Checkpointing.checkpointSequential(model, segments);
    }

    /** One training step without an update: forward, cross-entropy, backward, gradients cleared. */
    static float step(Module m, Tensor x, int[] y) {
        Tensor loss = Losses.crossEntropy(m.forward(x), y);
        loss.backward();
        m.zeroGrad();
        return loss.item();
    }

    public static List<Row> run(List<Workload> workloads, int[] segments, double seconds, boolean minHeap) {
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            Module model = w.build().get();
            model.train();
            Tensor x = w.input();
            int[] y = w.labels();
            step(model, x, y); // JIT warm-up; later configurations are warmed by the earlier ones
            for (int s : segments) {
                Row r = measure(w, model, x, y, s, seconds, 3);
                if (minHeap) r = new Row(r.model(), r.batch(), r.segments(), r.peakSavedBytes(), r.peakHeapBytes(), r.stepMs(), minXmx(w, s));
                System.err.println(r.toJson());
                rows.add(r);
            }
        }
        return rows;
    }

    /**
     * One configuration of a model in train mode: the tape's peak and the peak heap of one
     * step (which also warms this configuration up), then the median time of further steps
     * ({@link Timing#medianSeconds}: for {@code seconds}, at least {@code reps}).
     */
    static Row measure(Workload w, Module model, Tensor x, int[] y, int segments, double seconds, int reps) {
        Module m = withSegments(model, segments);
        settle();
        long base = SavedTensors.currentBytes();
        SavedTensors.resetPeak();
        resetHeapPeaks();
        Tensor loss = Losses.crossEntropy(m.forward(x), y);
        loss.backward();
        long saved = SavedTensors.peakBytes() - base;
        long heap = heapPeak();
        m.zeroGrad();
        double ms = 1e3 * Timing.medianSeconds(() -> step(m, x, y), seconds, 0, reps);
        return new Row(w.name(), w.batch(), segments, saved, heap, ms, 0);
    }

    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum;
    }

    // ---------------------------------------------------------------- child JVMs: OOM demonstration and minimal -Xmx

    /**
     * Trains {@code steps} SGD steps (lr 0.01), printing each loss; returns false, after saying
     * at which step, when the heap runs out.
     */
    static boolean train(Workload w, int segments, int steps) {
        int at = -1;
        try {
            Module model = w.build().get();
            Module m = withSegments(model, segments);
            Tensor x = w.input();
            int[] y = w.labels();
            for (at = 0; at < steps; at++) {
                long t0 = System.nanoTime();
                Tensor loss = Losses.crossEntropy(m.forward(x), y);
                loss.backward();
                for (Tensor p : m.parameters()) VectorOps.axpy(p.numel(), -0.01f, p.gradArray(), 0, p.data(), 0);
                m.zeroGrad();
                System.out.printf(Locale.ROOT, "step %d: loss %.5f (%.1f s, tape peak %d MiB)%n", at, loss.item(), (System.nanoTime() - t0) / 1e9, SavedTensors.peakBytes() >> 20);
            }
            return true;
        } catch (OutOfMemoryError e) {
            System.out.println("OutOfMemoryError (" + e.getMessage() + ") " + (at < 0 ? "building the model" : "in training step " + at));
            return false;
        }
    }

    /** The command that runs {@link #train} in a fresh JVM with heap {@code xmx}. */
    static List<String> childCommand(Workload w, int segments, int steps, String xmx) {
        List<String> args = new ArrayList<>(List.of("--train", "" + segments, "--steps", "" + steps));
        args.addAll(w.args());
        return ChildJvm.command(xmx, CheckpointBench.class, args);
    }

    private static boolean trains(Workload w, int segments, long xmxMib) {
        try {
            return ChildJvm.run(childCommand(w, segments, 1, xmxMib + "m"), null, 0).outcome() == ChildJvm.Outcome.COMPLETED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Smallest -Xmx, to 32 MiB, at which a fresh JVM builds the model and completes one training step. */
    static long minXmx(Workload w, int segments) {
        long lo = 32, hi = 64;
        while (!trains(w, segments, hi)) {
            lo = hi;
            hi *= 2;
            if (hi > 65536) throw new IllegalStateException("minXmx: no heap up to 64 GiB trains " + w.name());
        }
        return HeapSearch.bisect(lo, hi, 32, mib -> trains(w, segments, mib)) << 20;
    }

    /** The same training at one -Xmx, without checkpointing and with {@code segments} segments. */
    static void oomDemo(Workload w, String xmx, int segments, int steps) throws IOException, InterruptedException {
        for (int s : new int[] {0, segments}) {
            List<String> cmd = childCommand(w, s, steps, xmx);
            System.out.println("$ java -Xmx" + xmx + " ... CheckpointBench --train " + s + " --steps " + steps + " " + String.join(" ", w.args()));
            ChildJvm.Outcome o = ChildJvm.run(cmd, line -> System.out.println("    " + line), 0).outcome();
            System.out.println("  -> " + (o == ChildJvm.Outcome.COMPLETED ? "trained" : "OutOfMemoryError")
                    + " (" + w.name() + ", batch " + w.batch() + ", " + (s <= 1 ? "no checkpointing" : s + " segments") + ", -Xmx" + xmx + ")");
        }
    }

    // ---------------------------------------------------------------- tables

    public static String toJson(List<Row> rows) {
        return Timing.jsonList(rows.stream().map(Row::toJson).toList());
    }

    public static String table(List<Row> rows) {
        boolean min = rows.stream().anyMatch(r -> r.minXmxBytes() > 0);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %5s %8s %16s %15s %10s%s%n",
                "model", "batch", "segments", "peak saved MiB", "peak heap MiB", "step ms", min ? "   min -Xmx MiB" : ""));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-16s %5d %8d %16.1f %15.1f %10.1f%s%n", r.model(), r.batch(), r.segments(),
                    r.peakSavedBytes() / 1048576.0, r.peakHeapBytes() / 1048576.0, r.stepMs(), min ? String.format(Locale.ROOT, " %15d", r.minXmxBytes() >> 20) : ""));
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> models = List.of("mlp", "resnet50");
        int[] segments = {0, 2, 4, 8};
        double seconds = 0;
        Path json = null;
        int mlpDepth = 32, mlpWidth = 2048, mlpBatch = 1024, resnetBatch = 8, resnetSize = 224, steps = 3, demoSegments = 8;
        Integer train = null;
        boolean minHeap = false, demo = false;
        String xmx = "512m";
        boolean mlpShapeGiven = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = List.of(value(args, ++i).split(","));
                case "--segments" -> segments = Arrays.stream(value(args, ++i).split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                case "--json" -> json = Path.of(value(args, ++i));
                case "--mlp-depth" -> mlpDepth = Integer.parseInt(value(args, ++i));
                case "--mlp-width" -> {
                    mlpWidth = Integer.parseInt(value(args, ++i));
                    mlpShapeGiven = true;
                }
                case "--mlp-batch" -> {
                    mlpBatch = Integer.parseInt(value(args, ++i));
                    mlpShapeGiven = true;
                }
                case "--resnet-batch" -> resnetBatch = Integer.parseInt(value(args, ++i));
                case "--resnet-size" -> resnetSize = Integer.parseInt(value(args, ++i));
                case "--min-heap" -> minHeap = true;
                case "--oom-demo" -> demo = true;
                case "--xmx" -> xmx = value(args, ++i);
                case "--demo-segments" -> demoSegments = Integer.parseInt(value(args, ++i));
                case "--steps" -> steps = Integer.parseInt(value(args, ++i));
                case "--train" -> train = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("CheckpointBench: unknown option " + args[i]
                        + " (options: --models mlp,resnet50 --segments 0,2,4,8 --seconds S --json FILE --mlp-depth D --mlp-width W --mlp-batch B"
                        + " --resnet-batch B --resnet-size PX --min-heap --oom-demo --xmx SIZE --demo-segments S --steps N)");
            }
        }
        if (demo && !mlpShapeGiven) { // activations must dominate the heap for checkpointing to change what fits
            mlpWidth = 256;
            mlpBatch = 16384;
        }
        List<Workload> workloads = new ArrayList<>();
        for (String m : models) {
            switch (m) {
                case "mlp" -> workloads.add(deepMlp(mlpDepth, mlpWidth, mlpBatch));
                case "resnet50" -> workloads.add(resnet50(resnetBatch, resnetSize));
                default -> throw new IllegalArgumentException("CheckpointBench: unknown model '" + m + "' (mlp, resnet50)");
            }
        }
        if (train != null) {
            if (!train(workloads.get(0), train, steps)) System.exit(ChildJvm.OUT_OF_MEMORY_EXIT);
            return;
        }
        if (demo) {
            oomDemo(workloads.get(0), xmx, demoSegments, steps);
            return;
        }
        List<Row> rows = run(workloads, segments, seconds, minHeap);
        System.out.print(table(rows));
        if (json != null) Files.writeString(json, toJson(rows));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException("CheckpointBench: " + args[i - 1] + " needs a value");
        return args[i];
    }
}
