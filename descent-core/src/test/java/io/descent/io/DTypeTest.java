package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DTypeTest {
    @Test
    void namesMatchSafetensorsTorchAndStorageClasses() {
        assertEquals(DType.BF16, DType.ofSafetensors("BF16"));
        assertEquals(null, DType.ofSafetensors("F8_E4M3"));
        assertEquals(DType.I64, DType.ofStorage("LongStorage"));
        assertEquals(DType.F16, DType.ofTorch("float16"));
        assertEquals(null, DType.ofStorage("QInt8Storage"));
    }

    @Test
    void halfAndBfloat16RoundTripAndRoundToNearestEven() {
        float[] in = {0f, -0f, 1f, -2.5f, 256f, Float.POSITIVE_INFINITY, 1f / 3};
        for (DType t : new DType[] {DType.F16, DType.BF16}) {
            ByteBuffer b = ByteBuffer.allocate(in.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : in) t.put(b, v);
            float[] out = new float[in.length];
            t.decode(b.flip(), out, 0, out.length);
            for (int i = 0; i < 6; i++) assertEquals(Float.floatToIntBits(in[i]), Float.floatToIntBits(out[i]), t + " " + in[i]);
        }
        // 1/3 = 0x3EAAAAAB: bfloat16 keeps 0x3EAB (round up), float16 0x3555
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        DType.BF16.put(b, 1f / 3);
        DType.F16.put(b, 1f / 3);
        assertEquals((short) 0x3EAB, b.getShort(0));
        assertEquals((short) 0x3555, b.getShort(2));
        // ties go to even: 1 + 2^-8 lies halfway between two bfloat16 values
        b.clear();
        DType.BF16.put(b, 1f + 0x1p-8f);
        assertEquals((short) 0x3F80, b.getShort(0));
    }

    @Test
    void integersAndBoolConvertAndRefuseWhatTheyCannotHold() {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        DType.I64.put(b, -7f);
        DType.I32.put(b, 123456f);
        DType.U8.put(b, 255f);
        DType.BOOL.put(b, 1f);
        float[] out = new float[4];
        b.flip();
        DType.I64.decode(b, out, 0, 1);
        DType.I32.decode(b, out, 1, 1);
        DType.U8.decode(b, out, 2, 1);
        DType.BOOL.decode(b, out, 3, 1);
        assertArrayEquals(new float[] {-7, 123456, 255, 1}, out);
        assertEquals("I64 cannot hold the value 0.5", assertThrows(IllegalArgumentException.class, () -> DType.I64.put(b.clear(), 0.5f)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DType.U8.put(b.clear(), 256f));
        assertThrows(IllegalArgumentException.class, () -> DType.BOOL.put(b.clear(), 2f));
        assertThrows(IllegalArgumentException.class, () -> DType.I32.put(b.clear(), Float.NaN));
    }

    @Test
    void getReadsAbsoluteElements() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-3);
        assertEquals(0.1f, DType.F64.get(b, 0));
        assertEquals(-3f, DType.F64.get(b, 8));
    }
}
