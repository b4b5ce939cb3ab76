package io.descent.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Walks the fields of one protocol-buffers message (the wire format {@link ProtoWriter}
 * describes): {@link #next()} reads a field key, then exactly one of the value readers matching
 * its wire type, or {@link #skip()}. Unknown fields are skipped by callers, as protobuf
 * requires, so event files written by other tools (which add fields Descent does not write)
 * still read. Malformed input is an {@link IOException}, never an out-of-bounds read.
 */
final class ProtoReader {
    private final byte[] buf;
    private final int end;
    private int pos;
    private int wireType = -1;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** The next field's number, or -1 at the end of the message. */
    int next() throws IOException {
        if (pos >= end) return -1;
        long key = varint();
        int field = (int) (key >>> 3);
        if (field <= 0 || key >>> 3 > Integer.MAX_VALUE) throw malformed("bad field number " + (key >>> 3));
        wireType = (int) (key & 7);
        return field;
    }

    long int64() throws IOException {
        expect(ProtoWriter.VARINT);
        return varint();
    }

    double double64() throws IOException {
        expect(ProtoWriter.FIXED64);
        return Double.longBitsToDouble(littleEndian(8));
    }

    float float32() throws IOException {
        expect(ProtoWriter.FIXED32);
        return Float.intBitsToFloat((int) littleEndian(4));
    }

    String string() throws IOException {
        int len = lengthPrefix();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A reader over the embedded message in the current field. */
    ProtoReader message() throws IOException {
        int len = lengthPrefix();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    /** Skips the current field's value, whatever its wire type. */
    void skip() throws IOException {
        switch (wireType) {
            case ProtoWriter.VARINT -> varint();
            case ProtoWriter.FIXED64 -> advance(8);
            case ProtoWriter.LENGTH_DELIMITED -> advance(lengthPrefix());
            case ProtoWriter.FIXED32 -> advance(4);
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    private int lengthPrefix() throws IOException {
        expect(ProtoWriter.LENGTH_DELIMITED);
        long len = varint();
        if (len < 0 || len > end - pos) throw malformed("length " + len + " past the end of the message");
        return (int) len;
    }

    private void expect(int type) throws IOException {
        if (wireType != type) throw malformed("wire type " + wireType + " where " + type + " was expected");
    }

    private long varint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw malformed("truncated varint");
            int b = buf[pos++] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw malformed("varint longer than 10 bytes");
    }

    private long littleEndian(int bytes) throws IOException {
        if (end - pos < bytes) throw malformed("truncated fixed-width value");
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        return v;
    }

    private void advance(int n) throws IOException {
        if (n > end - pos) throw malformed("field past the end of the message");
        pos += n;
    }

    private IOException malformed(String what) {
        return new IOException("malformed protobuf message: " + what + " at byte " + pos);
    }
}
