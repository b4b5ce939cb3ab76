package io.descent.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 28×28 grey images of 10 kinds of clothing,
 * 60 000 for training and 10 000 for test, in the IDX files {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}
 * (each raw or {@code .gz}). Examples are [1, 28, 28] in [0, 1], as torchvision's
 * {@code FashionMNIST} with {@code ToTensor}.
 *
 * <p>Without an explicit folder the files are looked for in {@code $DESCENT_DATA/fashion-mnist},
 * {@code $DESCENT_DATA}, {@code ~/.descent/data/fashion-mnist} and
 * {@code /usr/share/datasets/fashion-mnist} (Debian's {@code dataset-fashion-mnist}), first
 * complete folder wins. A folder given explicitly is the only place looked: a user who names
 * a folder means that one.
 */
public final class FashionMnist {
    /** The class names, in label order, as torchvision names them. */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private FashionMnist() {}

    /** The training set (60 000 images) from the first folder of the search path that has it. */
    public static Dataset train() {
        return train(null);
    }

    /** The test set (10 000 images) from the first folder of the search path that has it. */
    public static Dataset test() {
        return test(null);
    }

    /** The training set from {@code dir}, or from the search path when {@code dir} is null. */
    public static Dataset train(Path dir) {
        Path d = locate(dir);
        return read(d, "train");
    }

    /** The test set from {@code dir}, or from the search path when {@code dir} is null. */
    public static Dataset test(Path dir) {
        Path d = locate(dir);
        return read(d, "t10k");
    }

    /** Training set as {@code train}, test set as {@code val}. */
    public static TrainVal load(Path dir) {
        Path d = locate(dir);
        return new TrainVal(read(d, "train"), read(d, "t10k"));
    }

    /** The folders looked in, in order, when no folder is given. */
    public static List<Path> searchPath() {
        List<Path> out = new ArrayList<>();
        String env = System.getenv("DESCENT_DATA");
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env, "fashion-mnist"));
            out.add(Path.of(env));
        }
        out.add(Path.of(System.getProperty("user.home"), ".descent", "data", "fashion-mnist"));
        out.add(Path.of("/usr/share/datasets/fashion-mnist"));
        return out;
    }

    /** {@code dir} if it holds the four files, else the first complete folder of the search path. */
    static Path locate(Path dir) {
        List<Path> candidates = dir != null ? List.of(dir) : searchPath();
        StringBuilder looked = new StringBuilder();
        for (Path c : candidates) {
            String missing = missing(c);
            if (missing == null) return c;
            looked.append("\n  ").append(c).append(": ").append(missing);
        }
        throw new DataNotFoundException("Fashion-MNIST not found. Looked in:" + looked
                + "\nGet it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or download "
                + String.join(".gz, ", FILES) + ".gz from https://github.com/zalandoresearch/fashion-mnist"
                + " into ~/.descent/data/fashion-mnist (or a folder named by DESCENT_DATA).");
    }

    private static String missing(Path dir) {
        if (!Files.isDirectory(dir)) return "no such folder";
        List<String> absent = new ArrayList<>();
        for (String f : FILES) if (file(dir, f) == null) absent.add(f + "[.gz]");
        return absent.isEmpty() ? null : "missing " + String.join(", ", absent);
    }

    private static Path file(Path dir, String name) {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static Dataset read(Path dir, String prefix) {
        Path imagesFile = file(dir, prefix + "-images-idx3-ubyte"), labelsFile = file(dir, prefix + "-labels-idx1-ubyte");
        Idx.Array images = Idx.read(imagesFile), labels = Idx.read(labelsFile);
        int[] id = images.dims(), ld = labels.dims();
        if (id.length != 3) throw new IllegalArgumentException("Fashion-MNIST " + imagesFile + ": images must have 3 dimensions [N, H, W], got " + id.length);
        if (ld.length != 1) throw new IllegalArgumentException("Fashion-MNIST " + labelsFile + ": labels must have 1 dimension [N], got " + ld.length);
        if (id[0] != ld[0]) throw new IllegalArgumentException("Fashion-MNIST " + dir + ": " + id[0] + " images but " + ld[0] + " labels");
        byte[] lb = labels.data();
        int[] y = new int[lb.length];
        for (int i = 0; i < y.length; i++) y[i] = lb[i] & 0xFF;
        return new UByteImages(images.data(), new int[] {1, id[1], id[2]}, y, CLASSES);
    }
}
