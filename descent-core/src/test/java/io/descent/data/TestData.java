package io.descent.data;

import java.util.ArrayList;
import java.util.List;

/** Small in-memory data sets for the data tests. */
final class TestData {
    private TestData() {}

    /** {@code n} images [c, h, w] whose every value is {@code index + position / 1000}, label {@code index % classes}. */
    static ArrayDataset images(int n, int c, int h, int w, int classes) {
        int per = c * h * w;
        float[] v = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < per; j++) v[i * per + j] = i + j / 1000f;
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add("class" + k);
        return new ArrayDataset(v, new int[] {c, h, w}, labels, names);
    }

    /** The data set index encoded in an example of {@link #images}. */
    static int indexOf(float[] x, int offset) {
        return (int) Math.floor(x[offset]);
    }
}
