package io.descent.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as a trainer would log it, for the report tests: 3 epochs of 100 steps under a
 * one-cycle schedule (lr and momentum per step), gradient norm and update ratios per step, an
 * evaluation row per epoch, and a denoising grid of 28×28 images.
 */
final class SampleRun {
    static final int EPOCHS = 3;
    static final int STEPS_PER_EPOCH = 100;

    private SampleRun() {}

    static RunDirectory log(Path dir) throws IOException {
        RunDirectory run = RunDirectory.create(dir, false);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "small-cnn");
        config.put("data", "fashion-mnist");
        config.put("optimizer", Map.of("name", "adamw", "weight_decay", 0.01));
        config.put("lr", 1e-3);
        config.put("schedule", "onecycle");
        config.put("epochs", EPOCHS);
        config.put("batch", 128);
        config.put("betas", List.of(0.9, 0.999));
        run.writeConfig(config);
        int total = EPOCHS * STEPS_PER_EPOCH;
        double trainLoss = 0;
        for (int step = 0; step < total; step++) {
            double t = (double) step / total;
            // PyTorch's OneCycleLR defaults: from max/25 up to max over 30%, then cosine down to max/25/1e4
            double lr = t < 0.3
                    ? 4e-5 + (1e-3 - 4e-5) * (1 - Math.cos(Math.PI * t / 0.3)) / 2
                    : 4e-9 + (1e-3 - 4e-9) * (1 + Math.cos(Math.PI * (t - 0.3) / 0.7)) / 2;
            double momentum = 0.95 - 0.1 * lr / 1e-3;
            trainLoss = 2.3 * Math.exp(-4 * t) + 0.25 + 0.05 * Math.sin(step * 0.7);
            Map<String, Double> scalars = new LinkedHashMap<>();
            scalars.put("lr", lr);
            scalars.put("momentum", momentum);
            scalars.put("train/loss", trainLoss);
            scalars.put("grad_norm", step == 150 ? Double.NaN : 3 * Math.exp(-3 * t) + 0.4 + 0.2 * Math.cos(step));
            scalars.put("update_ratio/conv1.weight", 2e-3 * (lr / 1e-3) + 1e-5);
            scalars.put("update_ratio/fc.weight", 4e-4 * (lr / 1e-3) + 1e-6);
            run.logScalars(step, scalars);
            if ((step + 1) % STEPS_PER_EPOCH == 0) {
                int epoch = (step + 1) / STEPS_PER_EPOCH;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("step", (long) step);
                row.put("lr", lr);
                row.put("train_loss", trainLoss);
                row.put("val_loss", 0.6 - 0.1 * epoch);
                row.put("train_acc", 0.80 + 0.04 * epoch);
                row.put("val_acc", 0.78 + 0.04 * epoch);
                run.logEvaluation(row);
            }
        }
        return run;
    }

    /** Input, corrupted and reconstructed rows of 8 synthetic 28×28 grey images (a bright square on a gradient). */
    static float[][] denoisingImages() {
        int n = 8;
        int side = 28;
        float[][] images = new float[3 * n][side * side];
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean square = x >= 6 + i && x < 16 + i && y >= 8 && y < 20;
                    float clean = square ? 0.95f : 0.1f + 0.3f * x / side;
                    images[i][y * side + x] = clean;
                    images[n + i][y * side + x] = rnd.nextFloat() < 0.25f ? 0f : clean;
                    images[2 * n + i][y * side + x] = 0.9f * clean + 0.05f;
                }
            }
        }
        return images;
    }
}
