package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoDetectionTest {
    /** COCO's layout: DIR/annotations/instances_mini.json and DIR/mini/*.png; each image white where its first box is. */
    static Path write(Path dir, int width, int height) throws IOException {
        Files.createDirectories(dir.resolve("annotations"));
        Files.createDirectories(dir.resolve("mini"));
        for (String name : List.of("a.png", "b.png", "c.png")) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            if (name.equals("a.png")) for (int y = 4; y < 12; y++) for (int x = 2; x < 10; x++) img.setRGB(x, y, 0xffffff);
            ImageIO.write(img, "png", dir.resolve("mini").resolve(name).toFile());
        }
        String json = """
                {"images": [{"id": 11, "file_name": "a.png", "width": %1$d, "height": %2$d},
                            {"id": 5, "file_name": "b.png", "width": %1$d, "height": %2$d},
                            {"id": 7, "file_name": "c.png", "width": %1$d, "height": %2$d}],
                 "annotations": [{"id": 1, "image_id": 11, "category_id": 18, "bbox": [2, 4, 8, 8], "iscrowd": 0, "area": 64},
                                 {"id": 2, "image_id": 11, "category_id": 3, "bbox": [20.5, 1.5, 100, 3], "iscrowd": 0},
                                 {"id": 3, "image_id": 5, "category_id": 18, "bbox": [0, 0, 10, 10], "iscrowd": 1},
                                 {"id": 4, "image_id": 5, "category_id": 3, "bbox": [3, 3, 0, 5], "iscrowd": 0}],
                 "categories": [{"id": 18, "name": "dog"}, {"id": 3, "name": "car"}, {"id": 44, "name": "bottle"}]}
                """.formatted(width, height);
        Path file = dir.resolve("annotations").resolve("instances_mini.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void readsCocosLayoutIdsAndBoxes(@TempDir Path dir) throws IOException {
        DetectionImages d = CocoDetection.read(write(dir, 32, 24), 0, 3);
        assertEquals(3, d.size());
        assertEquals(List.of("car", "dog", "bottle"), d.classes(), "categories in id order: 3, 18, 44");
        assertEquals(new Boxes(new float[] {2, 4, 10, 12, 20.5f, 1.5f, 32, 4.5f}, new int[] {1, 0}), d.boxes(0), "xywh to xyxy, clipped to the image");
        assertEquals(Boxes.empty(), d.boxes(1), "the crowd box and the box without area are left out");
        Example a = d.get(0);
        assertArrayEquals(new int[] {3, 24, 32}, a.shape());
        assertEquals(1f, a.data()[4 * 32 + 2]);
        assertEquals(0f, a.data()[3 * 32 + 2]);
        assertEquals(d.boxes(0), a.boxes());
    }

    @Test
    void resizingScalesTheBoxes(@TempDir Path dir) throws IOException {
        DetectionImages d = CocoDetection.read(write(dir, 32, 24), 16, 1);
        Example a = d.get(0);
        assertArrayEquals(new int[] {1, 16, 16}, a.shape());
        assertArrayEquals(new float[] {1, 4 * 16 / 24f, 5, 12 * 16 / 24f}, a.boxes().box(0), 1e-5f);
    }

    @Test
    void aSecondFileIsTheValidationSet(@TempDir Path dir) throws IOException {
        Path train = write(dir.resolve("t"), 32, 24), val = write(dir.resolve("v"), 32, 24);
        TrainVal tv = DataSpec.of("coco:" + train + "," + val).open();
        assertEquals(3, tv.train().size());
        assertEquals(3, tv.val().size());
        TrainVal split = DataSpec.of("coco:" + train).withValFraction(0.34).open();
        assertEquals(2, split.train().size());
        assertEquals(1, split.val().size());
        Files.writeString(val, Files.readString(val).replace("\"bottle\"", "\"cup\""));
        assertEquals("--data: " + val + " has categories [car, dog, cup] but " + train + " has [car, dog, bottle]",
                assertThrows(IllegalArgumentException.class, () -> DataSpec.of("coco:" + train + "," + val).open()).getMessage());
        assertEquals("--data coco: takes FILE.json or TRAIN.json,VAL.json, got 'coco:a.json,'",
                assertThrows(IllegalArgumentException.class, () -> DataSpec.of("coco:a.json,").open()).getMessage());
    }

    @Test
    void badFilesAreRefusedBeforeAnyImageIsRead(@TempDir Path dir) throws IOException {
        Path file = write(dir, 32, 24);
        String good = Files.readString(file);
        Files.writeString(file, good.replace("\"image_id\": 5,", "\"image_id\": 6,"));
        assertEquals(file + ": an annotation names image id 6, which is not among the images",
                assertThrows(IllegalArgumentException.class, () -> CocoDetection.read(file, 0, 3)).getMessage());
        Files.writeString(file, good.replace("\"category_id\": 3, \"bbox\": [20.5", "\"category_id\": 4, \"bbox\": [20.5"));
        assertEquals(file + ": an annotation names category id 4, which is not among the categories [3, 18, 44]",
                assertThrows(IllegalArgumentException.class, () -> CocoDetection.read(file, 0, 3)).getMessage());
        Files.writeString(file, good.replace("[2, 4, 8, 8]", "[2, 4, 8]"));
        assertEquals(file + ": an annotation of image 11 has bbox [2, 4, 8] (expected [x, y, width, height])",
                assertThrows(IllegalArgumentException.class, () -> CocoDetection.read(file, 0, 3)).getMessage());
        Files.writeString(file, good.replace("\"b.png\", \"width\": 32", "\"b.png\", \"width\": 40"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoDetection.read(file, 0, 3)).getMessage()
                .endsWith(": images have different sizes (a.png 32x24, b.png 40x24): set an image size (--image-size) to resize them to one"));
        Files.writeString(file, good);
        Files.delete(dir.resolve("mini").resolve("c.png"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CocoDetection.read(file, 0, 3));
        assertTrue(e.getMessage().startsWith("c.png: image of " + file + " not found; looked for ["), e.getMessage());
    }
}
