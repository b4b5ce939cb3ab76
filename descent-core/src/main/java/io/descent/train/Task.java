package io.descent.train;

import io.descent.data.Batch;
import io.descent.ops.Losses;
import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the model learns from a batch: the loss, and the metrics accumulated over an epoch.
 * {@link Classification} uses cross-entropy (hard labels, or the batch's soft targets after
 * mixup/CutMix) and reports accuracy and top-k; {@link Reconstruction} uses MSE to the batch's
 * targets (the clean images when the inputs were corrupted: a denoising autoencoder) or to the
 * inputs themselves, and reports PSNR.
 */
public sealed interface Task permits Task.Classification, Task.Reconstruction {
    /** The loss of one micro-batch (mean over its examples). */
    Tensor loss(Tensor output, Batch batch);

    /** A fresh accumulator of this task's metrics. */
    Metrics metrics();

    /** Running sums over batches; {@link #values(String)} gives e.g. {@code val_loss, val_acc}. */
    interface Metrics {
        void add(Tensor output, Batch batch, double loss);

        Map<String, Double> values(String prefix);
    }

    record Classification(float labelSmoothing, int topK) implements Task {
        public Classification {
            if (topK < 1) throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }

        public Classification() {
            this(0f, 5);
        }

        @Override
        public Tensor loss(Tensor output, Batch batch) {
            Losses.CrossEntropyOptions opt = Losses.CrossEntropyOptions.DEFAULT.withLabelSmoothing(labelSmoothing);
            return batch.softTargets() != null ? Losses.crossEntropy(output, batch.softTargets(), opt) : Losses.crossEntropy(output, batch.labels(), opt);
        }

        @Override
        public Metrics metrics() {
            return new Metrics() {
                double lossSum;
                long n, correct, topCorrect;

                @Override
                public void add(Tensor output, Batch batch, double loss) {
                    int rows = output.size(0), c = output.size(1);
                    float[] o = output.data();
                    int[] y = batch.labels();
                    for (int i = 0; i < rows; i++) {
                        float target = o[i * c + y[i]];
                        int above = 0;
                        for (int j = 0; j < c; j++) if (o[i * c + j] > target || (o[i * c + j] == target && j < y[i])) above++;
                        if (above == 0) correct++;
                        if (above < topK) topCorrect++;
                    }
                    lossSum += loss * rows;
                    n += rows;
                }

                @Override
                public Map<String, Double> values(String prefix) {
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put(prefix + "loss", lossSum / Math.max(1, n));
                    m.put(prefix + "acc", correct / (double) Math.max(1, n));
                    m.put(prefix + "top" + topK, topCorrect / (double) Math.max(1, n));
                    return m;
                }
            };
        }
    }

    record Reconstruction() implements Task {
        @Override
        public Tensor loss(Tensor output, Batch batch) {
            return Losses.mse(output, target(batch));
        }

        private static Tensor target(Batch batch) {
            return batch.targets() != null ? batch.targets() : batch.inputs();
        }

        @Override
        public Metrics metrics() {
            return new Metrics() {
                double lossSum, psnrSum;
                long n;

                @Override
                public void add(Tensor output, Batch batch, double loss) {
                    int rows = output.size(0), per = output.numel() / Math.max(1, rows);
                    float[] o = output.data(), t = target(batch).data();
                    for (int i = 0; i < rows; i++) {
                        double se = 0;
                        for (int j = i * per; j < (i + 1) * per; j++) se += (double) (o[j] - t[j]) * (o[j] - t[j]);
                        double mse = se / per;
                        psnrSum += mse == 0 ? 100 : 10 * Math.log10(1 / mse); // images in [0, 1]
                    }
                    lossSum += loss * rows;
                    n += rows;
                }

                @Override
                public Map<String, Double> values(String prefix) {
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put(prefix + "loss", lossSum / Math.max(1, n));
                    m.put(prefix + "psnr", psnrSum / Math.max(1, n));
                    return m;
                }
            };
        }
    }
}
