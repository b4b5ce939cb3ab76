package io.descent.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted pickle reader: the data-only opcodes of pickle protocols 2 to 5 (see CPython's
 * {@code Lib/pickletools.py} for the opcode reference) evaluated on a bounded stack, with every
 * code-running opcode delegated to a {@link Resolver} that decides which globals exist and what
 * calling them means. Nothing is ever looked up by name or executed: a global the resolver does
 * not know is an error.
 *
 * <p>Values: dicts become {@link LinkedHashMap} (keys must be str, int, float, bool or None),
 * lists {@link ArrayList}, tuples {@link Tuple}, str {@link String}, int {@link Long} (at most
 * 8 bytes), float {@link Double}, bool {@link Boolean}, None {@code null}.
 *
 * <p>Hostile input cannot exhaust memory or loop: the pickle is a byte array read front to back
 * once, every length is checked against the bytes that remain, and {@link Limits} bound the
 * stack, the memo, the number of values pushed and string lengths.
 */
public final class Unpickler {
    /**
     * What the pickle may call: globals, REDUCE, BUILD and persistent ids (BINPERSID). A refusal
     * is a {@link WeightsFormatException} whose message the unpickler prefixes with the file and
     * byte offset.
     */
    public interface Resolver {
        /** The object for {@code module.name} (GLOBAL, STACK_GLOBAL); throws for anything not allowed. */
        Object global(String module, String name) throws WeightsFormatException;

        /** The result of calling {@code callable(*args)} (REDUCE). */
        Object reduce(Object callable, Tuple args) throws WeightsFormatException;

        /** Applies {@code state} to {@code obj} (BUILD). */
        void build(Object obj, Object state) throws WeightsFormatException;

        /** The object a persistent id stands for (BINPERSID). */
        Object persistentLoad(Object pid) throws WeightsFormatException;
    }

    /** An immutable Python tuple. */
    public record Tuple(List<Object> items) {
        public Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }

        public int size() {
            return items.size();
        }

        public Object get(int i) {
            return items.get(i);
        }
    }

    /**
     * Bounds on what a pickle may build.
     *
     * @param maxStack     stack entries and open MARKs
     * @param maxMemo      memo entries
     * @param maxValues    values pushed in total (bounds the memory a pickle can take)
     * @param maxString    bytes of one str
     */
    public record Limits(int maxStack, int maxMemo, int maxValues, int maxString) {
        /** Generous for any state_dict or checkpoint (a state_dict pickle pushes about 25 values per tensor). */
        public static final Limits DEFAULT = new Limits(1 << 20, 1 << 20, 1 << 22, 1 << 20);
    }

    private static final Tuple EMPTY_TUPLE = new Tuple(List.of());

    private final ByteBuffer in;
    private final Resolver resolver;
    private final Limits limits;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int fence;
    private long pushed;
    private int opAt;

    private Unpickler(byte[] pickle, Resolver resolver, Limits limits, String source) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.resolver = resolver;
        this.limits = limits;
        this.source = source;
    }

    /** Evaluates {@code pickle} up to STOP and returns the value it built. */
    public static Object load(byte[] pickle, Resolver resolver, Limits limits, String source) throws WeightsFormatException {
        return new Unpickler(pickle, resolver, limits, source).run();
    }

    private Object run() throws WeightsFormatException {
        while (true) {
            opAt = in.position();
            if (!in.hasRemaining()) throw error("pickle ends without STOP (truncated?)");
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto < 2 || proto > 5) throw error("unsupported pickle protocol " + proto);
                }
                case 0x95 -> { // FRAME: a length prefix only; the whole pickle is in memory
                    long len = in.remaining() >= 8 ? in.getLong() : -1;
                    if (len < 0 || len > in.remaining()) throw error("FRAME length runs past the end of the pickle");
                }
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) throw error("STOP with " + stack.size() + " values on the stack");
                    return stack.get(0);
                }
                case '(' -> { // MARK
                    if (marks.size() >= limits.maxStack()) throw error("more than " + limits.maxStack() + " open MARKs");
                    marks.add(fence);
                    fence = stack.size();
                }
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(top()); // DUP
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (need(2).getShort() & 0xffff)); // BININT2
                case 'J' -> push((long) need(4).getInt()); // BININT
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(need(8).getLong()))); // BINFLOAT (big-endian)
                case 'X' -> push(string(need(4).getInt() & 0xffffffffL)); // BINUNICODE
                case 0x8c -> push(string(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(string(need(8).getLong())); // BINUNICODE8
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(EMPTY_TUPLE); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(new Tuple(popN(1))); // TUPLE1
                case 0x86 -> push(new Tuple(popN(2))); // TUPLE2
                case 0x87 -> push(new Tuple(popN(3))); // TUPLE3
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'd' -> { // DICT
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putAll(d, popMark());
                    push(d);
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(top()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(top()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    putAll(dict(top()), Arrays.asList(k, v));
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popMark();
                    putAll(dict(top()), kv);
                }
                case 'q' -> memoPut(u8()); // BINPUT
                case 'r' -> memoPut(need(4).getInt() & 0xffffffffL); // LONG_BINPUT
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(need(4).getInt() & 0xffffffffL)); // LONG_BINGET
                case 'c' -> { // GLOBAL
                    String module = line(), name = line();
                    push(ask(() -> resolver.global(module, name)));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw error("STACK_GLOBAL needs two strings");
                    push(ask(() -> resolver.global(m, n)));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(), callable = pop();
                    if (!(args instanceof Tuple t)) throw error("REDUCE arguments are not a tuple");
                    push(ask(() -> resolver.reduce(callable, t)));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    Object obj = top();
                    ask(() -> {
                        resolver.build(obj, state);
                        return null;
                    });
                }
                case 'Q' -> { // BINPERSID
                    Object pid = pop();
                    push(ask(() -> resolver.persistentLoad(pid)));
                }
                default -> throw error(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    private interface Call {
        Object get() throws WeightsFormatException;
    }

    /** Runs a resolver call; its refusal gets the file and the byte offset in front. */
    private Object ask(Call call) throws WeightsFormatException {
        try {
            return call.get();
        } catch (WeightsFormatException e) {
            throw new WeightsFormatException(source + ": pickle byte " + opAt + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- stack

    private void push(Object v) throws WeightsFormatException {
        if (stack.size() >= limits.maxStack()) throw error("stack deeper than " + limits.maxStack());
        if (++pushed > limits.maxValues()) throw error("more than " + limits.maxValues() + " values");
        stack.add(v);
    }

    private Object pop() throws WeightsFormatException {
        if (stack.size() <= fence) throw error("stack underflow");
        return stack.removeLast();
    }

    private Object top() throws WeightsFormatException {
        if (stack.size() <= fence) throw error("stack underflow");
        return stack.getLast();
    }

    private List<Object> popN(int n) throws WeightsFormatException {
        if (stack.size() - fence < n) throw error("stack underflow");
        List<Object> tail = stack.subList(stack.size() - n, stack.size());
        List<Object> out = new ArrayList<>(tail);
        tail.clear();
        return out;
    }

    /** The values above the last MARK, which is removed. */
    private List<Object> popMark() throws WeightsFormatException {
        if (marks.isEmpty()) throw error("no MARK on the stack");
        List<Object> out = popN(stack.size() - fence);
        fence = marks.removeLast();
        return out;
    }

    private void memoPut(long index) throws WeightsFormatException {
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemo()) throw error("memo larger than " + limits.maxMemo());
        memo.put(index, top());
    }

    private Object memoGet(long index) throws WeightsFormatException {
        if (!memo.containsKey(index)) throw error("memo has no entry " + index);
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws WeightsFormatException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw error("APPEND to a " + typeName(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws WeightsFormatException {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw error("SETITEM on a " + typeName(o));
    }

    private void putAll(Map<Object, Object> d, List<Object> kv) throws WeightsFormatException {
        if (kv.size() % 2 != 0) throw error("odd number of items for a dict");
        for (int i = 0; i < kv.size(); i += 2) {
            Object k = kv.get(i);
            if (!(k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean)) {
                throw error("unsupported dict key type " + typeName(k));
            }
            d.put(k, kv.get(i + 1));
        }
    }

    // ---------------------------------------------------------------- operands

    private ByteBuffer need(int n) throws WeightsFormatException {
        if (in.remaining() < n) throw error("pickle ends inside an operand (truncated?)");
        return in;
    }

    private int u8() throws WeightsFormatException {
        return need(1).get() & 0xff;
    }

    /** LONG1: a little-endian two's-complement integer of up to 8 bytes. */
    private long long1() throws WeightsFormatException {
        int n = u8();
        if (n > 8) throw error("integer of " + n + " bytes is too large");
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) v |= (in.get() & 0xffL) << (8 * i);
        if (n > 0 && n < 8 && (v >>> (8 * n - 1) & 1) != 0) v |= -1L << (8 * n);
        return v;
    }

    private String string(long len) throws WeightsFormatException {
        if (len < 0 || len > in.remaining()) throw error("string of " + Long.toUnsignedString(len) + " bytes runs past the end of the pickle");
        if (len > limits.maxString()) throw error("string of " + len + " bytes exceeds the limit of " + limits.maxString());
        ByteBuffer slice = in.slice(in.position(), (int) len);
        in.position(in.position() + (int) len);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw error("string is not valid UTF-8");
        }
    }

    /** A newline-terminated ASCII identifier (GLOBAL's module and name), at most 256 bytes. */
    private String line() throws WeightsFormatException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') return b.toString();
            if (c < 0x20 || c > 0x7e || b.length() >= 256) throw error("GLOBAL operand is not a short ASCII name");
            b.append((char) c);
        }
    }

    private WeightsFormatException error(String what) {
        return new WeightsFormatException(source + ": pickle byte " + opAt + ": " + what);
    }

    /** Python's name for a value's type, for messages (never the value: it may be huge or cyclic). */
    static String typeName(Object o) {
        return switch (o) {
            case null -> "None";
            case String s -> "str";
            case Long l -> "int";
            case Double d -> "float";
            case Boolean b -> "bool";
            case Tuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            default -> o.getClass().getSimpleName();
        };
    }
}
