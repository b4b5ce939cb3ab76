package io.descent.cli;

import io.descent.models.Models;
import io.descent.train.Task;
import java.util.List;

/** The {@code --task} names train, evaluate and lr-find share, and the {@link Task} each one means. */
final class TaskNames {
    static final List<String> ALL = List.of("classify", "reconstruct", "denoise", "detect");

    private TaskNames() {}

    /** Refuses a name outside {@link #ALL}; returns whether it is {@code detect}. */
    static boolean check(String task) {
        if (!ALL.contains(task)) throw new IllegalArgumentException("--task must be classify, reconstruct, denoise or detect, got '" + task + "'");
        return task.equals("detect");
    }

    /** The task named {@code task} for {@code classes} classes (cross-entropy with {@code labelSmoothing}); denoise is a reconstruction of corrupted inputs. */
    static Task of(String task, int classes, float labelSmoothing) {
        return switch (task) {
            case "classify" -> new Task.Classification(labelSmoothing, 5);
            case "detect" -> new Task.Detection(classes);
            case "reconstruct", "denoise" -> new Task.Reconstruction();
            default -> throw new IllegalArgumentException("--task must be classify, reconstruct, denoise or detect, got '" + task + "'");
        };
    }

    /**
     * Refuses weights without a detector's heads (a classifier's, most likely) before a model is
     * built, saying how such weights are used for detection instead.
     */
    static void requireDetectorWeights(java.nio.file.Path weights, java.util.Map<String, int[]> shapes) {
        if (shapes.keySet().stream().noneMatch(k -> k.startsWith("head.heatmap."))) {
            throw new IllegalArgumentException(weights + " holds no CenterNet detector (no head.heatmap.* tensors); a classifier's or a torchvision detector's weights"
                    + " are where one starts: descent finetune --task detect --weights " + weights);
        }
    }

    /** A detector learns boxes and only boxes: each refused without the other, naming the flag to change. */
    static void requireDetectorForDetection(String modelName, boolean detect) {
        if (detect && !Models.isDetector(modelName)) throw new IllegalArgumentException("--task detect needs a detector (centernet-resnet18 ... centernet-resnet152), got '" + modelName + "'");
        if (!detect && Models.isDetector(modelName)) throw new IllegalArgumentException(modelName + " is a detector: add --task detect");
    }
}
