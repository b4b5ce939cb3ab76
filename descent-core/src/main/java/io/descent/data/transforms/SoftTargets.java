package io.descent.data.transforms;

import io.descent.data.Batch;
import io.descent.data.Example;

/** The class-probability rows a batch transform mixes: the batch's soft targets, or one-hot labels. */
final class SoftTargets {
    private SoftTargets() {}

    /** A fresh [N, numClasses] array; {@code op} names the caller in errors. */
    static float[] of(Batch b, int numClasses, String op) {
        int n = b.size();
        if (b.targets() != null) throw new IllegalArgumentException(op + ": batches with reconstruction targets cannot be mixed");
        if (b.softTargets() != null) {
            if (b.softTargets().size(1) != numClasses) {
                throw new IllegalArgumentException(op + ": the batch has soft targets over " + b.softTargets().size(1) + " classes, not " + numClasses);
            }
            return b.softTargets().data().clone();
        }
        float[] p = new float[n * numClasses];
        int[] labels = b.labels();
        for (int i = 0; i < n; i++) {
            int l = labels[i];
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException(op + ": label " + (l == Example.UNLABELED ? "missing" : Integer.toString(l)) + " of data set index "
                        + b.indices()[i] + " is out of range for numClasses " + numClasses);
            }
            p[i * numClasses + l] = 1f;
        }
        return p;
    }

    /** {@code λ · p[i] + (1 − λ) · p[i − 1]} per row, the rows paired as torchvision's {@code roll(1, 0)}. */
    static float[] mixWithPrevious(float[] p, int n, int k, float lambda) {
        float[] out = new float[p.length];
        for (int i = 0; i < n; i++) {
            int prev = (i + n - 1) % n;
            for (int j = 0; j < k; j++) out[i * k + j] = lambda * p[i * k + j] + (1f - lambda) * p[prev * k + j];
        }
        return out;
    }
}
