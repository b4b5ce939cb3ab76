import io.descent.data.Boxes;
import io.descent.data.Example;
import io.descent.data.ShapesDetection;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a small detection data set in COCO's format from Descent's built-in shapes-detection
 * images, for transfer experiments (docs/DETECTION.md, "Few images"): DIR/train/ and DIR/val/,
 * each PNGs and a JSON, 96 px, seeds 7 and 8 (the built-in set uses 1 and 2), and only the
 * boxes of the first K classes (circle, square, triangle for K = 3): the other shapes stay in
 * the images, unlabelled. Run after a build:
 *
 * <pre>java --add-modules jdk.incubator.vector -cp descent-core/target/descent-core-*.jar tools/ShapesToCoco.java DIR 150 300 3</pre>
 */
public class ShapesToCoco {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int keep = Integer.parseInt(args[3]), size = 96;
        for (String split : new String[] {"train", "val"}) {
            int n = Integer.parseInt(split.equals("train") ? args[1] : args[2]);
            ShapesDetection data = new ShapesDetection(n, split.equals("train") ? 7 : 8, size, 3, 4);
            Path dir = Files.createDirectories(root.resolve(split));
            StringBuilder images = new StringBuilder(), annotations = new StringBuilder(), categories = new StringBuilder();
            int boxes = 0;
            for (int i = 0; i < n; i++) {
                Example e = data.get(i);
                float[] d = e.data();
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int p = 0; p < size * size; p++) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) rgb = rgb << 8 | Math.round(Math.max(0, Math.min(1, d[c * size * size + p])) * 255);
                    img.setRGB(p % size, p / size, rgb);
                }
                javax.imageio.ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
                images.append(i > 0 ? "," : "").append(String.format("{\"id\": %d, \"file_name\": \"img%d.png\", \"width\": %d, \"height\": %d}", i + 1, i, size, size));
                Boxes b = e.boxes();
                float[] xy = b.xyxy();
                for (int k = 0; k < b.size(); k++) {
                    if (b.label(k) >= keep) continue;
                    annotations.append(boxes > 0 ? "," : "").append(String.format(Locale.ROOT,
                            "{\"id\": %d, \"image_id\": %d, \"category_id\": %d, \"bbox\": [%.2f, %.2f, %.2f, %.2f], \"iscrowd\": 0}",
                            ++boxes, i + 1, b.label(k) + 1, xy[4 * k], xy[4 * k + 1], xy[4 * k + 2] - xy[4 * k], xy[4 * k + 3] - xy[4 * k + 1]));
                }
            }
            for (int c = 0; c < keep; c++) categories.append(c > 0 ? "," : "").append(String.format("{\"id\": %d, \"name\": \"%s\"}", c + 1, data.classes().get(c)));
            Files.writeString(dir.resolve(split + ".json"), "{\"images\": [" + images + "], \"annotations\": [" + annotations + "], \"categories\": [" + categories + "]}");
            System.out.println(dir.resolve(split + ".json") + ": " + n + " images, " + boxes + " boxes");
        }
    }
}
