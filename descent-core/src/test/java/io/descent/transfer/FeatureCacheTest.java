package io.descent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.data.ArrayDataset;
import io.descent.data.DataLoader;
import io.descent.models.ResNet;
import io.descent.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
    @Test
    void cachedFeaturesEqualRecomputedOnes(@TempDir Path dir) throws Exception {
        ResNet m = TransferFixtures.resnet(1);
        ArrayDataset data = TransferFixtures.images(10, 4);
        m.train();
        FeatureCache cache;
        try (DataLoader loader = TransferFixtures.loader(data, 4, false)) {
            cache = FeatureCache.extract(m, Heads.backbone(m), loader);
        }
        assertTrue(m.isTraining(), "extract restores the mode");
        assertEquals(10, cache.count());
        assertEquals(512, cache.dim());
        m.eval();
        for (int i = 0; i < 10; i++) {
            Tensor x = Tensor.of(data.get(i).data(), 1, 1, 8, 8);
            float[] want = Heads.backbone(m).apply(x).toArray();
            float[] got = java.util.Arrays.copyOfRange(cache.values(), i * 512, (i + 1) * 512);
            assertArrayEquals(want, got, 1e-5f, "example " + i);
            assertEquals(data.label(i), cache.dataset().label(i));
        }
        Path f = dir.resolve("features.safetensors");
        cache.save(f);
        FeatureCache back = FeatureCache.load(f);
        assertArrayEquals(cache.values(), back.values(), 0f);
        assertArrayEquals(cache.labels(), back.labels());
        assertEquals(cache.classes(), back.classes());
        assertArrayEquals(new int[] {512}, back.dataset().exampleShape());
    }
}
