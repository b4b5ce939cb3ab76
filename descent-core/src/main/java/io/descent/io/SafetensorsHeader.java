package io.descent.io;

import static io.descent.io.WeightsFormatException.quote;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file (https://github.com/huggingface/safetensors#format),
 * validated against the data section it describes:
 *
 * <pre>
 * {"__metadata__": {"k": "v", ...},                     optional, string to string
 *  "NAME": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}, ...}
 * </pre>
 *
 * Offsets are relative to the start of the data section. Every tensor must have exactly these
 * three fields, a dtype Descent reads, a shape of non-negative integers with at most
 * 2^31 - 9 elements, and {@code END - BEGIN == elements * dtype size}
 * (computed without overflow); as in the reference implementation, keys are unique and the
 * ranges, sorted, tile the data section exactly: no overlap, no byte outside every tensor.
 * Names in messages are clipped to 200 characters.
 *
 * @param entries  the tensors, in header order
 * @param metadata the {@code __metadata__} map, empty when absent
 */
public record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
    /** The largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA = "__metadata__";

    /** One tensor: its name, stored type, shape and byte range within the data section. */
    public record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** The element count (validated to fit a Java array). */
        public int numel() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + "]";
        }
    }

    public SafetensorsHeader {
        entries = List.copyOf(entries);
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Parses and validates a header.
     *
     * @param header    the header bytes (UTF-8 JSON, possibly padded with spaces)
     * @param dataBytes the size of the data section that follows the header
     * @param source    names the file in messages
     */
    static SafetensorsHeader parse(byte[] header, long dataBytes, String source) throws WeightsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw fail(source, "header is not valid UTF-8");
        }
        Object json;
        try {
            json = Json.parse(text, 3);
        } catch (Json.JsonException e) {
            throw fail(source, "header is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> top)) throw fail(source, "header is not a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) metadata = metadata(e.getValue(), source);
            else entries.add(entry(name, e.getValue(), dataBytes, source));
        }
        checkTiling(entries, dataBytes, source);
        return new SafetensorsHeader(entries, metadata);
    }

    private static Map<String, String> metadata(Object v, String source) throws WeightsFormatException {
        if (!(v instanceof Map<?, ?> m)) throw fail(source, METADATA + " is not an object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw fail(source, METADATA + " value of " + quote(e.getKey()) + " is not a string");
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(String name, Object v, long dataBytes, String source) throws WeightsFormatException {
        String what = source + ": tensor " + quote(name);
        if (!(v instanceof Map<?, ?> m)) throw new WeightsFormatException(what + ": entry is not an object");
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new WeightsFormatException(what + ": unknown field " + quote(k));
            }
        }
        if (!(m.get("dtype") instanceof String dtypeName)) throw new WeightsFormatException(what + ": missing or non-string \"dtype\"");
        DType dtype = DType.ofSafetensors(dtypeName);
        if (dtype == null) {
            throw new WeightsFormatException(what + ": unsupported dtype " + quote(dtypeName) + " (Descent reads "
                    + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = longs(m.get("shape"), -1);
        if (shape == null) throw new WeightsFormatException(what + ": \"shape\" is not a list of non-negative integers");
        int numel = Sizes.numel(shape, what);
        long[] offsets = longs(m.get("data_offsets"), 2);
        if (offsets == null || offsets[0] > offsets[1]) {
            throw new WeightsFormatException(what + ": \"data_offsets\" is not [BEGIN, END] with 0 <= BEGIN <= END");
        }
        if (offsets[1] > dataBytes) {
            throw new WeightsFormatException(what + ": data_offsets " + Arrays.toString(offsets)
                    + " exceed the data section (" + dataBytes + " bytes)");
        }
        long need = (long) numel * dtype.size();
        if (offsets[1] - offsets[0] != need) {
            throw new WeightsFormatException(what + ": data_offsets " + Arrays.toString(offsets) + " hold "
                    + (offsets[1] - offsets[0]) + " bytes but " + dtype + " " + Arrays.toString(shape) + " needs " + need);
        }
        return new Entry(name, dtype, Sizes.toInts(shape), offsets[0], offsets[1]);
    }

    /** A JSON list of non-negative longs (of length {@code n} unless n is -1), or null. */
    private static long[] longs(Object v, int n) {
        if (!(v instanceof List<?> l) || (n >= 0 && l.size() != n)) return null;
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0) return null;
            out[i] = x;
        }
        return out;
    }

    /** The byte ranges, sorted, must follow each other from 0 to the end of the data section. */
    private static void checkTiling(List<Entry> entries, long dataBytes, String source) throws WeightsFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw fail(source, "tensor " + quote(e.name) + ": data_offsets [" + e.begin + ", " + e.end + "] overlap tensor "
                        + quote(prev.name) + " [" + prev.begin + ", " + prev.end + "]");
            }
            if (e.begin > pos) throw fail(source, "data section bytes [" + pos + ", " + e.begin + ") belong to no tensor");
            pos = e.end;
            prev = e;
        }
        if (pos != dataBytes) throw fail(source, "data section bytes [" + pos + ", " + dataBytes + ") belong to no tensor");
    }

    /** The header's bytes for writing: compact JSON, metadata first, padded with spaces to a multiple of 8. */
    byte[] toBytes() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) json.put(METADATA, metadata);
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dtype", e.dtype.name());
            m.put("shape", e.shape);
            m.put("data_offsets", new long[] {e.begin, e.end});
            json.put(e.name, m);
        }
        byte[] raw = Json.write(json).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(raw, (raw.length + 7) & ~7);
        Arrays.fill(padded, raw.length, padded.length, (byte) ' ');
        return padded;
    }

    private static WeightsFormatException fail(String source, String message) {
        return new WeightsFormatException(source + ": " + message);
    }
}
