package io.descent.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One row of {@code descent bench e2e}: something both frameworks run the same way, whose
 * figure is images per second. W1–W3 ({@link Workload}) train on Fashion-MNIST; W4
 * ({@link ModelWorkload}) times whole ImageNet models on random images; W5
 * ({@link CheckpointWorkload}) times gradient checkpointing and measures the tape it saves; W6
 * ({@link DetectionWorkload}) times a detector's training step.
 */
public sealed interface E2eWorkload permits Workload, ModelWorkload, CheckpointWorkload, DetectionWorkload {
    /** The row name, e.g. {@code W1} or {@code W4-resnet50-train}. */
    String name();

    /** What the row measures, for the footnotes of the table. */
    String description();

    /** Images (or rows) per step, to turn images/s into a step time. */
    int batch();

    /** Descent's side, in this JVM; {@code seed} differs per run where the workload shuffles. */
    E2eResult descent(int threads, long seed, Path dataDir);

    /** The bundled PyTorch script that runs this workload (a resource of this package). */
    String pytorchScript();

    /** The script's arguments. */
    List<String> pytorchArgs(int threads, Path dataDir);

    /** The script's arguments for run {@code seed}: those of {@link #pytorchArgs(int, Path)} where the workload does not shuffle. */
    default List<String> pytorchArgs(int threads, long seed, Path dataDir) {
        return pytorchArgs(threads, dataDir);
    }

    /** Whether PyTorch's side needs torchvision. */
    default boolean needsTorchvision() {
        return false;
    }

    /**
     * Parses {@code --workloads}: W1, W2, W3; W4 (its four rows); W5 (its three rows); W6; or one
     * row by its name (e.g. {@code W4-vgg16-train}, {@code W5-seg4}). Case-insensitive; rows
     * keep the order given, each once.
     */
    static List<E2eWorkload> parse(List<String> names, E2eSizes sizes) {
        Set<E2eWorkload> out = new LinkedHashSet<>();
        for (String raw : names) {
            String n = raw.trim().toUpperCase(Locale.ROOT);
            List<E2eWorkload> rows = new ArrayList<>();
            for (Workload w : Workload.values()) if (w.name().equals(n)) rows.add(w);
            for (ModelWorkload w : ModelWorkload.all(sizes)) if (n.equals("W4") || w.name().toUpperCase(Locale.ROOT).equals(n)) rows.add(w);
            for (CheckpointWorkload w : CheckpointWorkload.all(sizes)) if (n.equals("W5") || w.name().toUpperCase(Locale.ROOT).equals(n)) rows.add(w);
            DetectionWorkload detector = new DetectionWorkload(sizes);
            if (n.equals("W6") || detector.name().toUpperCase(Locale.ROOT).equals(n)) rows.add(detector);
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("unknown workload '" + raw.trim() + "' (W1, W2, W3, W4, W5, W6, or one row: "
                        + String.join(", ", ModelWorkload.all(sizes).stream().map(E2eWorkload::name).toList()) + ", "
                        + String.join(", ", CheckpointWorkload.all(sizes).stream().map(E2eWorkload::name).toList()) + ")");
            }
            out.addAll(rows);
        }
        return List.copyOf(out);
    }
}
