package io.descent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the golden fixtures that tools/golden/*.py write with PyTorch (F32 safetensors
 * files under src/test/resources/golden/), and compares tensors against them.
 */
public final class Golden {
    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");

    private Golden() {}

    /** All tensors of {@code golden/<name>.safetensors}, keyed by name. */
    public static Map<String, Tensor> load(String name) {
        String path = "/golden/" + name + ".safetensors";
        try (InputStream in = Golden.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing fixture " + path + " (run tools/golden/*.py)");
            byte[] all = in.readAllBytes();
            ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int headerLen = Math.toIntExact(buf.getLong());
            String header = new String(all, 8, headerLen, StandardCharsets.UTF_8);
            int base = 8 + headerLen;
            Map<String, Tensor> out = new LinkedHashMap<>();
            Matcher m = ENTRY.matcher(header);
            while (m.find()) {
                int[] shape = m.group(2).isEmpty() ? new int[0]
                        : java.util.Arrays.stream(m.group(2).split(",")).mapToInt(Integer::parseInt).toArray();
                int from = Integer.parseInt(m.group(3)), to = Integer.parseInt(m.group(4));
                float[] data = new float[(to - from) / 4];
                ByteBuffer.wrap(all, base + from, to - from).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                out.put(m.group(1), Tensor.wrap(data, shape));
            }
            if (out.isEmpty()) throw new IllegalStateException("fixture " + path + " holds no F32 tensors");
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + path, e);
        }
    }

    /** The tensor {@code key} of a loaded fixture, failing clearly when absent. */
    public static Tensor get(Map<String, Tensor> fixture, String key) {
        Tensor t = fixture.get(key);
        if (t == null) throw new IllegalStateException("fixture has no tensor '" + key + "'; it has " + fixture.keySet());
        return t;
    }

    /** Same shape, and |a − e| ≤ atol + rtol·|e| element-wise. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data(), a = actual.data();
        for (int i = 0; i < e.length; i++) {
            double tol = atol + rtol * Math.abs(e[i]);
            int idx = i;
            assertTrue(Math.abs(e[i] - a[i]) <= tol || Float.compare(e[i], a[i]) == 0,
                    () -> what + ": element " + idx + " expected " + e[idx] + " but was " + a[idx]);
        }
    }
}
