package io.descent.bench;

import io.descent.data.Batch;
import io.descent.data.Boxes;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.optim.AdamW;
import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import io.descent.train.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W6 (beyond issue 8's rows): one training step of the centernet-resnet18 detector — forward,
 * CenterNet's loss on targets encoded from the batch's boxes, backward, AdamW (lr 1e-3, weight
 * decay 0.01) — on seeded random 64 px RGB images with 10 classes and 1–4 boxes per image laid
 * out by {@link #boxes} (the PyTorch script lays out the same ones). PyTorch's side is the same
 * network on torchvision's resnet18 and the same loss ({@code pytorch_models.py W6}); its
 * targets are built once outside the timed steps, Descent's every step (as training does).
 */
public record DetectionWorkload(E2eSizes sizes) implements E2eWorkload {
    static final int IMAGE = 64, CLASSES = 10;

    @Override
    public String name() {
        return "W6-centernet-resnet18-train";
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "centernet-resnet18 (ImageNet stem, FPN to stride 4), %d px, batch %d, %d classes: forward + CenterNet loss + backward + AdamW 1e-3 step; median of %d after %d warm-up",
                IMAGE, batch(), CLASSES, sizes.modelIters(), sizes.modelWarmups());
    }

    @Override
    public int batch() {
        return 4 * sizes.modelBatch();
    }

    /** Image i's boxes: 1 + i mod 4 of them, positions, sizes and classes from integer formulas (the script's {@code w6_boxes}). */
    static List<Boxes> boxes(int n) {
        List<Boxes> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int count = 1 + i % 4;
            float[] xyxy = new float[4 * count];
            int[] labels = new int[count];
            for (int k = 0; k < count; k++) {
                int cx = 8 + (i * 7 + k * 13) % 48, cy = 8 + (i * 11 + k * 5) % 48, w = 8 + (i + 3 * k) % 16, h = 8 + (2 * i + k) % 16;
                xyxy[4 * k] = Math.max(0, cx - w / 2f);
                xyxy[4 * k + 1] = Math.max(0, cy - h / 2f);
                xyxy[4 * k + 2] = Math.min(IMAGE, cx + w / 2f);
                xyxy[4 * k + 3] = Math.min(IMAGE, cy + h / 2f);
                labels[k] = (i + k) % CLASSES;
            }
            out.add(new Boxes(xyxy, labels));
        }
        return out;
    }

    @Override
    public E2eResult descent(int threads, long seed, Path dataDir) {
        return Timing.withThreads(threads, () -> {
            Module m = Models.create("centernet-resnet18", new Models.Config(CLASSES, 3, IMAGE, ResNet.Stem.IMAGENET, 32, 0));
            m.train();
            Optimizer opt = new AdamW(List.of(new ParamGroup(m.namedParameters())), 1e-3, 0.9, 0.999, 1e-8, 0.01, false, false);
            Task task = new Task.Detection(CLASSES);
            int n = batch();
            Batch b = new Batch(ModelBench.input(n, IMAGE), new int[n], null, null, new int[n], boxes(n));
            double s = Timing.medianSeconds(() -> {
                opt.zeroGrad();
                task.loss(m.forward(b.inputs()), b).backward();
                opt.step();
            }, 0, sizes.modelWarmups(), sizes.modelIters());
            return E2eResult.synthetic(n / s, sizes.modelIters(), sizes.modelIters() * n, -1);
        });
    }

    @Override
    public String pytorchScript() {
        return "pytorch_models.py";
    }

    @Override
    public List<String> pytorchArgs(int threads, Path dataDir) {
        return List.of("W6", "" + threads, "" + batch(), "" + sizes.modelWarmups(), "" + sizes.modelIters());
    }

    @Override
    public boolean needsTorchvision() {
        return true;
    }
}
