package io.descent.train;

import io.descent.data.Batch;
import io.descent.detect.CenterNetDecoder;
import io.descent.detect.CenterNetLoss;
import io.descent.detect.CenterNetTargets;
import io.descent.detect.Detections;
import io.descent.detect.MeanAveragePrecision;
import io.descent.ops.Losses;
import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model learns from a batch: the loss, and the metrics accumulated over an epoch.
 * {@link Classification} uses cross-entropy (hard labels, or the batch's soft targets after
 * mixup/CutMix) and reports accuracy and top-k; {@link Reconstruction} uses MSE to the batch's
 * targets (the clean images when the inputs were corrupted: a denoising autoencoder) or to the
 * inputs themselves, and reports PSNR; {@link Detection} trains a CenterNet detector on the
 * batch's boxes and reports COCO's mean average precision.
 */
public sealed interface Task permits Task.Classification, Task.Reconstruction, Task.Detection {
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

    /**
     * Object detection with a {@link io.descent.models.CenterNet}: the loss is
     * {@link CenterNetLoss} on targets encoded from the batch's boxes (the output grid's scale
     * read off the input and output sizes); metrics are the loss, its heatmap term, and COCO's
     * mAP@[.5:.95] and mAP@.5 ({@code map}, {@code map50}) of the decoded top-100 detections.
     * CenterNet divides a batch's loss by the batch's objects, so the evaluation averages the
     * batches weighted by their objects: the figure is the same for any batch size.
     */
    record Detection(int classes, CenterNetLoss loss, CenterNetDecoder decoder) implements Task {
        public Detection {
            if (classes < 1) throw new IllegalArgumentException("detection needs at least 1 class, got " + classes);
            java.util.Objects.requireNonNull(loss, "loss");
            java.util.Objects.requireNonNull(decoder, "decoder");
        }

        /** CenterNet's loss weights and evaluation decoding. */
        public Detection(int classes) {
            this(classes, new CenterNetLoss(), new CenterNetDecoder());
        }

        @Override
        public Tensor loss(Tensor output, Batch batch) {
            return loss.loss(output, targets(output, batch));
        }

        private CenterNetTargets targets(Tensor output, Batch batch) {
            if (batch.boxes() == null) throw new IllegalArgumentException("detection: the batch has no boxes (a detection data set such as shapes-detection gives them)");
            if (output.dim() != 4) throw new IllegalArgumentException("detection: the model must output maps [N, classes + 4, H, W] (a centernet-* model), got " + io.descent.tensor.Shape.str(output.shape()));
            int[] in = batch.inputs().shape();
            return CenterNetTargets.encode(batch.boxes(), classes, output.size(2), output.size(3),
                    output.size(3) / (float) in[3], output.size(2) / (float) in[2]);
        }

        @Override
        public DetectionMetrics metrics() {
            return new DetectionMetrics();
        }

        /** The detection metrics, and the COCO evaluation behind them (per-class AP). */
        public final class DetectionMetrics implements Metrics {
            private final MeanAveragePrecision map = new MeanAveragePrecision();
            private double lossSum, heatSum;
            private long weight, n;

            /** COCO's evaluation of the detections added so far, null before any. */
            public MeanAveragePrecision.Result evaluation() {
                return n == 0 ? null : map.compute();
            }

            @Override
            public void add(Tensor output, Batch batch, double batchLoss) {
                int rows = output.size(0);
                CenterNetTargets t = targets(output, batch);
                int w = Math.max(1, t.objects()); // a batch without objects: its loss is not divided (CenterNet's case)
                heatSum += loss.terms(output, t).heatmap().item() * w;
                lossSum += batchLoss * w;
                weight += w;
                int[] in = batch.inputs().shape();
                List<Detections> found = decoder.decode(output, classes, in[2], in[3]);
                for (int i = 0; i < rows; i++) map.add(found.get(i), batch.boxes().get(i));
                n += rows;
            }

            @Override
            public Map<String, Double> values(String prefix) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put(prefix + "loss", lossSum / Math.max(1, weight));
                m.put(prefix + "heatmap_loss", heatSum / Math.max(1, weight));
                MeanAveragePrecision.Result r = evaluation();
                m.put(prefix + "map", r == null ? 0 : r.map());
                m.put(prefix + "map50", r == null ? 0 : r.map50());
                return m;
            }
        }
    }
}
