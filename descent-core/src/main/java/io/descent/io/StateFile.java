package io.descent.io;

import io.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves a training-state tree — maps with string keys, lists, tensors, numbers, booleans,
 * strings, {@code double[]}/{@code long[]} — to one safetensors file, atomically: tensors are
 * stored as tensors, and the tree around them as JSON in the header metadata under
 * {@code "descent.state"}, tensors replaced by {@code {"$tensor": key}}. Doubles round-trip
 * exactly (non-finite ones and double arrays are tagged), so that a resumed run is
 * bit-identical. Used by checkpoints (optimizer, scheduler and trainer state).
 */
public final class StateFile {
    private static final String META_KEY = "descent.state";

    private StateFile() {}

    public static void write(Path path, Map<String, Object> state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Object tree = encode(state, "", tensors);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_KEY, Json.write(tree));
        Safetensors.write(path, tensors, meta);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path path) throws IOException {
        SafetensorsHeader header = Safetensors.readHeader(path);
        String json = header.metadata().get(META_KEY);
        if (json == null) throw new WeightsFormatException(path + ": not a Descent state file (no '" + META_KEY + "' metadata)");
        Map<String, Tensor> tensors = Safetensors.read(path);
        Object tree = decode(Json.parse(json), tensors, path);
        if (!(tree instanceof Map<?, ?> m)) throw new WeightsFormatException(path + ": the state is not a map");
        return (Map<String, Object>) m;
    }

    private static Object encode(Object v, String path, Map<String, Tensor> tensors) {
        return switch (v) {
            case null -> null;
            case Tensor t -> {
                String key = path.isEmpty() ? "_" : path;
                tensors.put(key, t);
                yield Map.of("$tensor", key);
            }
            case Double d -> Double.isFinite(d) ? d : Map.of("$double", Double.toString(d));
            case Float f -> encode(f.doubleValue(), path, tensors);
            case Number n -> n.longValue();
            case Boolean b -> b;
            case String s -> s;
            case double[] a -> {
                List<String> out = new ArrayList<>();
                for (double d : a) out.add(Double.toString(d));
                yield Map.of("$doubles", out);
            }
            case long[] a -> Map.of("$longs", a);
            case int[] a -> Map.of("$ints", a);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    if (k.startsWith("$")) throw new IllegalArgumentException("StateFile: map keys must not start with '$': " + k);
                    out.put(k, encode(e.getValue(), path.isEmpty() ? k : path + "." + k, tensors));
                }
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) out.add(encode(l.get(i), path + "[" + i + "]", tensors));
                yield out;
            }
            default -> throw new IllegalArgumentException("StateFile: cannot store " + v.getClass().getName() + " at '" + path + "'");
        };
    }

    private static Object decode(Object v, Map<String, Tensor> tensors, Path file) throws WeightsFormatException {
        if (v instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("$tensor")) {
                Tensor t = tensors.get(String.valueOf(m.get("$tensor")));
                if (t == null) throw new WeightsFormatException(file + ": state refers to a missing tensor '" + m.get("$tensor") + "'");
                return t;
            }
            if (m.size() == 1 && m.containsKey("$double")) return Double.parseDouble(String.valueOf(m.get("$double")));
            if (m.size() == 1 && m.get("$doubles") instanceof List<?> l) {
                double[] a = new double[l.size()];
                for (int i = 0; i < a.length; i++) a[i] = Double.parseDouble(String.valueOf(l.get(i)));
                return a;
            }
            if (m.size() == 1 && m.get("$longs") instanceof List<?> l) return l.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
            if (m.size() == 1 && m.get("$ints") instanceof List<?> l) return l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), decode(e.getValue(), tensors, file));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(decode(o, tensors, file));
            return out;
        }
        return v;
    }
}
