package io.descent.io;

import java.nio.ByteBuffer;

/**
 * The element types of weights files and their conversion to and from Descent's float32.
 * Names follow the safetensors format ({@code F32}, {@code BF16}, ...; see
 * https://github.com/huggingface/safetensors#format), PyTorch's dtypes ({@code float32}) and
 * PyTorch's legacy storage classes ({@code FloatStorage}), which torch.save still names in its
 * pickles. All data is little-endian, as both formats store it.
 *
 * <p>Reading converts every type to float32: F64 rounds to nearest, F16 and BF16 widen exactly,
 * integers convert like a Java cast (exact up to 2^24 in magnitude, e.g. BatchNorm's int64
 * {@code num_batches_tracked}), BOOL reads 0 or 1. Writing a float into an integer or BOOL type
 * requires a value the type holds exactly.
 */
public enum DType {
    F64(8, "float64", "DoubleStorage"),
    F32(4, "float32", "FloatStorage"),
    F16(2, "float16", "HalfStorage"),
    BF16(2, "bfloat16", "BFloat16Storage"),
    I64(8, "int64", "LongStorage"),
    I32(4, "int32", "IntStorage"),
    I16(2, "int16", "ShortStorage"),
    I8(1, "int8", "CharStorage"),
    U8(1, "uint8", "ByteStorage"),
    BOOL(1, "bool", "BoolStorage");

    private final int size;
    private final String torchName;
    private final String storageName;

    DType(int size, String torchName, String storageName) {
        this.size = size;
        this.torchName = torchName;
        this.storageName = storageName;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** PyTorch's name without the module, e.g. {@code float32}. */
    public String torchName() {
        return torchName;
    }

    /** PyTorch's legacy storage class name, e.g. {@code FloatStorage}. */
    public String storageName() {
        return storageName;
    }

    /** The type a safetensors header names ({@code "F32"}), or null if Descent has no such type. */
    public static DType ofSafetensors(String name) {
        for (DType t : values()) if (t.name().equals(name)) return t;
        return null;
    }

    /** The type of a torch storage class ({@code "FloatStorage"}), or null. */
    public static DType ofStorage(String className) {
        for (DType t : values()) if (t.storageName.equals(className)) return t;
        return null;
    }

    /** The type of a torch dtype attribute ({@code "float32"}), or null. */
    public static DType ofTorch(String name) {
        for (DType t : values()) if (t.torchName.equals(name)) return t;
        return null;
    }

    /** Reads {@code n} elements from {@code src}'s position (little-endian) into {@code dst[off..]}. */
    public void decode(ByteBuffer src, float[] dst, int off, int n) {
        ByteBuffer b = src.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? src : src.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int end = off + n;
        switch (this) {
            case F32 -> {
                b.asFloatBuffer().get(dst, off, n);
                b.position(b.position() + 4 * n);
            }
            case F64 -> { for (int i = off; i < end; i++) dst[i] = (float) b.getDouble(); }
            case F16 -> { for (int i = off; i < end; i++) dst[i] = Float.float16ToFloat(b.getShort()); }
            case BF16 -> { for (int i = off; i < end; i++) dst[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); }
            case I64 -> { for (int i = off; i < end; i++) dst[i] = b.getLong(); }
            case I32 -> { for (int i = off; i < end; i++) dst[i] = b.getInt(); }
            case I16 -> { for (int i = off; i < end; i++) dst[i] = b.getShort(); }
            case I8 -> { for (int i = off; i < end; i++) dst[i] = b.get(); }
            case U8 -> { for (int i = off; i < end; i++) dst[i] = b.get() & 0xff; }
            case BOOL -> { for (int i = off; i < end; i++) dst[i] = b.get() != 0 ? 1f : 0f; }
        }
        if (b != src) src.position(b.position());
    }

    /** The element at byte offset {@code at} of a little-endian buffer (absolute, position untouched). */
    public float get(ByteBuffer le, int at) {
        return switch (this) {
            case F32 -> le.getFloat(at);
            case F64 -> (float) le.getDouble(at);
            case F16 -> Float.float16ToFloat(le.getShort(at));
            case BF16 -> Float.intBitsToFloat((le.getShort(at) & 0xffff) << 16);
            case I64 -> le.getLong(at);
            case I32 -> le.getInt(at);
            case I16 -> le.getShort(at);
            case I8 -> le.get(at);
            case U8 -> le.get(at) & 0xff;
            case BOOL -> le.get(at) != 0 ? 1f : 0f;
        };
    }

    /**
     * Appends {@code v} to a little-endian buffer. F16 and BF16 round to nearest even (as
     * PyTorch's {@code .half()} and {@code .bfloat16()}); integer types and BOOL refuse a value
     * they cannot hold exactly.
     */
    public void put(ByteBuffer le, float v) {
        switch (this) {
            case F32 -> le.putFloat(v);
            case F64 -> le.putDouble(v);
            case F16 -> le.putShort(Float.floatToFloat16(v));
            case BF16 -> le.putShort(toBFloat16(v));
            case I64 -> le.putLong((long) integral(v, -0x1p63, 0x1p63));
            case I32 -> le.putInt((int) integral(v, -0x1p31, 0x1p31));
            case I16 -> le.putShort((short) integral(v, -0x1p15, 0x1p15));
            case I8 -> le.put((byte) integral(v, -0x1p7, 0x1p7));
            case U8 -> le.put((byte) integral(v, 0, 0x1p8));
            case BOOL -> le.put((byte) integral(v, 0, 2));
        }
    }

    private float integral(float v, double min, double maxExclusive) {
        if (v != Math.rint(v) || v < min || v >= maxExclusive) {
            throw new IllegalArgumentException(name() + " cannot hold the value " + v);
        }
        return v;
    }

    private static short toBFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
