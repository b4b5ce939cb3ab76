package io.descent.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads a detection data set in Pascal VOC's layout (Everingham et al., 2010) into
 * {@link DetectionImages}: {@code ROOT/Annotations/ID.xml} (one {@code <annotation>} per image:
 * {@code <filename>}, {@code <size>}, and an {@code <object>} with {@code <name>},
 * {@code <difficult>} and {@code <bndbox>} xmin, ymin, xmax, ymax per object), the images in
 * {@code ROOT/JPEGImages/}, and the image ids of a split in {@code ROOT/ImageSets/Main/SPLIT.txt}.
 *
 * <ul>
 *   <li>Classes are the object names found in all the annotations, sorted: the 20 VOC classes in
 *       their usual order (aeroplane … tvmonitor) for VOC itself, a tool's own names otherwise.</li>
 *   <li>VOC's corners are 1-based pixel indices, both inclusive: the box covering pixels xmin…xmax
 *       spans [xmin − 1, xmax] in Descent's continuous pixel coordinates.</li>
 *   <li>Objects marked {@code difficult} are left out (VOC's evaluation ignores them), as COCO's
 *       crowd boxes are.</li>
 *   <li>The XML parser refuses document types and external entities: an annotation file cannot
 *       make it read other files or expand entities without bound.</li>
 * </ul>
 */
public final class VocDetection {
    private VocDetection() {}

    /** One annotation file: its image, and the name and corners of each object that is not difficult. */
    private record Annotation(Path image, List<String> names, float[] xyxy) {}

    /**
     * The images listed in {@code ImageSets/Main/SPLIT.txt} of {@code root} ({@code split} null:
     * every annotation file), their classes numbered in {@link #classes}' order, so that every
     * split of one root agrees.
     */
    public static DetectionImages read(Path root, String split, int imageSize, int channels) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("VocDetection: channels must be 1 or 3, got " + channels);
        List<String> classes = classes(root);
        List<String> ids = split == null ? allIds(root) : splitIds(root, split);
        if (ids.isEmpty()) throw new IllegalArgumentException("VocDetection: no images in " + (split == null ? root.resolve("Annotations").toString() : "split " + split + " of " + root));
        DocumentBuilder xml = parser();
        Path[] files = new Path[ids.size()];
        Boxes[] boxes = new Boxes[ids.size()];
        for (int i = 0; i < files.length; i++) {
            Annotation a = parse(xml, root, ids.get(i));
            int[] labels = new int[a.names().size()];
            for (int k = 0; k < labels.length; k++) labels[k] = classes.indexOf(a.names().get(k));
            files[i] = a.image();
            boxes[i] = new Boxes(a.xyxy(), labels);
        }
        return new DetectionImages(files, boxes, classes, channels, imageSize);
    }

    /** The names of the (not difficult) objects of every annotation file under {@code root}, sorted. */
    public static List<String> classes(Path root) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        DocumentBuilder xml = parser();
        for (String id : allIds(root)) names.addAll(parse(xml, root, id).names());
        if (names.isEmpty()) throw new IllegalArgumentException("VocDetection: no object in any annotation of " + root);
        return List.copyOf(names);
    }

    private static List<String> allIds(Path root) throws IOException {
        Path annotations = root.resolve("Annotations");
        if (!Files.isDirectory(annotations)) throw new java.nio.file.NoSuchFileException(annotations.toString(), null, "not a Pascal VOC folder (no Annotations/)");
        try (Stream<Path> s = Files.list(annotations)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    private static List<String> splitIds(Path root, String split) throws IOException {
        Path list = root.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
        if (!Files.isRegularFile(list)) throw new java.nio.file.NoSuchFileException(list.toString());
        return Files.readAllLines(list).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Annotations/ID.xml of {@code root}. */
    private static Annotation parse(DocumentBuilder xml, Path root, String id) throws IOException {
        Path file = root.resolve("Annotations").resolve(id + ".xml");
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString());
        Document doc;
        try {
            doc = xml.parse(file.toFile());
        } catch (SAXException e) {
            throw new IllegalArgumentException("VocDetection: " + file + " is not valid XML: " + e.getMessage(), e);
        }
        Element a = doc.getDocumentElement();
        if (!a.getTagName().equals("annotation")) throw new IllegalArgumentException("VocDetection: " + file + " has <" + a.getTagName() + ">, not <annotation>");
        String filename = text(a, "filename", file);
        Path image = root.resolve("JPEGImages").resolve(filename);
        if (!Files.isRegularFile(image)) throw new java.nio.file.NoSuchFileException(image.toString(), null, "the image of " + file);
        List<String> names = new ArrayList<>();
        List<float[]> corners = new ArrayList<>();
        NodeList objects = a.getElementsByTagName("object");
        for (int i = 0; i < objects.getLength(); i++) {
            Element o = (Element) objects.item(i);
            String difficult = optionalText(o, "difficult");
            if (difficult != null && !difficult.equals("0")) continue;
            Element box = child(o, "bndbox", file);
            float xmin = number(box, "xmin", file), ymin = number(box, "ymin", file), xmax = number(box, "xmax", file), ymax = number(box, "ymax", file);
            if (xmax < xmin || ymax < ymin) throw new IllegalArgumentException("VocDetection: " + file + " has a box with xmax < xmin or ymax < ymin: " + xmin + ", " + ymin + ", " + xmax + ", " + ymax);
            names.add(text(o, "name", file));
            corners.add(new float[] {xmin - 1, ymin - 1, xmax, ymax}); // 1-based inclusive pixel indices → continuous edges
        }
        float[] xyxy = new float[4 * corners.size()];
        for (int k = 0; k < corners.size(); k++) System.arraycopy(corners.get(k), 0, xyxy, 4 * k, 4);
        return new Annotation(image, names, xyxy);
    }

    /** A parser that reads no document type, no external entity and no external schema. */
    private static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() { // errors become the exception we report, not lines on stderr
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no secure XML parser: " + e.getMessage(), e);
        }
    }

    private static Element child(Element e, String tag, Path file) {
        NodeList l = e.getElementsByTagName(tag);
        if (l.getLength() == 0) throw new IllegalArgumentException("VocDetection: " + file + ": an <" + e.getTagName() + "> has no <" + tag + ">");
        return (Element) l.item(0);
    }

    private static String text(Element e, String tag, Path file) {
        return child(e, tag, file).getTextContent().strip();
    }

    private static String optionalText(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }

    private static float number(Element box, String tag, Path file) {
        String t = text(box, tag, file);
        try {
            float v = Float.parseFloat(t);
            if (!Float.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("VocDetection: " + file + ": <" + tag + "> is '" + t + "', not a number");
        }
    }
}
