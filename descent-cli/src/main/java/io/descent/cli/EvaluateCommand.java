package io.descent.cli;

import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.TrainVal;
import io.descent.data.Transform;
import io.descent.data.transforms.Compose;
import io.descent.ensemble.DetectorEnsemble;
import io.descent.ensemble.FlipTest;
import io.descent.ensemble.Ensemble;
import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.train.Task;
import io.descent.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent evaluate}: loss and metrics of saved weights on a data set's validation (test)
 * split; given several weights files, of each and of their ensemble (classifiers: averaged class
 * probabilities; detectors: averaged heatmap probabilities and box maps).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Print the metrics of saved weights on the validation/test split (of each, and of their ensemble, given several).")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--weights", required = true, split = ",", arity = "1..*", paramLabel = "FILE",
            description = "Weights: .safetensors or .pth/.pt. Several (comma- or space-separated, e.g. runs/X/snapshot-*.safetensors; one architecture): each is evaluated, then their ensemble (averaged class probabilities; detectors: averaged heatmaps and box maps).")
    List<Path> weights;

    @Option(names = "--task", paramLabel = "classify|reconstruct|denoise|detect",
            description = "Metrics to compute (default: the task the weights file records, else classify); denoise: of clean images rebuilt from corrupted ones, as train --task denoise validates; detect: COCO mAP of a centernet-* model's boxes.")
    String task;

    @Mixin
    NoiseOptions noiseOptions;

    @Option(names = "--seed", defaultValue = "0", description = "denoise: seed of the corruption (default ${DEFAULT-VALUE}, train's default).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--flip-test", description = "detect: CenterNet's flip test, each detector also run on the mirror images (heatmaps and sizes averaged).")
    boolean flipTest;

    @Override
    public Integer call() throws Exception {
        String recorded = modelOptions.defaultsFrom(weights.get(0)); // files written by train and finetune name their model, size and task
        if (task == null) task = recorded != null ? recorded : "classify";
        boolean detect = TaskNames.check(task);
        if (flipTest && !detect) throw new IllegalArgumentException("--flip-test averages a detector's maps with its mirror image's: --task detect");
        if (detect) for (Path w : weights) TaskNames.requireDetectorWeights(w, Weights.shapes(w)); // before the model name, which may be the file's
        TaskNames.requireDetectorForDetection(modelOptions.model(null), detect);
        List<Transform> corruption = new ArrayList<>();
        noiseOptions.addCorruption(task, corruption);
        if (weights.size() > 1 && !task.equals("classify") && !detect) throw new IllegalArgumentException("an ensemble (several --weights) averages class probabilities or detectors' maps: --task classify or detect");
        TrainVal tv = null;
        List<Module> models = new ArrayList<>();
        int classes = 0;
        for (Path w : weights) {
            var shapes = Weights.shapes(w); // what describes the tensors: they go straight into the model below
            if (tv == null) { // the first file decides the input
                dataOptions.normalization.defaultFrom(w, shapes);
                tv = dataOptions.open(modelOptions.withInputFrom(shapes), 0, detect);
            } else {
                dataOptions.normalization.requireAgrees(w);
            }
            int[] shape = tv.val().get(0).shape();
            Models.Config config = modelOptions.resolve(shapes, shape.length > 1 ? shape[1] : 0);
            classes = config.numClasses();
            Module m = Models.load(modelOptions.model(null), config, w);
            models.add(flipTest ? new FlipTest(m, classes) : m);
        }
        Task t = TaskNames.of(task, classes, 0f);
        try (DataLoader val = new DataLoader(tv.val(), LoaderOptions.DEFAULT.withBatchSize(batch).withNumWorkers(dataOptions.workers)
                .withSeed(seed).withTransform(corruption.isEmpty() ? null : new Compose(corruption)))) {
            for (int i = 0; i < models.size(); i++) evaluate(weights.get(i).toString(), models.get(i), t, val, tv);
            if (models.size() > 1) {
                Module ensemble = t instanceof Task.Detection ? new DetectorEnsemble(models, classes) : new Ensemble(models);
                evaluate("ensemble of " + models.size(), ensemble, t, val, tv);
            }
        }
        return 0;
    }

    /** Prints one model's metrics; a detector's with each class's AP and COCO's size figures. */
    private void evaluate(String what, Module model, Task t, DataLoader val, TrainVal tv) {
        if (t instanceof Task.Detection d) {
            Task.Detection.DetectionMetrics m = Trainer.evaluateInto(model, val, d, d.metrics());
            print(what, tv, m.values(""));
            printPerClass(m.evaluation(), tv.val().classes());
        } else {
            print(what, tv, Trainer.evaluate(model, val, t, ""));
        }
    }

    /** Each class's AP@[.5:.95] by name; classes without a true box in the data are marked so. */
    private static void printPerClass(io.descent.detect.MeanAveragePrecision.Result r, List<String> names) {
        if (r == null) return;
        StringBuilder sb = new StringBuilder("AP@[.5:.95] per class:");
        r.perClass().forEach((c, ap) -> sb.append(String.format(java.util.Locale.ROOT, " %s %s", c < names.size() ? names.get(c) : "class " + c,
                ap < 0 ? "(no true box)" : String.format(java.util.Locale.ROOT, "%.4f", ap))));
        System.out.println(sb);
        // COCOeval's AP_S, AP_M, AP_L and AR@100, "n/a" for its −1 (no true box in the range)
        java.util.function.DoubleFunction<String> coco = v -> v < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", v);
        System.out.println(String.format(java.util.Locale.ROOT, "COCO: AP_S %s AP_M %s AP_L %s AR@100 %s",
                coco.apply(r.mapSmall()), coco.apply(r.mapMedium()), coco.apply(r.mapLarge()), coco.apply(r.mar100())));
    }

    private void print(String what, TrainVal tv, Map<String, Double> metrics) {
        System.out.printf("%s on %s (%d examples):", what, dataOptions.data, tv.val().size());
        metrics.forEach((k, v) -> System.out.printf(" %s %.4f", k, v));
        System.out.println();
    }
}
