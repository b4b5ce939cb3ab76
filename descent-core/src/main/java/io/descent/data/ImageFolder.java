package io.descent.data;

import io.descent.data.transforms.CenterCrop;
import io.descent.data.transforms.Compose;
import io.descent.data.transforms.Resize;
import io.descent.tensor.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images in class folders, {@code root/<class>/**.png|jpg|jpeg|bmp|gif} (torchvision's
 * {@code ImageFolder}): classes are the sub-folder names sorted, label k naming the k-th; files
 * are found recursively and sorted by path. Images are decoded with ImageIO on {@link #get}
 * (so on the loader's workers), as RGB or grey, and with a {@code size} resized so the shorter
 * side is {@code size} (bilinear, antialiased) then centre-cropped to {@code size × size} — the
 * usual {@code Resize(S), CenterCrop(S)} preprocessing. With size 0 every image must have the
 * size of the first.
 *
 * <p>At construction every file's header is read (not its pixels): a file no ImageIO reader
 * accepts is skipped and listed in {@link #skipped()} or fails the construction, naming the
 * path, as {@link Options#onUnreadable()} says. A file whose header is fine but whose pixels
 * are corrupt fails when it is loaded, naming the path and the index.
 */
public final class ImageFolder implements Dataset {
    /** What to do with a file that has an image extension but no readable image header. */
    public enum OnUnreadable { SKIP, FAIL }

    /** A file left out, and why. */
    public record Unreadable(Path path, String reason) {}

    /**
     * {@code size}: output side in pixels, 0 for the images' own size; {@code channels}: 3 (RGB)
     * or 1 (grey); {@code onUnreadable}: skip or fail on files that cannot be read.
     */
    public record Options(int size, int channels, OnUnreadable onUnreadable) {
        /** Own size, RGB, fail on unreadable files. */
        public static final Options DEFAULT = new Options(0, 3, OnUnreadable.FAIL);

        public Options {
            if (size < 0) throw new IllegalArgumentException("ImageFolder: size must be >= 0 (0 keeps the images' size), got " + size);
            if (channels != 1 && channels != 3) throw new IllegalArgumentException("ImageFolder: channels must be 1 or 3, got " + channels);
            Objects.requireNonNull(onUnreadable, "onUnreadable");
        }

        public Options withSize(int v) {
            return new Options(v, channels, onUnreadable);
        }

        public Options withChannels(int v) {
            return new Options(size, v, onUnreadable);
        }

        public Options withOnUnreadable(OnUnreadable v) {
            return new Options(size, channels, v);
        }
    }

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final Options options;
    private final List<String> classes;
    private final Path[] files;
    private final int[] labels;
    private final List<Unreadable> skipped;
    private final int[] exampleShape;
    private final Transform preprocess;

    public ImageFolder(Path root, Options options) {
        this.root = Objects.requireNonNull(root, "root");
        this.options = Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("ImageFolder: " + root + " is not a folder");
        this.classes = classFolders(root);
        if (classes.isEmpty()) throw new IllegalArgumentException("ImageFolder: " + root + " has no class folders (expected root/<class>/<image>)");
        List<Path> kept = new ArrayList<>();
        List<Integer> keptLabels = new ArrayList<>();
        List<Unreadable> bad = new ArrayList<>();
        int[] firstSize = null;
        Path firstFile = null;
        for (int c = 0; c < classes.size(); c++) {
            List<Path> found = imageFiles(root.resolve(classes.get(c)));
            if (found.isEmpty()) throw new IllegalArgumentException("ImageFolder: class folder " + root.resolve(classes.get(c)) + " has no .png, .jpg, .jpeg, .bmp or .gif files");
            for (Path f : found) {
                int[] hw;
                try {
                    hw = ImageDecoder.probe(f);
                } catch (IOException e) {
                    bad.add(new Unreadable(f, e.getMessage()));
                    continue;
                }
                if (options.size() == 0) {
                    if (firstSize == null) {
                        firstSize = hw;
                        firstFile = f;
                    } else if (!Arrays.equals(hw, firstSize)) {
                        throw new IllegalArgumentException("ImageFolder: " + f + " is " + hw[1] + "x" + hw[0] + " but " + firstFile + " is "
                                + firstSize[1] + "x" + firstSize[0] + "; set an image size (--image-size) to resize them to one size");
                    }
                }
                kept.add(f);
                keptLabels.add(c);
            }
        }
        if (!bad.isEmpty() && options.onUnreadable() == OnUnreadable.FAIL) {
            StringBuilder sb = new StringBuilder("ImageFolder: " + bad.size() + " unreadable image file(s) in " + root + ":");
            for (Unreadable u : bad.subList(0, Math.min(5, bad.size()))) sb.append("\n  ").append(u.path()).append(": ").append(u.reason());
            if (bad.size() > 5) sb.append("\n  ...");
            throw new IllegalArgumentException(sb.append("\n(skip them with OnUnreadable.SKIP)").toString());
        }
        if (kept.isEmpty()) throw new IllegalArgumentException("ImageFolder: no readable image in " + root);
        this.files = kept.toArray(new Path[0]);
        this.labels = keptLabels.stream().mapToInt(Integer::intValue).toArray();
        this.skipped = List.copyOf(bad);
        int s = options.size();
        this.exampleShape = s > 0 ? new int[] {options.channels(), s, s} : new int[] {options.channels(), firstSize[0], firstSize[1]};
        this.preprocess = s > 0 ? new Compose(new Resize(s), new CenterCrop(s)) : null;
    }

    /**
     * The CLI's folder layout: {@code root/train/<class>} and {@code root/val/<class>} when
     * {@code root/train} has class folders (a missing {@code val} is split off train), else
     * {@code root/<class>} split at random into train and val with {@code valFraction} and
     * {@code seed}. Train and val must have the same classes.
     */
    public static TrainVal trainVal(Path root, Options options, double valFraction, long seed) {
        if (!(valFraction > 0 && valFraction < 1)) throw new IllegalArgumentException("ImageFolder: valFraction must be in (0, 1), got " + valFraction);
        Path trainDir = root.resolve("train"), valDir = root.resolve("val");
        boolean layout = Files.isDirectory(trainDir) && !classFolders(trainDir).isEmpty();
        ImageFolder train = new ImageFolder(layout ? trainDir : root, options);
        if (layout && Files.isDirectory(valDir)) {
            ImageFolder val = new ImageFolder(valDir, options);
            if (!val.classes().equals(train.classes())) {
                throw new IllegalArgumentException("ImageFolder: " + valDir + " has classes " + val.classes() + " but " + trainDir + " has " + train.classes());
            }
            if (!Arrays.equals(val.exampleShape(), train.exampleShape())) {
                throw new IllegalArgumentException("ImageFolder: images in " + valDir + " have shape " + Arrays.toString(val.exampleShape())
                        + " but those in " + trainDir + " " + Arrays.toString(train.exampleShape()) + "; set an image size");
            }
            return new TrainVal(train, val);
        }
        List<Subset> parts = Splits.random(train, new double[] {1 - valFraction, valFraction}, seed);
        return new TrainVal(parts.get(0), parts.get(1));
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public Example get(int index) {
        Path f = files[Dataset.checkIndex(this, index)];
        Example e = ImageDecoder.decode(f, options.channels(), labels[index]);
        if (preprocess != null) return preprocess.apply(e, new Rng(0)); // resize and centre crop draw nothing
        if (!Arrays.equals(e.shape(), exampleShape)) {
            throw new IllegalStateException("image " + f + " has shape " + Arrays.toString(e.shape()) + ", not the "
                    + Arrays.toString(exampleShape) + " its header had when the folder was scanned");
        }
        return e;
    }

    @Override
    public int label(int index) {
        return labels[Dataset.checkIndex(this, index)];
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** [C, H, W] of every example. */
    public int[] exampleShape() {
        return exampleShape.clone();
    }

    /** The image files, index i holding example i. */
    public List<Path> files() {
        return List.of(files);
    }

    /** Files left out because no ImageIO reader could read their header (with {@link OnUnreadable#SKIP}). */
    public List<Unreadable> skipped() {
        return skipped;
    }

    public Path root() {
        return root;
    }

    private static List<String> classFolders(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: cannot list " + root, e);
        }
    }

    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile).filter(ImageFolder::hasImageExtension).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageFolder: cannot list " + dir, e);
        }
    }

    private static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
