package io.descent.transfer;

import io.descent.autograd.GradMode;
import io.descent.data.ArrayDataset;
import io.descent.data.Batch;
import io.descent.data.DataLoader;
import io.descent.io.Safetensors;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Features of a frozen backbone, computed once. In feature extraction the backbone never
 * changes, so recomputing it every epoch is wasted work: one eval-mode, no-grad pass stores
 * {@code [N, F]} features and the labels, and the head then trains on them for as many epochs
 * as it likes at the cost of the head alone. (Per-epoch data augmentation is what this gives
 * up: the cache holds one view of every image.)
 *
 * @param values   N×F features, row-major
 * @param count    N
 * @param dim      F
 * @param labels   the N labels
 * @param classes  the class names of the source data set
 * @param seconds  wall time of the extraction pass
 */
public record FeatureCache(float[] values, int count, int dim, int[] labels, List<String> classes, double seconds) {
    public FeatureCache {
        if ((long) count * dim != values.length) throw new IllegalArgumentException("FeatureCache: " + values.length + " values for " + count + "x" + dim);
        if (labels.length != count) throw new IllegalArgumentException("FeatureCache: " + labels.length + " labels for " + count + " examples");
        classes = List.copyOf(classes);
    }

    /** Runs {@code backbone} over one pass of {@code loader} with {@code model} in eval mode and without a tape. */
    public static FeatureCache extract(Module model, UnaryOperator<Tensor> backbone, DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        long start = System.nanoTime();
        float[] buf = new float[0];
        int[] labels = new int[loader.dataset().size()];
        int n = 0, dim = -1;
        try (var ng = GradMode.noGrad()) {
            for (Batch b : loader.epoch(0)) {
                Tensor f = backbone.apply(b.inputs());
                if (f.dim() != 2) f = f.flatten(1, f.dim() - 1);
                if (dim < 0) {
                    dim = f.size(1);
                    buf = new float[loader.dataset().size() * dim];
                }
                int rows = f.size(0);
                if (n + rows > labels.length) {
                    labels = Arrays.copyOf(labels, n + rows);
                    buf = Arrays.copyOf(buf, (n + rows) * dim);
                }
                System.arraycopy(f.toArray(), 0, buf, n * dim, rows * dim);
                System.arraycopy(b.labels(), 0, labels, n, rows);
                n += rows;
            }
        } finally {
            model.train(wasTraining);
        }
        if (dim < 0) throw new IllegalArgumentException("FeatureCache: the loader yielded no batch");
        double secs = (System.nanoTime() - start) / 1e9;
        return new FeatureCache(Arrays.copyOf(buf, n * dim), n, dim, Arrays.copyOf(labels, n), loader.dataset().classes(), secs);
    }

    /** The cache as a data set of {@code [F]} examples, for a {@link DataLoader} over the head. */
    public ArrayDataset dataset() {
        return new ArrayDataset(values, new int[] {dim}, labels, classes);
    }

    /** Writes {@code features} [N, F] and {@code labels} [N] (as float32) to a safetensors file. */
    public void save(Path path) throws IOException {
        float[] l = new float[count];
        for (int i = 0; i < count; i++) l[i] = labels[i];
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("features", Tensor.of(values, count, dim));
        m.put("labels", Tensor.of(l, count));
        Safetensors.write(path, m, Map.of("classes", String.join("\n", classes)));
    }

    /** Reads a cache written by {@link #save}. */
    public static FeatureCache load(Path path) throws IOException {
        Map<String, Tensor> m = Safetensors.read(path);
        Tensor f = m.get("features"), l = m.get("labels");
        if (f == null || l == null || f.dim() != 2 || l.dim() != 1 || l.size(0) != f.size(0)) {
            throw new IOException(path + ": not a feature cache (expected features [N, F] and labels [N])");
        }
        int[] labels = new int[l.size(0)];
        for (int i = 0; i < labels.length; i++) labels[i] = Math.round(l.data()[i]);
        String cls = Safetensors.readHeader(path).metadata().getOrDefault("classes", "");
        return new FeatureCache(f.toArray(), f.size(0), f.size(1), labels, cls.isEmpty() ? List.of() : List.of(cls.split("\n")), 0);
    }
}
