package io.descent.cli;

import io.descent.autograd.GradMode;
import io.descent.data.Batch;
import io.descent.data.Boxes;
import io.descent.data.DataLoader;
import io.descent.detect.BoxDrawing;
import io.descent.detect.CenterNetDecoder;
import io.descent.detect.Detections;
import io.descent.log.HtmlReport;
import io.descent.nn.Module;
import io.descent.train.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The detection part of a run's report: validation images with their true and their detected boxes drawn. */
final class DetectionReport {
    static final int IMAGES = 8;
    static final float MIN_SCORE = 0.3f;

    private DetectionReport() {}

    /**
     * Adds to {@code report} a grid of the first {@value #IMAGES} validation images: truth above,
     * detections scoring ≥ {@value #MIN_SCORE} below; {@code normalized} (null: none) is what the
     * inputs went through, undone for display.
     */
    static HtmlReport.Builder add(HtmlReport.Builder report, Module model, Task.Detection task, DataLoader val, List<String> classNames,
                                  io.descent.data.transforms.Normalize normalized) {
        Batch b = val.epoch(0).iterator().next();
        int n = Math.min(IMAGES, b.size());
        int[] s = b.inputs().shape();
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Detections> found;
        try (var ng = GradMode.noGrad()) {
            found = new CenterNetDecoder(100, MIN_SCORE).decode(model.forward(b.inputs()), task.classes(), s[2], s[3]);
        } finally {
            model.train(wasTraining);
        }
        int per = s[1] * s[2] * s[3];
        float[] x = b.inputs().data();
        float[][] images = new float[2 * n][];
        for (int i = 0; i < n; i++) {
            float[] img = Arrays.copyOfRange(x, i * per, (i + 1) * per);
            if (normalized != null) img = normalized.invert(img, s[1]); // shown as the pixels it was
            Boxes truth = b.boxes().get(i);
            images[i] = BoxDrawing.draw(img, s[1], s[2], s[3], truth.xyxy(), truth.labels());
            images[n + i] = BoxDrawing.draw(img, s[1], s[2], s[3], found.get(i).xyxy(), found.get(i).labels());
        }
        return report.imageGrid("Detections on validation images (" + legend(classNames, task.classes()) + ")",
                List.of("true boxes", "detected, score ≥ " + MIN_SCORE), images, 3, s[2], s[3]);
    }

    private static String legend(List<String> names, int classes) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            parts.add((c < names.size() ? names.get(c) : "class " + c) + String.format(" #%06x", BoxDrawing.colour(c)));
        }
        return String.join(", ", parts);
    }
}
