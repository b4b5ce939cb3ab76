package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UByteImagesTest {
    private static UByteImages images(int count, long seed) {
        byte[] pixels = new byte[count * 2 * 3 * 4];
        new Random(seed).nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % 3;
        return new UByteImages(pixels, new int[] {2, 3, 4}, labels, List.of("a", "b", "c"));
    }

    /** The same data set without its own batch path: the loader builds it example by example. */
    private static Dataset exampleByExample(Dataset d) {
        return new Dataset() {
            public int size() {
                return d.size();
            }

            public Example get(int index) {
                return d.get(index);
            }
        };
    }

    @Test
    void everyByteValueDecodesAsPyTorchsDivisionBy255() {
        byte[] pixels = new byte[256];
        for (int b = 0; b < 256; b++) pixels[b] = (byte) b;
        UByteImages images = new UByteImages(pixels, new int[] {1, 16, 16}, new int[] {0}, List.of("only"));
        float[] x = images.get(0).data(), xb = images.batch(new int[] {0}).inputs().data();
        for (int b = 0; b < 256; b++) {
            // x.float() / 255 in PyTorch; b * (1/255f) is one ulp off for 126 of these values
            assertEquals(Float.floatToIntBits(b / 255f), Float.floatToIntBits(x[b]), "byte " + b);
            assertEquals(Float.floatToIntBits(b / 255f), Float.floatToIntBits(xb[b]), "byte " + b + " decoded into a batch");
        }
    }

    @Test
    void aBatchIsTheCollatedExamplesAlsoThroughASubset() {
        UByteImages d = images(10, 1);
        int[] idx = {7, 0, 3, 3, 9};
        List<Example> ex = new ArrayList<>();
        for (int i : idx) ex.add(d.get(i));
        Batch want = Collate.collate(ex, idx), got = d.batch(idx);
        assertArrayEquals(want.inputs().shape(), got.inputs().shape());
        assertArrayEquals(want.inputs().data(), got.inputs().data());
        assertArrayEquals(want.labels(), got.labels());
        assertArrayEquals(idx, got.indices());
        assertNull(got.targets());

        Subset sub = new Subset(d, new int[] {9, 3, 0});
        Batch viaSubset = sub.batch(new int[] {2, 0});
        assertArrayEquals(Collate.collate(List.of(d.get(0), d.get(9)), new int[] {2, 0}).inputs().data(), viaSubset.inputs().data());
        assertArrayEquals(new int[] {0, 0}, viaSubset.labels());
        assertArrayEquals(new int[] {2, 0}, viaSubset.indices(), "the subset's indices, not the base's");
        assertThrows(IndexOutOfBoundsException.class, () -> d.batch(new int[] {0, 10}));
        assertNull(exampleByExample(d).batch(idx), "no batch path by default");
    }

    @Test
    void theLoaderServesTheSameBatchesEitherWay() {
        UByteImages d = images(37, 2);
        LoaderOptions opts = LoaderOptions.DEFAULT.withBatchSize(8).withShuffle(true).withSeed(5);
        try (DataLoader direct = new DataLoader(d, opts); DataLoader slow = new DataLoader(exampleByExample(d), opts)) {
            List<Batch> a = new ArrayList<>(), b = new ArrayList<>();
            direct.epoch(1).forEach(a::add);
            slow.epoch(1).forEach(b::add);
            assertEquals(5, a.size());
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i).inputs().shape(), a.get(i).inputs().shape());
                assertArrayEquals(b.get(i).inputs().data(), a.get(i).inputs().data(), "batch " + i);
                assertArrayEquals(b.get(i).labels(), a.get(i).labels());
                assertArrayEquals(b.get(i).indices(), a.get(i).indices());
            }
        }
    }
}
