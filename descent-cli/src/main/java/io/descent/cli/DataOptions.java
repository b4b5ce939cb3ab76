package io.descent.cli;

import io.descent.data.DataSpec;
import io.descent.data.ImageFolder;
import io.descent.data.TrainVal;
import io.descent.data.TransformedDataset;
import io.descent.data.transforms.Normalize;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The data flags train, evaluate and lr-find share (see {@link DataSpec} for their meaning). */
public final class DataOptions {
    @Option(names = "--data", defaultValue = "shapes", paramLabel = "shapes|shapes-detection|fashion-mnist|folder:PATH|coco:FILE.json|voc:DIR", description = "Data set (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--classes", split = ",", paramLabel = "K,...", description = "Keep these classes, renumbered from 0 in the order given.")
    int[] classes;

    @Option(names = "--shots", defaultValue = "0", paramLabel = "K", description = "Keep K training examples per class (0: all).")
    int shots;

    @Mixin
    NormalizeOptions normalization = new NormalizeOptions();

    @Option(names = "--workers", defaultValue = "1", description = "Data loader threads (default ${DEFAULT-VALUE}; 0: batches are built on the training thread).")
    int workers;

    /** Opens the train/validation pair; image size and channels come from the model flags (0: the data's own). */
    TrainVal open(ModelOptions model, long seed) {
        return open(model, seed, false);
    }

    /**
     * As {@link #open(ModelOptions, long)}; for {@code detect}ion the built-in default
     * {@code shapes} means its detection twin, {@code shapes-detection}.
     */
    TrainVal open(ModelOptions model, long seed, boolean detect) {
        if (detect && data.equals("shapes")) data = "shapes-detection";
        if (detect && !DataSpec.detection(data)) throw new IllegalArgumentException("--data " + data + " has no boxes: --task detect needs shapes-detection, coco:FILE.json or voc:DIR");
        if (!detect && DataSpec.detection(data)) throw new IllegalArgumentException("--data " + data + " holds boxes, not class labels: add --task detect");
        int size = model.imageSize == null ? 0 : model.imageSize, channels = model.inChannels == null ? 0 : model.inChannels;
        TrainVal tv = new DataSpec(data, classes, shots, size, channels, seed, 0.1, ImageFolder.OnUnreadable.FAIL).open();
        Normalize n = normalization.transform();
        if (n == null) return tv;
        int c = tv.train().get(0).shape()[0];
        if (c != 3) throw new IllegalArgumentException("--normalize imagenet is per RGB channel, and --data " + data + " gives " + c + "-channel images: add --in-channels 3");
        return new TrainVal(new TransformedDataset(tv.train(), n, seed), new TransformedDataset(tv.val(), n, seed));
    }

    /** The number of classes after --classes. */
    int numClasses(TrainVal tv) {
        return classes != null ? classes.length : Math.max(tv.train().classes().size(), 1);
    }
}
