package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fixtures tools/golden/gen_pth.py writes under src/test/resources/io/, and exact comparisons. */
final class Fixtures {
    private Fixtures() {}

    /** Copies fixture {@code name} into {@code dir} (so tests open a real file) and returns its path. */
    static Path copy(String name, Path dir) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/io/" + name)) {
            if (in == null) throw new IllegalStateException("missing fixture io/" + name + " (run tools/golden/gen_pth.py)");
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The float32 tensors PyTorch computed for fixture file {@code prefix}, keyed without the prefix. */
    static Map<String, Tensor> expected(String prefix, Path dir) throws IOException {
        Path p = dir.resolve("expected.safetensors");
        if (!Files.exists(p)) copy("expected.safetensors", dir);
        Map<String, Tensor> out = new LinkedHashMap<>();
        Safetensors.read(p).forEach((k, v) -> {
            if (k.startsWith(prefix + "/")) out.put(k.substring(prefix.length() + 1), v);
        });
        return out;
    }

    /** Same keys in the same order, same shapes, bit-identical values. */
    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(java.util.List.copyOf(expected.keySet()), java.util.List.copyOf(actual.keySet()));
        for (String k : expected.keySet()) assertSameTensor(expected.get(k), actual.get(k), k);
    }

    static void assertSameTensor(Tensor expected, Tensor actual, String key) {
        assertArrayEquals(expected.shape(), actual.shape(), key);
        float[] e = expected.data(), a = actual.data();
        assertEquals(e.length, a.length, key);
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), key + "[" + i + "]: " + e[i] + " vs " + a[i]);
        }
    }
}
