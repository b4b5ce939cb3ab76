package io.descent.data;

import io.descent.data.transforms.Compose;
import io.descent.data.transforms.Grayscale;
import io.descent.data.transforms.Resize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The data flags of {@code descent train | finetune | evaluate} and the data sets they select:
 * <ul>
 *   <li>{@code --data}: {@code shapes} (built in, {@value #SHAPES_TRAIN} training and
 *       {@value #SHAPES_VAL} validation images of fixed content), {@code shapes-detection} (built
 *       in, {@value #DETECTION_TRAIN} training and {@value #DETECTION_VAL} validation images of
 *       1–4 shapes with their boxes, 64 px RGB by default: {@link ShapesDetection}),
 *       {@code coco:FILE.json} (a detection data set in COCO's format, split at random like a
 *       folder: {@link CocoDetection}; {@code coco:TRAIN.json,VAL.json} gives the validation set
 *       its own file, as COCO's train2017 and val2017), {@code voc:ROOT} (Pascal VOC's layout:
 *       {@link VocDetection}; the splits ImageSets/Main/train.txt and val.txt when both are there,
 *       else trainval.txt or every annotation split at random), {@code fashion-mnist} (its
 *       test set validates; see {@link FashionMnist} for where it is looked for), or
 *       {@code folder:PATH} (see {@link ImageFolder#trainVal});
 *   <li>{@code --classes 5,6,7}: keep those classes, renumbered 0, 1, 2 in that order;
 *   <li>{@code --shots K}: keep K training examples per class (stratified, seeded; validation
 *       is left whole);
 *   <li>{@code --image-size S}: S×S images (0: the data set's own size);
 *   <li>{@code --in-channels C}: 1 (grey) or 3 (RGB; grey data is repeated), 0: the data set's own.
 * </ul>
 * {@code seed} (the run's {@code --seed}) draws the few-shot examples and a folder's random
 * validation split of {@code valFraction}; {@code onUnreadable} handles broken files of a folder.
 */
public record DataSpec(String data, int[] classes, int shots, int imageSize, int inChannels, long seed, double valFraction,
                       ImageFolder.OnUnreadable onUnreadable) {
    public static final int SHAPES_TRAIN = 20_000;
    public static final int SHAPES_VAL = 4_000;
    private static final long SHAPES_TRAIN_SEED = 0x5348415045L;
    private static final long SHAPES_VAL_SEED = 0x56414C4944L;
    public static final int DETECTION_TRAIN = 8_000;
    public static final int DETECTION_VAL = 1_000;
    private static final int DETECTION_OBJECTS = 4;

    public DataSpec {
        Objects.requireNonNull(data, "data");
        if (!data.equals("shapes") && !data.equals("shapes-detection") && !data.equals("fashion-mnist") && !(data.startsWith("folder:") && data.length() > "folder:".length())
                && !(data.startsWith("coco:") && data.length() > "coco:".length()) && !(data.startsWith("voc:") && data.length() > "voc:".length())) {
            throw new IllegalArgumentException("--data must be shapes, shapes-detection, fashion-mnist, folder:PATH, coco:FILE.json or voc:DIR, got '" + data + "'");
        }
        if (detection(data) && (classes != null || shots > 0)) {
            throw new IllegalArgumentException("--classes and --shots select images by their class: " + data + "'s images hold several classes");
        }
        if (classes != null) {
            classes = classes.clone();
            if (classes.length == 0) throw new IllegalArgumentException("--classes must list at least one class");
            int[] sorted = classes.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                if (sorted[i] < 0) throw new IllegalArgumentException("--classes must be >= 0, got " + sorted[i]);
                if (i > 0 && sorted[i] == sorted[i - 1]) throw new IllegalArgumentException("--classes lists " + sorted[i] + " twice");
            }
        }
        if (shots < 0) throw new IllegalArgumentException("--shots must be >= 0 (0 keeps every example), got " + shots);
        if (imageSize < 0) throw new IllegalArgumentException("--image-size must be >= 0 (0 keeps the data set's size), got " + imageSize);
        if (imageSize > 0 && imageSize < 8) throw new IllegalArgumentException("--image-size must be at least 8 pixels, got " + imageSize);
        if (inChannels != 0 && inChannels != 1 && inChannels != 3) throw new IllegalArgumentException("--in-channels must be 1 or 3, got " + inChannels);
        if (!(valFraction > 0 && valFraction < 1)) throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + valFraction);
        Objects.requireNonNull(onUnreadable, "onUnreadable");
    }

    /** Whether {@code data} names a detection data set (examples with boxes, no labels). */
    public static boolean detection(String data) {
        return data.equals("shapes-detection") || data.startsWith("coco:") || data.startsWith("voc:");
    }

    /** {@code data} with every other flag at its default: all classes and examples, own size and channels, seed 0, 10% validation, fail on broken files. */
    public static DataSpec of(String data) {
        return new DataSpec(data, null, 0, 0, 0, 0L, 0.1, ImageFolder.OnUnreadable.FAIL);
    }

    @Override
    public int[] classes() {
        return classes == null ? null : classes.clone();
    }

    public DataSpec withClasses(int... v) {
        return new DataSpec(data, v, shots, imageSize, inChannels, seed, valFraction, onUnreadable);
    }

    public DataSpec withShots(int v) {
        return new DataSpec(data, classes, v, imageSize, inChannels, seed, valFraction, onUnreadable);
    }

    public DataSpec withImageSize(int v) {
        return new DataSpec(data, classes, shots, v, inChannels, seed, valFraction, onUnreadable);
    }

    public DataSpec withInChannels(int v) {
        return new DataSpec(data, classes, shots, imageSize, v, seed, valFraction, onUnreadable);
    }

    public DataSpec withSeed(long v) {
        return new DataSpec(data, classes, shots, imageSize, inChannels, v, valFraction, onUnreadable);
    }

    public DataSpec withValFraction(double v) {
        return new DataSpec(data, classes, shots, imageSize, inChannels, seed, v, onUnreadable);
    }

    public DataSpec withOnUnreadable(ImageFolder.OnUnreadable v) {
        return new DataSpec(data, classes, shots, imageSize, inChannels, seed, valFraction, v);
    }

    /** Opens the data set, then keeps the classes, then takes the shots. */
    public TrainVal open() {
        TrainVal base = openBase();
        Dataset train = base.train(), val = base.val();
        if (classes != null) {
            train = new ClassSubset(train, classes);
            val = new ClassSubset(val, classes);
        }
        if (shots > 0) train = Splits.fewShot(train, shots, seed);
        return new TrainVal(train, val);
    }

    private TrainVal openBase() {
        if (data.equals("shapes")) {
            int s = imageSize > 0 ? imageSize : 28, c = inChannels > 0 ? inChannels : 1;
            return new TrainVal(new Shapes(SHAPES_TRAIN, SHAPES_TRAIN_SEED, s, c), new Shapes(SHAPES_VAL, SHAPES_VAL_SEED, s, c));
        }
        if (data.equals("shapes-detection")) {
            int s = imageSize > 0 ? imageSize : 64, c = inChannels > 0 ? inChannels : 3;
            return new TrainVal(new ShapesDetection(DETECTION_TRAIN, SHAPES_TRAIN_SEED, s, c, DETECTION_OBJECTS),
                    new ShapesDetection(DETECTION_VAL, SHAPES_VAL_SEED, s, c, DETECTION_OBJECTS));
        }
        if (data.equals("fashion-mnist")) {
            TrainVal fm = FashionMnist.load(null);
            List<Transform> prep = new ArrayList<>();
            if (imageSize > 0 && imageSize != 28) prep.add(new Resize(imageSize, imageSize));
            if (inChannels == 3) prep.add(new Grayscale(3));
            if (prep.isEmpty()) return fm;
            Compose t = new Compose(prep);
            return new TrainVal(new TransformedDataset(fm.train(), t, 0), new TransformedDataset(fm.val(), t, 0));
        }
        if (data.startsWith("coco:")) {
            try {
                String[] files = data.substring("coco:".length()).split(",", -1);
                if (files.length > 2 || Arrays.stream(files).anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException("--data coco: takes FILE.json or TRAIN.json,VAL.json, got '" + data + "'");
                }
                int c = inChannels > 0 ? inChannels : 3;
                DetectionImages train = CocoDetection.read(Path.of(files[0]), imageSize, c);
                if (files.length == 2) {
                    DetectionImages val = CocoDetection.read(Path.of(files[1]), imageSize, c);
                    if (!val.classes().equals(train.classes())) {
                        throw new IllegalArgumentException("--data: " + files[1] + " has categories " + val.classes() + " but " + files[0] + " has " + train.classes());
                    }
                    return new TrainVal(train, val);
                }
                List<Subset> parts = Splits.random(train, new double[] {1 - valFraction, valFraction}, seed);
                return new TrainVal(parts.get(0), parts.get(1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (data.startsWith("voc:")) {
            try {
                Path root = Path.of(data.substring("voc:".length())), sets = root.resolve("ImageSets").resolve("Main");
                int c = inChannels > 0 ? inChannels : 3;
                if (Files.isRegularFile(sets.resolve("train.txt")) && Files.isRegularFile(sets.resolve("val.txt"))) {
                    return new TrainVal(VocDetection.read(root, "train", imageSize, c), VocDetection.read(root, "val", imageSize, c));
                }
                DetectionImages all = VocDetection.read(root, Files.isRegularFile(sets.resolve("trainval.txt")) ? "trainval" : null, imageSize, c);
                List<Subset> parts = Splits.random(all, new double[] {1 - valFraction, valFraction}, seed);
                return new TrainVal(parts.get(0), parts.get(1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Path root = Path.of(data.substring("folder:".length()));
        ImageFolder.Options options = new ImageFolder.Options(imageSize, inChannels > 0 ? inChannels : 3, onUnreadable);
        return ImageFolder.trainVal(root, options, valFraction, seed);
    }
}
