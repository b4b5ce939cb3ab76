package io.descent.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few pieces of the protocol-buffers wire format (protobuf.dev "Encoding") that
 * TensorBoard's {@code Event} and {@code Summary} messages need, written by hand so that Descent
 * carries no protobuf dependency. A field is a key {@code (number << 3) | wireType} as a
 * varint, then its payload: a varint (type 0), 8 little-endian bytes (type 1), a varint length
 * and that many bytes (type 2), or 4 little-endian bytes (type 5).
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An {@code int64} field (two's complement as a 10-byte varint when negative). */
    ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /** A {@code double} field. */
    ProtoWriter double64(int field, double value) {
        key(field, FIXED64);
        littleEndian(Double.doubleToRawLongBits(value), 8);
        return this;
    }

    /** A {@code float} field. */
    ProtoWriter float32(int field, float value) {
        key(field, FIXED32);
        littleEndian(Float.floatToRawIntBits(value), 4);
        return this;
    }

    /** A {@code string} field, UTF-8. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message (or {@code bytes}) field. */
    ProtoWriter bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void littleEndian(long bits, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (bits >>> (8 * i)));
    }
}
