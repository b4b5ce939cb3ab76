package io.descent.io;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and compact writer, for file headers that must not be
 * trusted (the safetensors header) and for the small JSON files Descent writes.
 *
 * <p>Parsing yields {@link LinkedHashMap} (keys in file order; a duplicate key is an error),
 * {@link ArrayList}, {@link String}, {@link Long} (integers that fit), {@link BigInteger}
 * (larger integers), {@link Double} (numbers with a fraction or exponent), {@link Boolean} and
 * {@code null}. Nesting deeper than the given depth, number literals longer than
 * {@value #MAX_NUMBER_CHARS} characters, unescaped control characters, bad escapes and anything
 * but whitespace after the value are refused with the character offset. Unicode escapes are
 * kept as UTF-16 code units, as JSON defines them (a lone surrogate is passed through).
 */
public final class Json {
    /** Default nesting limit of {@link #parse(String)}. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Longest number literal accepted (keeps BigInteger/double parsing cheap). */
    public static final int MAX_NUMBER_CHARS = 100;

    /** Malformed JSON, with the offset where it went wrong. */
    public static final class JsonException extends IOException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private final String s;
    private final int maxDepth;
    private int pos;

    private Json(String s, int maxDepth) {
        this.s = s;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON value with the default depth limit. */
    public static Object parse(String text) throws JsonException {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    /** Parses one JSON value; objects and arrays may nest at most {@code maxDepth} deep. */
    public static Object parse(String text, int maxDepth) throws JsonException {
        Json p = new Json(text, maxDepth);
        p.skipWhitespace();
        Object v = p.value(1);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("unexpected content after the JSON value");
        return v;
    }

    private Object value(int depth) throws JsonException {
        if (pos >= s.length()) throw error("unexpected end of input");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character " + describe(c));
            }
        };
    }

    private Map<String, Object> object(int depth) throws JsonException {
        checkDepth(depth);
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (out.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key " + WeightsFormatException.quote(key));
            }
            out.put(key, v);
            skipWhitespace();
            char c = next();
            if (c == '}') return out;
            if (c != ',') throw errorBefore("expected ',' or '}' in an object");
        }
    }

    private List<Object> array(int depth) throws JsonException {
        checkDepth(depth);
        pos++;
        List<Object> out = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            out.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') return out;
            if (c != ',') throw errorBefore("expected ',' or ']' in an array");
        }
    }

    private String string() throws JsonException {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw errorBefore("unescaped control character " + describe(c) + " in a string");
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("truncated \\u escape");
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) throw error("bad \\u escape");
                        cp = cp * 16 + d;
                    }
                    pos += 4;
                    b.append((char) cp);
                }
                default -> throw errorBefore("bad escape \\" + e);
            }
        }
    }

    private Object number() throws JsonException {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) throw error("bad number: digits expected after '.'");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') pos++;
            if (!digits()) throw error("bad number: digits expected in the exponent");
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            pos = start;
            throw error("number literal longer than " + MAX_NUMBER_CHARS + " characters");
        }
        String lit = s.substring(start, pos);
        if (!integral) return Double.parseDouble(lit);
        BigInteger big = new BigInteger(lit);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private boolean digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
        return pos > start;
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!s.startsWith(word, pos)) throw error("unexpected character " + describe(s.charAt(pos)));
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) throws JsonException {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth);
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() throws JsonException {
        if (pos >= s.length()) throw error("unexpected end of input");
        return s.charAt(pos++);
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private JsonException errorBefore(String what) {
        pos--;
        return error(what);
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Compact JSON for a {@link Map} (string keys, written in iteration order), {@link List},
     * {@code int[]}, {@code long[]}, {@link String}, {@link Number} (finite), {@link Boolean}
     * or {@code null}.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String str -> quote(b, str);
            case Boolean bool -> b.append(bool);
            case Double d -> b.append(finite(d));
            case Float f -> b.append(finite(f.doubleValue()));
            case Number n -> b.append(n);
            case int[] a -> {
                b.append('[');
                for (int i = 0; i < a.length; i++) b.append(i == 0 ? "" : ",").append(a[i]);
                b.append(']');
            }
            case long[] a -> {
                b.append('[');
                for (int i = 0; i < a.length; i++) b.append(i == 0 ? "" : ",").append(a[i]);
                b.append(']');
            }
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    if (!first) b.append(',');
                    first = false;
                    quote(b, k);
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, l.get(i));
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no representation for " + d);
        return d;
    }

    private static void quote(StringBuilder b, String str) {
        b.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
