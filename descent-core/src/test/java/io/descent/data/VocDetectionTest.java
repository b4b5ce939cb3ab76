package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocDetectionTest {
    /** VOC's layout: Annotations/ID.xml, JPEGImages/ID.png, ImageSets/Main/{train,val}.txt. */
    static Path write(Path root) throws IOException {
        Files.createDirectories(root.resolve("Annotations"));
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("ImageSets").resolve("Main"));
        String[][] objects = {
                {"dog", "3", "5", "10", "12", "0"}, {"person", "1", "1", "4", "4", "1"}, // the second is difficult
                {"cat", "2", "2", "20", "16", "0"},
                {"person", "5", "6", "9", "9", "0"}, {"dog", "11", "2", "24", "18", "0"}};
        int[] first = {0, 2, 3}, count = {2, 1, 2};
        for (int i = 0; i < 3; i++) {
            String id = "00000" + i;
            BufferedImage img = new BufferedImage(24, 18, BufferedImage.TYPE_INT_RGB);
            ImageIO.write(img, "png", root.resolve("JPEGImages").resolve(id + ".png").toFile());
            StringBuilder xml = new StringBuilder("<annotation><folder>VOC</folder><filename>" + id + ".png</filename><size><width>24</width><height>18</height><depth>3</depth></size>");
            for (int k = first[i]; k < first[i] + count[i]; k++) {
                String[] o = objects[k];
                xml.append("<object><name>").append(o[0]).append("</name><pose>Left</pose><truncated>0</truncated><difficult>").append(o[5])
                        .append("</difficult><bndbox><xmin>").append(o[1]).append("</xmin><ymin>").append(o[2]).append("</ymin><xmax>").append(o[3])
                        .append("</xmax><ymax>").append(o[4]).append("</ymax></bndbox></object>");
            }
            Files.writeString(root.resolve("Annotations").resolve(id + ".xml"), xml.append("</annotation>").toString());
        }
        Files.writeString(root.resolve("ImageSets").resolve("Main").resolve("train.txt"), "000000\n000002\n");
        Files.writeString(root.resolve("ImageSets").resolve("Main").resolve("val.txt"), "000001\n");
        return root;
    }

    @Test
    void readsVocsLayoutSplitsAndCorners(@TempDir Path dir) throws IOException {
        Path root = write(dir);
        TrainVal tv = DataSpec.of("voc:" + root).open();
        assertEquals(List.of("cat", "dog", "person"), tv.train().classes(), "sorted names; every split numbers them alike");
        assertEquals(tv.train().classes(), tv.val().classes());
        assertEquals(2, tv.train().size());
        DetectionImages train = VocDetection.read(root, "train", 0, 3);
        assertEquals(new Boxes(new float[] {2, 4, 10, 12}, new int[] {1}), train.boxes(0), "1-based inclusive corners; the difficult person left out");
        assertEquals(new Boxes(new float[] {4, 5, 9, 9, 10, 1, 24, 18}, new int[] {2, 1}), train.boxes(1));
        Example e = VocDetection.read(root, "val", 12, 1).get(0);
        assertArrayEquals(new int[] {1, 12, 12}, e.shape());
        assertArrayEquals(new float[] {0.5f, 1 * 12 / 18f, 10, 16 * 12 / 18f}, e.boxes().box(0), 1e-5f, "resized with its image");
    }

    @Test
    void hostileOrBrokenFilesAreRefused(@TempDir Path dir) throws IOException {
        Path root = write(dir);
        Path xml = root.resolve("Annotations").resolve("000001.xml");
        Files.writeString(root.resolve("secret.txt"), "secret");
        Files.writeString(xml, "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file://" + root.resolve("secret.txt") + "\">]><annotation><filename>&x;</filename></annotation>");
        var e = assertThrows(IllegalArgumentException.class, () -> VocDetection.read(root, "val", 0, 3));
        assertTrue(e.getMessage().startsWith("VocDetection: " + xml + " is not valid XML: "), "a document type is refused: " + e.getMessage());
        Files.writeString(xml, "<annotation><filename>000001.png</filename><object><name>cat</name><bndbox><xmin>3</xmin><ymin>a</ymin><xmax>4</xmax><ymax>5</ymax></bndbox></object></annotation>");
        assertEquals("VocDetection: " + xml + ": <ymin> is 'a', not a number", assertThrows(IllegalArgumentException.class, () -> VocDetection.read(root, "val", 0, 3)).getMessage());
        Files.writeString(xml, "<annotation><filename>missing.png</filename></annotation>");
        var missing = assertThrows(java.nio.file.NoSuchFileException.class, () -> VocDetection.read(root, "val", 0, 3));
        assertTrue(missing.getMessage().contains("missing.png"), missing.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> VocDetection.read(dir.resolve("nope"), null, 0, 3));
    }
}
