package io.descent.transfer;

import io.descent.data.ArrayDataset;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.models.ResNet;
import io.descent.models.SmallCnn;
import io.descent.tensor.Rng;
import java.util.List;

/** Small models and image data for the transfer tests. */
final class TransferFixtures {
    private TransferFixtures() {}

    /** n 1×8×8 images in 3 classes (class c brightens row band c). */
    static ArrayDataset images(int n, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 64; j++) x[i * 64 + j] = (float) (r.nextGaussian() * 0.3 + ((j / 8) / 3 == y[i] ? 1.0 : 0));
        }
        return new ArrayDataset(x, new int[] {1, 8, 8}, y, List.of("a", "b", "c"));
    }

    static DataLoader loader(ArrayDataset d, int batch, boolean shuffle) {
        return new DataLoader(d, LoaderOptions.DEFAULT.withBatchSize(batch).withShuffle(shuffle).withSeed(1));
    }

    static SmallCnn cnn(long seed) {
        return new SmallCnn(1, 3, 8, new Rng(seed));
    }

    static ResNet resnet(long seed) {
        return ResNet.resnet18(3, 1, ResNet.Stem.SMALL, new Rng(seed));
    }
}
