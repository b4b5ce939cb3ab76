package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Unpickler.Tuple;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnpicklerTest {
    /** Python: pickle.dumps(OBJ, protocol=P) for the OBJ of {@link #expected()}. */
    private static final String PROTOCOL_2 = "80027d71002858010000006171015d7102284b014afeffffff47400c0000000000004e88894b015801000000787103"
            + "86710465580300000062696771058a0600000000000158030000006e656771064a7fffffff5802000000693271074d409c58020000006934"
            + "71084a90eefeff5803000000756e69710958090000" + "00c3a9e282acf09f9880710a58060000006e6573746564710b7d710c58010000006b"
            + "710d5d710e285d710f2965734b015806000000696e746b65797110752e";
    private static final String PROTOCOL_4 = "80049587000000000000007d94288c0161945d94284b014afeffffff47400c0000000000004e88894b01"
            + "8c0178948694658c03626967948a060000000000018c036e6567944a7fffffff8c026932944d409c8c026934944a90eefeff8c03756e69948c"
            + "09c3a9e282acf09f9880948c066e6573746564947d948c016b945d94285d942965734b018c06696e746b657994752e";

    /** {'a': [1, -2, 3.5, None, True, False, (1, 'x')], 'big': 2**40, 'neg': -129, 'i2': 40000, 'i4': -70000,
     *  'uni': 'é€😀', 'nested': {'k': [[], ()]}, 1: 'intkey'} */
    private static Map<Object, Object> expected() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("a", Arrays.asList(1L, -2L, 3.5, null, true, false, new Tuple(List.of(1L, "x"))));
        m.put("big", 1L << 40);
        m.put("neg", -129L);
        m.put("i2", 40000L);
        m.put("i4", -70000L);
        m.put("uni", "é€😀");
        m.put("nested", Map.of("k", List.of(List.of(), new Tuple(List.of()))));
        m.put(1L, "intkey");
        return m;
    }

    /** Knows no global at all: only data. */
    private static final Unpickler.Resolver DATA_ONLY = new Unpickler.Resolver() {
        @Override
        public Object global(String module, String name) throws WeightsFormatException {
            throw new WeightsFormatException("unsupported pickle global " + module + "." + name);
        }

        @Override
        public Object reduce(Object callable, Tuple args) throws WeightsFormatException {
            throw new WeightsFormatException("cannot call");
        }

        @Override
        public void build(Object obj, Object state) throws WeightsFormatException {
            throw new WeightsFormatException("cannot build");
        }

        @Override
        public Object persistentLoad(Object pid) throws WeightsFormatException {
            throw new WeightsFormatException("no persistent ids");
        }
    };

    private static Object load(byte[] pickle, Unpickler.Limits limits) throws WeightsFormatException {
        return Unpickler.load(pickle, DATA_ONLY, limits, "t.pkl");
    }

    private static Object load(byte[] pickle) throws WeightsFormatException {
        return load(pickle, Unpickler.Limits.DEFAULT);
    }

    private static String refusal(byte[] pickle, Unpickler.Limits limits) {
        return assertThrows(WeightsFormatException.class, () -> load(pickle, limits)).getMessage();
    }

    private static String refusal(byte[] pickle) {
        return refusal(pickle, Unpickler.Limits.DEFAULT);
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void readsWhatPythonPicklesWithProtocols2And4() throws Exception {
        assertEquals(expected(), load(HexFormat.of().parseHex(PROTOCOL_2)));
        assertEquals(expected(), load(HexFormat.of().parseHex(PROTOCOL_4)));
    }

    @Test
    void stackOpcodesFollowPython() throws Exception {
        // (MARK 1 2 DICT), then [DUP POP], (MARK 3 POP_MARK) discarded, LIST of MARK 4 -> TUPLE3(d, d, [4])
        byte[] p = bytes(0x80, 2, '(', 'K', 1, 'K', 2, 'd', '2', '2', '0', '(', 'K', 3, '1', '(', 'K', 4, 'l', 0x87, '.');
        Tuple t = (Tuple) load(p);
        assertEquals(Map.of(1L, 2L), t.get(0));
        assertTrue(t.get(0) == t.get(1), "DUP shares the object");
        assertEquals(List.of(4L), t.get(2));
        assertEquals(-1L, load(bytes(0x8a, 1, 0xff, '.')));
        assertEquals(0L, load(bytes(0x8a, 0, '.')));
        assertEquals(Long.MIN_VALUE, load(bytes(0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x80, '.')));
    }

    @Test
    void refusesTruncatedAndMalformedPickles() {
        assertEquals("t.pkl: pickle byte 2: pickle ends without STOP (truncated?)", refusal(bytes(0x80, 2)));
        assertEquals("t.pkl: pickle byte 0: pickle ends inside an operand (truncated?)", refusal(bytes('J', 1, 2)));
        assertEquals("t.pkl: pickle byte 0: string of 4294967295 bytes runs past the end of the pickle",
                refusal(bytes('X', 0xff, 0xff, 0xff, 0xff, 'a', '.')));
        assertEquals("t.pkl: pickle byte 0: string of 9223372036854775808 bytes runs past the end of the pickle",
                refusal(bytes(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x80, '.')));
        assertEquals("t.pkl: pickle byte 0: string is not valid UTF-8", refusal(bytes(0x8c, 1, 0xff, '.')));
        assertEquals("t.pkl: pickle byte 0: unsupported pickle opcode 0x69", refusal(bytes('i', '.')));
        assertEquals("t.pkl: pickle byte 0: unsupported pickle protocol 9", refusal(bytes(0x80, 9, 'N', '.')));
        assertEquals("t.pkl: pickle byte 0: FRAME length runs past the end of the pickle", refusal(bytes(0x95, 100, 0, 0, 0, 0, 0, 0, 0, '.')));
        assertEquals("t.pkl: pickle byte 0: memo has no entry 7", refusal(bytes('h', 7, '.')));
        assertEquals("t.pkl: pickle byte 0: stack underflow", refusal(bytes('0', '.')));
        assertEquals("t.pkl: pickle byte 2: stack underflow", refusal(bytes('N', '(', 0x85, '.')));
        assertEquals("t.pkl: pickle byte 0: no MARK on the stack", refusal(bytes('t', '.')));
        assertEquals("t.pkl: pickle byte 2: STOP with 2 values on the stack", refusal(bytes('N', 'N', '.')));
        assertEquals("t.pkl: pickle byte 2: APPEND to a None", refusal(bytes('N', 'N', 'a', '.')));
        assertEquals("t.pkl: pickle byte 3: unsupported dict key type list", refusal(bytes('}', ']', 'N', 's', '.')));
        assertEquals("t.pkl: pickle byte 0: integer of 9 bytes is too large", refusal(bytes(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, '.')));
        assertEquals("t.pkl: pickle byte 0: GLOBAL operand is not a short ASCII name", refusal(bytes('c', 'o', 0, '\n', 'x', '\n', '.')));
        assertEquals("t.pkl: pickle byte 0: unsupported pickle global os.system", refusal(bytes('c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', '.')));
    }

    @Test
    void limitsBoundStackMemoValuesAndStrings() {
        Unpickler.Limits small = new Unpickler.Limits(4, 2, 8, 3);
        assertEquals("t.pkl: pickle byte 4: stack deeper than 4", refusal(bytes('N', 'N', 'N', 'N', 'N', '.'), small));
        assertEquals("t.pkl: pickle byte 16: more than 8 values",
                refusal(bytes('N', '0', 'N', '0', 'N', '0', 'N', '0', 'N', '0', 'N', '0', 'N', '0', 'N', '0', 'N', '.'), small));
        assertEquals("t.pkl: pickle byte 5: memo larger than 2", refusal(bytes('N', 'q', 0, 'q', 1, 'q', 2, '.'), small));
        assertEquals("t.pkl: pickle byte 0: string of 4 bytes exceeds the limit of 3", refusal(bytes(0x8c, 4, 'a', 'b', 'c', 'd', '.'), small));
        assertEquals("t.pkl: pickle byte 4: more than 4 open MARKs", refusal(bytes('(', '(', '(', '(', '(', '.'), small));
    }

    @Test
    void aMillionNestedTuplesNeedNoRecursion() throws Exception {
        int n = 1_000_000;
        byte[] p = new byte[n + 2];
        p[0] = ')'; // (), then TUPLE1 a million times: ((((),),),)... on a flat stack
        Arrays.fill(p, 1, n + 1, (byte) 0x85);
        p[n + 1] = '.';
        assertTrue(load(p) instanceof Tuple);
    }
}
