package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryValueKindKeepingKeyOrder() throws Exception {
        Object v = Json.parse(" {\"b\": [1, -2, 3.5, 1e3, true, false, null], \"a\": {\"x\": \"y\"},"
                + " \"big\": 18446744073709551616, \"neg0\": -0} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a", "big", "neg0"), List.copyOf(m.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null), m.get("b"));
        assertEquals(Map.of("x", "y"), m.get("a"));
        assertEquals(new BigInteger("18446744073709551616"), m.get("big"));
        assertEquals(0L, m.get("neg0"));
        assertNull(Json.parse("null"));
    }

    @Test
    void decodesEscapes() throws Exception {
        assertEquals("q\"b\\s/\b\f\n\r\té€😀", Json.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\""));
    }

    @Test
    void refusesMalformedInputWithTheOffset() {
        assertRefused("{\"a\":1,}", "expected a string key at offset 7");
        assertRefused("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object at offset 7");
        assertRefused("[1 2]", "expected ',' or ']' in an array at offset 3");
        assertRefused("{\"a\":1,\"a\":2}", "duplicate key 'a' at offset 7");
        assertRefused("[1] x", "unexpected content after the JSON value at offset 4");
        assertRefused("\"a\nb\"", "unescaped control character U+000A in a string at offset 2");
        assertRefused("\"\\x\"", "bad escape \\x at offset 2");
        assertRefused("\"\\u12g4\"", "bad \\u escape at offset 3");
        assertRefused("\"abc", "unterminated string at offset 4");
        assertRefused("01", "unexpected content after the JSON value at offset 1");
        assertRefused("-", "bad number at offset 1");
        assertRefused("1.", "bad number: digits expected after '.' at offset 2");
        assertRefused("tru", "unexpected character 't' at offset 0");
        assertRefused("", "unexpected end of input at offset 0");
        assertRefused("[" + "9".repeat(101) + "]", "number literal longer than 100 characters at offset 1");
    }

    @Test
    void limitsNesting() throws Exception {
        assertEquals(List.of(List.of()), Json.parse("[[]]", 2));
        assertRefused("[[[]]]", 2, "nesting deeper than 2 at offset 2");
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertRefused(deep, Json.DEFAULT_MAX_DEPTH, "nesting deeper than 64 at offset 64");
    }

    @Test
    void writesCompactJsonThatParsesBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\t\"quote\" \u0001 é");
        m.put("shape", new int[] {2, 3});
        m.put("offsets", new long[] {0, 1L << 40});
        m.put("list", Arrays.asList(1, 2.5, true, null));
        m.put("empty", Map.of());
        String text = Json.write(m);
        assertEquals("{\"s\":\"tab\\t\\\"quote\\\" \\u0001 é\",\"shape\":[2,3],\"offsets\":[0,1099511627776],"
                + "\"list\":[1,2.5,true,null],\"empty\":{}}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(m.get("s"), back.get("s"));
        assertEquals(List.of(0L, 1L << 40), back.get("offsets"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    private static void assertRefused(String text, String message) {
        assertRefused(text, Json.DEFAULT_MAX_DEPTH, message);
    }

    private static void assertRefused(String text, int depth, String message) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text, depth));
        assertEquals(message, e.getMessage());
    }
}
