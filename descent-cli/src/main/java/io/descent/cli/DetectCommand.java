package io.descent.cli;

import io.descent.autograd.GradMode;
import io.descent.data.Example;
import io.descent.data.ImageDecoder;
import io.descent.data.transforms.Resize;
import io.descent.detect.BoxDrawing;
import io.descent.detect.CenterNetDecoder;
import io.descent.detect.Detections;
import io.descent.ensemble.FlipTest;
import io.descent.io.Weights;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent detect}: a trained detector on image files. Each image is resized to the
 * model's input size (--image-size; by default the size the weights file records it was
 * trained at, else 64), the detections
 * are mapped back to the image's own pixels and printed as CSV
 * ({@code image,class,name,score,x1,y1,x2,y2}); with {@code --output DIR}, each image is also
 * written as a PNG with its boxes drawn.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, description = "Detect objects in images with a centernet-* model; print the boxes as CSV.")
public final class DetectCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The detector's weights (a run's best.safetensors).")
    Path weights;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG, BMP or GIF files.")
    List<Path> images;

    @Option(names = "--min-score", defaultValue = "0.3", description = "Drop detections scoring under this (default ${DEFAULT-VALUE}).")
    float minScore;

    @Option(names = "--max-detections", defaultValue = "100", description = "At most this many per image (default ${DEFAULT-VALUE}).")
    int maxDetections;

    @Option(names = "--names", split = ",", paramLabel = "NAME,...", description = "Class names in class order (default: the built-in shapes' names for 10 classes, else none).")
    List<String> names;

    @Mixin
    NormalizeOptions normalization = new NormalizeOptions();

    @Option(names = "--flip-test", description = "CenterNet's flip test: the detector also runs on each mirror image (heatmaps and sizes averaged).")
    boolean flipTest;

    @Option(names = "--output", paramLabel = "DIR", description = "Write each image with its boxes drawn as DIR/<image>.png.")
    Path output;

    @Override
    public Integer call() throws Exception {
        var shapes = Weights.shapes(weights);
        TaskNames.requireDetectorWeights(weights, shapes);
        normalization.defaultFrom(weights, shapes); // as the detector was trained
        modelOptions.defaultsFrom(weights);
        String name = modelOptions.model("centernet-resnet18");
        TaskNames.requireDetectorForDetection(name, true);
        int size = modelOptions.imageSize != null ? modelOptions.imageSize : 64;
        Models.Config cfg = modelOptions.resolve(shapes, size);
        Module model = Models.load(name, cfg, weights);
        if (flipTest) model = new FlipTest(model, cfg.numClasses());
        model.eval();
        CenterNetDecoder decoder = new CenterNetDecoder(maxDetections, minScore);
        List<String> classNames = names != null ? names : cfg.numClasses() == io.descent.data.Shapes.CLASSES.size() ? io.descent.data.Shapes.CLASSES : List.of();
        if (output != null) Files.createDirectories(output);
        System.out.println("image,class,name,score,x1,y1,x2,y2");
        for (Path file : images) {
            Example original = ImageDecoder.read(file, cfg.inChannels());
            int[] s = original.shape();
            Example input = new Resize(size, size).apply(original, new Rng(0));
            if (normalization.transform() != null) input = normalization.transform().apply(input, new Rng(0));
            Detections d;
            try (var ng = GradMode.noGrad()) {
                Tensor x = Tensor.wrap(input.data(), 1, s[0], size, size);
                d = decoder.decode(model.forward(x), cfg.numClasses(), size, size).get(0);
            }
            // back to the file's pixels: x scaled by W/size, y by H/size
            float sx = s[2] / (float) size, sy = s[1] / (float) size;
            float[] xyxy = d.xyxy();
            for (int i = 0; i < xyxy.length; i += 2) {
                xyxy[i] *= sx;
                xyxy[i + 1] *= sy;
            }
            for (int k = 0; k < d.size(); k++) {
                int c = d.label(k);
                System.out.printf(Locale.ROOT, "%s,%d,%s,%.4f,%.1f,%.1f,%.1f,%.1f%n", file, c, c < classNames.size() ? classNames.get(c) : "",
                        d.score(k), xyxy[4 * k], xyxy[4 * k + 1], xyxy[4 * k + 2], xyxy[4 * k + 3]);
            }
            if (output != null) {
                float[] rgb = BoxDrawing.draw(original.data(), s[0], s[1], s[2], xyxy, d.labels());
                String base = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                ImageIO.write(toImage(rgb, s[1], s[2]), "png", output.resolve(base + ".png").toFile());
            }
        }
        return 0;
    }

    private static BufferedImage toImage(float[] rgb, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = y * w + x;
                img.setRGB(x, y, byteOf(rgb[at]) << 16 | byteOf(rgb[plane + at]) << 8 | byteOf(rgb[2 * plane + at]));
            }
        }
        return img;
    }

    private static int byteOf(float v) {
        return Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
