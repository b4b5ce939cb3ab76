package io.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with the given dimensions, values 0, 1, 2, ... (mod 256). */
    static byte[] idx(int... dims) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < n; i++) b.put((byte) i);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzipAlike() throws IOException {
        byte[] raw = idx(3, 4, 5);
        Path a = Files.write(dir.resolve("a-idx3-ubyte"), raw), b = Files.write(dir.resolve("b-idx3-ubyte.gz"), gzip(raw));
        for (Path p : new Path[] {a, b}) {
            Idx.Array arr = Idx.read(p);
            assertArrayEquals(new int[] {3, 4, 5}, arr.dims());
            assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), arr.data());
        }
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        Path p = Files.write(dir.resolve("labels-without-extension"), gzip(idx(7)));
        assertArrayEquals(new int[] {7}, Idx.read(p).dims());
    }

    @Test
    void badMagicIsRefused() throws IOException {
        byte[] raw = idx(2, 2);
        raw[0] = 0x12;
        Path p = Files.write(dir.resolve("bad"), raw);
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("bad magic number 0x12000802"), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void otherElementTypesAreRefused() throws IOException {
        byte[] raw = idx(2, 2);
        raw[2] = 0x0D;
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(Files.write(dir.resolve("f"), raw)));
        assertTrue(e.getMessage().contains("element type 0x0D"), e.getMessage());
    }

    @Test
    void truncatedRawFileIsRefusedBeforeAllocating() throws IOException {
        byte[] raw = idx(10, 28, 28);
        Path p = Files.write(dir.resolve("t"), Arrays.copyOf(raw, raw.length - 100));
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("declares [10, 28, 28] = 7856 bytes but the file has 7756 (truncated)"), e.getMessage());
    }

    @Test
    void hugeDeclaredSizeIsRefusedWithoutAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + 10);
        b.put(new byte[] {0, 0, 8, 3}).putInt(60000).putInt(28000).putInt(28000);
        Path p = Files.write(dir.resolve("huge"), b.array());
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("more than a Java array holds"), e.getMessage());
    }

    @Test
    void trailingBytesAndTruncatedHeadersAreRefused() throws IOException {
        byte[] raw = idx(4);
        var trailing = assertThrows(IllegalArgumentException.class, () -> Idx.read(Files.write(dir.resolve("x"), Arrays.copyOf(raw, raw.length + 3))));
        assertTrue(trailing.getMessage().contains("(trailing bytes)"), trailing.getMessage());
        var header = assertThrows(IllegalArgumentException.class, () -> Idx.read(Files.write(dir.resolve("h"), Arrays.copyOf(raw, 6))));
        assertTrue(header.getMessage().contains("truncated inside the header"), header.getMessage());
    }

    @Test
    void truncatedGzipIsRefused() throws IOException {
        byte[] gz = gzip(idx(50, 20));
        Path p = Files.write(dir.resolve("t.gz"), Arrays.copyOf(gz, gz.length - 30));
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("IDX " + p), e.getMessage());
        Path q = Files.write(dir.resolve("u.gz"), Arrays.copyOf(gzip(idx(50, 20)), 40));
        assertThrows(IllegalArgumentException.class, () -> Idx.read(q));
    }
}
