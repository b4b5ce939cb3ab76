package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --task detect} through train, evaluate and finetune, on the built-in shapes-detection data. */
class DetectionCommandsTest {
    @Test
    void trainEvaluateAndReport(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("train", "--task", "detect", "--max-steps", "3", "--batch", "8", "--image-size", "32",
                "--runs-dir", dir.toString(), "--run", "det");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("descent train: centernet-resnet18"), r.out());
        assertTrue(r.out().contains("on shapes-detection"), r.out());
        Path run = dir.resolve("det");
        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("val_loss,val_heatmap_loss,val_map,val_map50"), header);
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("Detections on validation images (circle #4e79a7"), "the report shows boxes drawn on validation images");
        assertTrue(report.contains("true boxes") && report.contains("detected, score"));
        assertTrue(report.contains(">Mean average precision<"), "val_map and val_map50 share one chart");

        Map<String, String> meta = io.descent.io.Weights.metadata(run.resolve("best.safetensors"));
        assertEquals("centernet-resnet18", meta.get("descent.model"));
        assertEquals("detect", meta.get("descent.task"));
        assertEquals("32", meta.get("descent.image_size"));
        // model, task and image size come from the file
        Cli.Run e = Cli.run("evaluate", "--weights", run.resolve("best.safetensors").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("AP@[.5:.95] per class: circle "), e.out());
        assertTrue(e.out().contains("COCO: AP_S "), e.out());
        String last = Files.readAllLines(run.resolve("metrics.csv")).getLast();
        String[] cols = header.split(","), vals = last.split(",");
        for (String metric : new String[] {"val_loss", "val_map", "val_map50"}) {
            int i = java.util.Arrays.asList(cols).indexOf(metric);
            String printed = String.format(java.util.Locale.ROOT, " %s %.4f", metric.substring(4), Double.parseDouble(vals[i]));
            assertTrue(e.out().contains(printed), "evaluate reproduces the run's " + metric + ": " + printed + " in " + e.out());
        }

        Cli.Run flip = Cli.run("evaluate", "--weights", run.resolve("best.safetensors").toString(), "--flip-test");
        assertEquals(0, flip.code(), flip.err());
        assertTrue(flip.out().contains(" map50 ") && !flip.out().equals(e.out()), "the flip test's own figures: " + flip.out());

        Cli.Run ens = Cli.run("evaluate", "--weights", run.resolve("best.safetensors") + "," + run.resolve("last.safetensors"));
        assertEquals(0, ens.code(), ens.err());
        assertTrue(ens.out().contains("ensemble of 2 on shapes-detection (1000 examples): loss "), "two detectors' averaged maps: " + ens.out());

        // detect on an image file of another size: boxes in the file's pixels, and the image written with them drawn
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(48, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(10, 10, 0xffffff);
        Path png = dir.resolve("photo.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Cli.Run d = Cli.run("detect", "--weights", run.resolve("best.safetensors").toString(), "--min-score", "0",
                "--max-detections", "5", "--output", dir.resolve("drawn").toString(), png.toString());
        assertEquals(0, d.code(), d.err());
        List<String> lines = d.out().lines().toList();
        assertEquals("image,class,name,score,x1,y1,x2,y2", lines.get(0));
        assertEquals(6, lines.size(), d.out());
        for (String line : lines.subList(1, 6)) {
            String[] f = line.split(",");
            assertEquals(png.toString(), f[0]);
            assertTrue(io.descent.data.Shapes.CLASSES.contains(f[2]), "ten classes: the shapes' names " + line);
            assertTrue(Double.parseDouble(f[6]) <= 48 && Double.parseDouble(f[7]) <= 40, "inside the 48x40 image: " + line);
        }
        Cli.Run n = Cli.run("detect", "--weights", run.resolve("best.safetensors").toString(), "--min-score", "0", "--max-detections", "5",
                "--normalize", "imagenet", png.toString());
        assertEquals(0, n.code(), n.err());
        assertTrue(!n.out().equals(d.out()), "normalised inputs give other scores (the run recorded none, the default here)");
        java.awt.image.BufferedImage drawn = javax.imageio.ImageIO.read(dir.resolve("drawn").resolve("photo.png").toFile());
        assertEquals(48, drawn.getWidth());
        assertEquals(40, drawn.getHeight());

        // a detector's weights start another: backbone and neck loaded (the neck frozen with the backbone), new heads
        Cli.Run f = Cli.run("finetune", "--task", "detect", "--weights", run.resolve("best.safetensors").toString(), "--strategy", "features",
                "--max-steps", "2", "--batch", "8", "--runs-dir", dir.toString(), "--run", "again");
        assertEquals(0, f.code(), f.err());
        assertTrue(f.out().contains("neck 0.00100 head 0.00100; trainable now: 12 of"), f.out());
        Map<String, Tensor> before = Weights.read(run.resolve("best.safetensors")), after = Weights.read(dir.resolve("again").resolve("model.safetensors"));
        assertArrayEquals(before.get("neck.layer_blocks.0.0.weight").data(), after.get("neck.layer_blocks.0.0.weight").data(), "the detector's pyramid, frozen");
        assertTrue(!java.util.Arrays.equals(before.get("head.size.2.weight").data(), after.get("head.size.2.weight").data()), "new heads, trained");
    }

    @Test
    void finetuneADetectorOnAClassifiersBackbone(@TempDir Path dir) throws Exception {
        Cli.Run c = Cli.run("train", "--model", "resnet18", "--stem", "imagenet", "--in-channels", "3", "--image-size", "32", "--max-steps", "2",
                "--batch", "16", "--runs-dir", dir.toString(), "--run", "cls");
        assertEquals(0, c.code(), c.err());
        Path classifier = dir.resolve("cls").resolve("last.safetensors");
        Cli.Run f = Cli.run("finetune", "--task", "detect", "--model", "centernet-resnet18", "--weights", classifier.toString(), "--strategy", "features",
                "--max-steps", "3", "--batch", "8", "--image-size", "32", "--runs-dir", dir.toString(), "--run", "ft");
        assertEquals(0, f.code(), f.err());
        assertTrue(f.out().contains("layer groups (lr): stem"), f.out());
        assertTrue(f.out().contains("trainable now: 22 of"), "the pyramid's 5 convs and the heads' 6, weights and biases: " + f.out());
        Map<String, Tensor> before = Weights.read(classifier), after = Weights.read(dir.resolve("ft").resolve("model.safetensors"));
        int backbone = 0;
        for (var e : before.entrySet()) {
            if (e.getKey().startsWith("fc.")) continue;
            assertArrayEquals(e.getValue().data(), after.get(e.getKey()).data(), e.getKey() + " stays as the classifier left it (batch-norm statistics too)");
            backbone++;
        }
        assertEquals(before.size() - 2, backbone);
        assertTrue(after.containsKey("head.heatmap.2.bias") && !after.containsKey("fc.weight"));
        String noDetector = "descent: " + classifier + " holds no CenterNet detector (no head.heatmap.* tensors); a classifier's or a torchvision detector's weights"
                + " are where one starts: descent finetune --task detect --weights " + classifier;
        assertEquals(noDetector, Cli.run("detect", "--weights", classifier.toString(), classifier.toString()).err().strip());
        assertEquals(noDetector, Cli.run("evaluate", "--task", "detect", "--weights", classifier.toString()).err().strip());
    }

    /** A torchvision detector's state dict (backbone.body.*, backbone.fpn.*, rpn.*): its backbone and pyramid are the detector's start. */
    @Test
    void finetuneADetectorOnATorchvisionDetectorsBackboneAndPyramid(@TempDir Path dir) throws Exception {
        Module donor = Models.create("centernet-resnet18", new Models.Config(91, 3, 64, ResNet.Stem.IMAGENET, 32, 4));
        Map<String, Tensor> torchvision = new java.util.LinkedHashMap<>();
        donor.stateDict().forEach((k, t) -> {
            if (k.startsWith("neck.")) torchvision.put("backbone.fpn." + k.substring(5), t);
            else if (!k.startsWith("head.") && !k.endsWith("num_batches_tracked")) torchvision.put("backbone.body." + k, t);
        });
        torchvision.put("backbone.fpn.layer_blocks.1.0.weight", Tensor.zeros(128, 128, 3, 3)); // a coarser level's output conv
        torchvision.put("rpn.head.conv.0.0.weight", Tensor.zeros(128, 128, 3, 3));
        Path file = dir.resolve("fasterrcnn.safetensors");
        io.descent.io.Safetensors.write(file, torchvision);
        Cli.Run f = Cli.run("finetune", "--task", "detect", "--model", "centernet-resnet18", "--weights", file.toString(), "--strategy", "features",
                "--max-steps", "2", "--batch", "8", "--runs-dir", dir.toString(), "--run", "tv");
        assertEquals(0, f.code(), f.err());
        Map<String, Tensor> after = Weights.read(dir.resolve("tv").resolve("model.safetensors"));
        assertTrue(f.out().contains("layer4 0.00100 neck 0.00100 head 0.00100; trainable now: 12 of"), "the heads' 3 x 2 convs only: " + f.out());
        assertTrue(f.out().contains("weights: 110 tensors loaded; left out of the file: backbone.* (1), rpn.* (1); the model's own: *.num_batches_tracked (20), head.* (12)"),
                "the coarser output conv and the RPN left out, heads and batch-norm counters the model's: " + f.out());
        for (String k : List.of("conv1.weight", "layer4.1.bn2.running_var", "layer2.0.downsample.0.weight")) {
            assertArrayEquals(torchvision.get("backbone.body." + k).data(), after.get(k).data(), k + " is the file's and frozen");
        }
        assertArrayEquals(torchvision.get("backbone.fpn.layer_blocks.0.0.weight").data(), after.get("neck.layer_blocks.0.0.weight").data(),
                "the pretrained pyramid is frozen with the backbone");
        assertArrayEquals(new int[] {10, 64, 1, 1}, after.get("head.heatmap.2.weight").shape(), "a new head for the data's 10 classes");
    }

    @Test
    void trainsOnACocoFormatDataSet(@TempDir Path dir) throws Exception {
        // 20 images 40x30, each a white square of 8-12 px with its box, category 7 ("square") or 9 ("bar")
        Path images = Files.createDirectories(dir.resolve("images"));
        StringBuilder imgs = new StringBuilder(), anns = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
            int x = 2 + i, y = 3 + i % 10, s = 8 + i % 5;
            for (int yy = y; yy < y + s; yy++) for (int xx = x; xx < x + s; xx++) img.setRGB(xx, yy, 0xffffff);
            javax.imageio.ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
            imgs.append(i > 0 ? "," : "").append(String.format("{\"id\": %d, \"file_name\": \"img%d.png\", \"width\": 40, \"height\": 30}", i + 1, i));
            anns.append(i > 0 ? "," : "").append(String.format("{\"id\": %d, \"image_id\": %d, \"category_id\": %d, \"bbox\": [%d, %d, %d, %d], \"iscrowd\": 0}",
                    i + 1, i + 1, i % 2 == 0 ? 7 : 9, x, y, s, s));
        }
        Path json = dir.resolve("train.json");
        Files.writeString(json, "{\"images\": [" + imgs + "], \"annotations\": [" + anns + "], \"categories\": [{\"id\": 7, \"name\": \"square\"}, {\"id\": 9, \"name\": \"bar\"}]}");
        Cli.Run r = Cli.run("train", "--task", "detect", "--data", "coco:" + json, "--image-size", "32", "--max-steps", "2", "--batch", "4",
                "--runs-dir", dir.toString(), "--run", "coco");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("18 train / 2 val examples [3, 32, 32], 2 classes"), r.out());
        assertTrue(Files.readString(dir.resolve("coco").resolve("report.html")).contains("square #4e79a7, bar #f28e2b"), "class names from the categories");
        Cli.Run cls = Cli.run("train", "--data", "coco:" + json, "--runs-dir", dir.toString());
        assertEquals("descent: --data coco:" + json + " holds boxes, not class labels: add --task detect", cls.err().strip());
        Cli.Run missing = Cli.run("train", "--task", "detect", "--data", "coco:" + dir.resolve("nope.json"), "--runs-dir", dir.toString());
        assertEquals("descent: no such file: " + dir.resolve("nope.json"), missing.err().strip());
    }

    @Test
    void aDetectorAndTheDetectTaskGoTogether(@TempDir Path dir) {
        Cli.Run a = Cli.run("train", "--task", "detect", "--model", "resnet18", "--runs-dir", dir.toString());
        assertEquals(1, a.code());
        assertEquals("descent: --task detect needs a detector (centernet-resnet18 ... centernet-resnet152), got 'resnet18'", a.err().strip());
        Cli.Run b = Cli.run("train", "--model", "centernet-resnet18", "--runs-dir", dir.toString());
        assertEquals("descent: centernet-resnet18 is a detector: add --task detect", b.err().strip());
        Cli.Run m = Cli.run("train", "--task", "detect", "--mixup", "0.2", "--max-steps", "1", "--runs-dir", dir.toString());
        assertEquals("descent: --mixup and --cutmix mix class labels: not for --task detect", m.err().strip());
        Cli.Run flip = Cli.run("evaluate", "--model", "small-cnn", "--weights", "x.safetensors", "--flip-test", "--task", "classify");
        assertEquals("descent: --flip-test averages a detector's maps with its mirror image's: --task detect", flip.err().strip());
        Cli.Run f = Cli.run("train", "--task", "detect", "--data", "fashion-mnist", "--runs-dir", dir.toString());
        assertEquals("descent: --data fashion-mnist has no boxes: --task detect needs shapes-detection, coco:FILE.json or voc:DIR", f.err().strip());
    }
}
