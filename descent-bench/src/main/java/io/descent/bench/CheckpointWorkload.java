package io.descent.bench;

import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * W5 of issue 8: gradient checkpointing of a deep MLP (32 × (Linear 2048 + ReLU), batch 1024,
 * He init) cut into 0 (none), 4 or 8 segments, all but the last checkpointed. Two figures per
 * side: the time of one training step (forward + cross-entropy + backward; images/s = batch ÷
 * it) and the peak bytes saved for backward during one step, parameters not counted. Descent's
 * side is {@link CheckpointBench} (the tape's {@code SavedTensors}); PyTorch's is
 * {@code pytorch_models.py}: {@code checkpoint_sequential}, with a
 * {@code saved_tensors_hooks} pair counting the same bytes the same way.
 */
public record CheckpointWorkload(int segments, E2eSizes sizes) implements E2eWorkload {
    /** The segment counts of W5. */
    public static final List<Integer> SEGMENTS = List.of(0, 4, 8);

    public static List<CheckpointWorkload> all(E2eSizes sizes) {
        return SEGMENTS.stream().map(s -> new CheckpointWorkload(s, sizes)).toList();
    }

    @Override
    public String name() {
        return "W5-seg" + segments;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%d x (Linear %d + ReLU), batch %d, %s; step = forward + loss + backward, median of %d after one untimed step and one measuring the tape",
                sizes.mlpDepth(), sizes.mlpWidth(), sizes.mlpBatch(), segments <= 1 ? "no checkpointing" : segments + " segments (all but the last checkpointed)", sizes.mlpIters());
    }

    @Override
    public int batch() {
        return sizes.mlpBatch();
    }

    @Override
    public E2eResult descent(int threads, long seed, Path dataDir) {
        return Timing.withThreads(threads, () -> {
            CheckpointBench.Workload w = CheckpointBench.deepMlp(sizes.mlpDepth(), sizes.mlpWidth(), sizes.mlpBatch());
            Module model = w.build().get();
            model.train();
            Tensor x = w.input();
            int[] y = w.labels();
            CheckpointBench.step(model, x, y); // JIT warm-up, as bench checkpoint does
            CheckpointBench.Row r = CheckpointBench.measure(w, model, x, y, segments, 0, sizes.mlpIters());
            return E2eResult.synthetic(1e3 * batch() / r.stepMs(), sizes.mlpIters(), sizes.mlpIters() * batch(), r.peakSavedBytes());
        });
    }

    @Override
    public String pytorchScript() {
        return "pytorch_models.py";
    }

    @Override
    public List<String> pytorchArgs(int threads, Path dataDir) {
        return List.of("W5", "" + segments, "" + threads, "" + sizes.mlpDepth(), "" + sizes.mlpWidth(), "" + sizes.mlpBatch(), "" + sizes.mlpIters());
    }
}
