package io.descent.data;

import io.descent.data.transforms.Resize;
import io.descent.tensor.Rng;
import java.nio.file.Path;
import java.util.List;

/**
 * Image files with their boxes, as a detection data set's reader ({@link CocoDetection},
 * {@link VocDetection}) found them: example i is file i decoded as {@code channels} (1 or 3)
 * with boxes i, resized to {@code imageSize} × {@code imageSize} with its boxes when
 * {@code imageSize} > 0. Labels are {@link Example#UNLABELED}; the classes are in the boxes.
 */
public final class DetectionImages implements Dataset {
    private final Path[] files;
    private final Boxes[] boxes;
    private final List<String> classes;
    private final int channels;
    private final int imageSize;

    DetectionImages(Path[] files, Boxes[] boxes, List<String> classes, int channels, int imageSize) {
        if (files.length != boxes.length) throw new IllegalArgumentException("DetectionImages: " + files.length + " files, " + boxes.length + " box lists");
        this.files = files.clone();
        this.boxes = boxes.clone();
        this.classes = List.copyOf(classes);
        this.channels = channels;
        this.imageSize = imageSize;
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public int label(int index) {
        Dataset.checkIndex(this, index);
        return Example.UNLABELED;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** Image {@code index}'s boxes in the file's own pixels, without decoding it. */
    public Boxes boxes(int index) {
        return boxes[Dataset.checkIndex(this, index)];
    }

    /** Image {@code index}'s file. */
    public Path file(int index) {
        return files[Dataset.checkIndex(this, index)];
    }

    @Override
    public Example get(int index) {
        Example e = ImageDecoder.decode(files[Dataset.checkIndex(this, index)], channels, Example.UNLABELED).withBoxes(boxes[index]);
        return imageSize > 0 ? new Resize(imageSize, imageSize).apply(e, new Rng(0)) : e;
    }
}
