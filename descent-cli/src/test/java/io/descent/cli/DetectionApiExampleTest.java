package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.autograd.GradMode;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.ShapesDetection;
import io.descent.detect.CenterNetDecoder;
import io.descent.detect.Detections;
import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.optim.AdamW;
import io.descent.tensor.Tensor;
import io.descent.train.TrainConfig;
import io.descent.train.Task;
import io.descent.train.Trainer;
import io.descent.data.Dataset;
import io.descent.data.TransformedDataset;
import io.descent.data.transforms.Normalize;
import io.descent.transfer.Freezing;
import io.descent.transfer.LayerGroups;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example of docs/DETECTION.md, line for line (sizes shrunk), so that it keeps compiling and running. */
class DetectionApiExampleTest {
    @Test
    void theDocumentedExampleRuns(@TempDir Path dir) throws Exception {
        Path resnet18 = dir.resolve("resnet18.safetensors");
        Weights.save(Models.create("resnet18", new Models.Config(1000, 3, 224, ResNet.Stem.IMAGENET, 32, 0)), resnet18);
        int size = 32;

        // --- docs/DETECTION.md, "From Java" ---
        Dataset train = new ShapesDetection(64, 1, size, 3, 4);        // or CocoDetection.read(...), VocDetection.read(...)
        Dataset val = new ShapesDetection(16, 2, size, 3, 4);
        train = new TransformedDataset(train, Normalize.IMAGENET, 0);   // inputs as torchvision's weights expect them
        val = new TransformedDataset(val, Normalize.IMAGENET, 0);
        Module model = Models.create("centernet-resnet18", new Models.Config(10, 3, size, ResNet.Stem.IMAGENET, 32, 0));
        Weights.load(model, resnet18, true, List.of("fc.", "neck.", "head."));  // the classifier is the backbone
        Freezing.freezeAllButLast(model, LayerGroups.of(model), 1);              // train the neck and heads only
        Freezing.keepFrozenBatchNormInEval(model);
        var opt = new AdamW(model.namedParameters(), 3e-3);                     // frozen tensors get no gradient: never updated
        var task = new Task.Detection(10);                                       // CenterNet's loss; val mAP
        try (var tl = new DataLoader(train, LoaderOptions.DEFAULT.withBatchSize(16).withShuffle(true));
             var vl = new DataLoader(val, LoaderOptions.DEFAULT.withBatchSize(16))) {
            List<Map<String, Double>> rows = new Trainer(model, opt, task, TrainConfig.defaults().withEpochs(1)).fit(tl, vl);
            System.out.println(rows.getLast());                                  // val_loss, val_map, val_map50, ...
        }
        model.eval();
        Tensor images = Tensor.wrap(val.get(0).data(), 1, 3, size, size);
        List<Detections> found;
        try (var ng = GradMode.noGrad()) {
            found = new CenterNetDecoder(100, 0.3f).decode(model.forward(images), 10, size, size);
        }
        // --- end of the example ---

        assertEquals(1, found.size());
        assertTrue(found.get(0).size() <= 100);
    }
}
