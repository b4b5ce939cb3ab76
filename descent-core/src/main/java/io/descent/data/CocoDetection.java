package io.descent.data;

import io.descent.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a detection data set in COCO's format into {@link DetectionImages}: an annotations JSON ({@code images} with {@code id},
 * {@code file_name}, {@code width}, {@code height}; {@code annotations} with {@code image_id},
 * {@code category_id}, {@code bbox} [x, y, width, height] in pixels and {@code iscrowd};
 * {@code categories} with {@code id} and {@code name}) and its image files.
 *
 * <ul>
 *   <li>Classes are the categories in increasing id order, numbered from 0 (COCO's ids have
 *       gaps: 1..90 for 80 classes); {@link #classes()} gives their names.</li>
 *   <li>Crowd annotations ({@code iscrowd} 1) are left out, as CenterNet's training and COCO's
 *       evaluation leave them out of the objects to find; boxes without area are dropped and the
 *       others clipped to the image. Images without objects stay (they teach what is not one).</li>
 *   <li>An image's {@code file_name} is looked for beside the JSON, in {@code images/} beside
 *       it, and in the folder named after the JSON's last underscore part one level up
 *       (COCO's own layout: {@code annotations/instances_val2017.json} and {@code val2017/}).</li>
 *   <li>With {@code imageSize} S > 0 every image is resized to S × S (not keeping its aspect
 *       ratio; the boxes are scaled with it); with 0 all images must have one size.</li>
 * </ul>
 * Everything is checked when the file is read, before any image is decoded: ids that do not
 * exist, boxes that are not four finite numbers, missing image files.
 */
public final class CocoDetection {
    private CocoDetection() {}

    /** Reads {@code annotations}; images decode as {@code channels} (1 or 3) and resize to {@code imageSize} (0: their own size). */
    public static DetectionImages read(Path annotations, int imageSize, int channels) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("CocoDetection: channels must be 1 or 3, got " + channels);
        if (imageSize < 0) throw new IllegalArgumentException("CocoDetection: imageSize must be >= 0, got " + imageSize);
        if (!Files.isRegularFile(annotations)) throw new java.nio.file.NoSuchFileException(annotations.toString());
        Object root = Json.parse(Files.readString(annotations));
        String where = annotations.toString();
        Map<String, Object> top = object(root, where);
        // categories: COCO id → class index, in increasing id order
        TreeMap<Long, String> categories = new TreeMap<>();
        for (Object c : list(top, "categories", where)) {
            Map<String, Object> cat = object(c, where + " categories");
            categories.put(integer(cat, "id", where + " category"), string(cat, "name", where + " category"));
        }
        if (categories.isEmpty()) throw new IllegalArgumentException(where + ": no categories");
        Map<Long, Integer> classOf = new LinkedHashMap<>();
        for (Long id : categories.keySet()) classOf.put(id, classOf.size());
        // images
        Map<Long, Integer> indexOf = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        for (Object o : list(top, "images", where)) {
            Map<String, Object> img = object(o, where + " images");
            long id = integer(img, "id", where + " image");
            if (indexOf.put(id, files.size()) != null) throw new IllegalArgumentException(where + ": image id " + id + " appears twice");
            files.add(locate(annotations, string(img, "file_name", where + " image " + id)));
            sizes.add(new int[] {(int) integer(img, "width", where + " image " + id), (int) integer(img, "height", where + " image " + id)});
        }
        if (files.isEmpty()) throw new IllegalArgumentException(where + ": no images");
        if (imageSize == 0) {
            for (int i = 1; i < sizes.size(); i++) {
                if (sizes.get(i)[0] != sizes.get(0)[0] || sizes.get(i)[1] != sizes.get(0)[1]) {
                    throw new IllegalArgumentException(where + ": images have different sizes (" + files.get(0).getFileName() + " " + sizes.get(0)[0] + "x" + sizes.get(0)[1]
                            + ", " + files.get(i).getFileName() + " " + sizes.get(i)[0] + "x" + sizes.get(i)[1] + "): set an image size (--image-size) to resize them to one");
                }
            }
        }
        // annotations
        List<List<float[]>> perImage = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) perImage.add(new ArrayList<>());
        for (Object o : list(top, "annotations", where)) {
            Map<String, Object> a = object(o, where + " annotations");
            long imageId = integer(a, "image_id", where + " annotation"), category = integer(a, "category_id", where + " annotation");
            Integer index = indexOf.get(imageId);
            if (index == null) throw new IllegalArgumentException(where + ": an annotation names image id " + imageId + ", which is not among the images");
            Integer cls = classOf.get(category);
            if (cls == null) throw new IllegalArgumentException(where + ": an annotation names category id " + category + ", which is not among the categories " + categories.keySet());
            if (a.get("iscrowd") instanceof Number n && n.longValue() != 0) continue;
            if (!(a.get("bbox") instanceof List<?> b) || b.size() != 4 || !b.stream().allMatch(v -> v instanceof Number n && Double.isFinite(n.doubleValue()))) {
                throw new IllegalArgumentException(where + ": an annotation of image " + imageId + " has bbox " + a.get("bbox") + " (expected [x, y, width, height])");
            }
            float x = ((Number) b.get(0)).floatValue(), y = ((Number) b.get(1)).floatValue(), w = ((Number) b.get(2)).floatValue(), h = ((Number) b.get(3)).floatValue();
            int[] size = sizes.get(index);
            float x1 = Math.max(0, x), y1 = Math.max(0, y), x2 = Math.min(size[0], x + w), y2 = Math.min(size[1], y + h);
            if (x2 > x1 && y2 > y1) perImage.get(index).add(new float[] {x1, y1, x2, y2, cls});
        }
        Boxes[] boxes = new Boxes[files.size()];
        for (int i = 0; i < boxes.length; i++) {
            List<float[]> rows = perImage.get(i);
            float[] xyxy = new float[4 * rows.size()];
            int[] labels = new int[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                System.arraycopy(rows.get(k), 0, xyxy, 4 * k, 4);
                labels[k] = (int) rows.get(k)[4];
            }
            boxes[i] = new Boxes(xyxy, labels);
        }
        return new DetectionImages(files.toArray(new Path[0]), boxes, List.copyOf(categories.values()), channels, imageSize);
    }

    /** The image file named {@code name}: beside the JSON, in images/ beside it, or in COCO's ../SPLIT/ (instances_SPLIT.json). */
    private static Path locate(Path annotations, String name) throws IOException {
        Path dir = annotations.toAbsolutePath().getParent();
        List<Path> tried = new ArrayList<>(List.of(dir.resolve(name), dir.resolve("images").resolve(name)));
        String stem = annotations.getFileName().toString().replaceFirst("\\.json$", "");
        if (stem.contains("_") && dir.getParent() != null) tried.add(dir.getParent().resolve(stem.substring(stem.lastIndexOf('_') + 1)).resolve(name));
        for (Path p : tried) if (Files.isRegularFile(p)) return p;
        throw new java.nio.file.NoSuchFileException(name, null, "image of " + annotations + " not found; looked for " + tried);
    }

    private static Map<String, Object> object(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + ": expected a JSON object, got " + describe(o));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) m;
        return out;
    }

    private static List<?> list(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof List<?> l)) throw new IllegalArgumentException(where + ": \"" + key + "\" must be a list, got " + describe(o.get(key)));
        return l;
    }

    private static long integer(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof Long v)) throw new IllegalArgumentException(where + ": \"" + key + "\" must be an integer, got " + describe(o.get(key)));
        return v;
    }

    private static String string(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof String v)) throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string, got " + describe(o.get(key)));
        return v;
    }

    private static String describe(Object o) {
        return o == null ? "nothing" : o instanceof String s ? "\"" + s + "\"" : String.valueOf(o);
    }
}
