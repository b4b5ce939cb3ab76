package io.descent.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files, the format of MNIST and Fashion-MNIST (LeCun et al.): two zero bytes,
 * a type byte (0x08 = unsigned byte, the only type these data sets use), the number of
 * dimensions, the dimensions as big-endian int32, then the values row-major. Raw or gzip
 * (recognised by its magic bytes, not by the file name).
 *
 * <p>A file is not trusted: the header is checked, and the size it declares is checked
 * against the file before anything is allocated (raw: the exact file length; gzip: the
 * length in the gzip trailer, and at most the 1032:1 that deflate can compress).
 */
public final class Idx {
    /** The dimensions and values of an unsigned-byte IDX file. */
    public record Array(int[] dims, byte[] data) {
        @Override
        public int[] dims() {
            return dims.clone();
        }
    }

    private static final int TYPE_UBYTE = 0x08;
    private static final int MAX_DIMS = 8;
    private static final long DEFLATE_MAX_RATIO = 1032;

    private Idx() {}

    /** Reads an unsigned-byte IDX file, raw or gzip; errors name the file and what is wrong. */
    public static Array read(Path file) {
        try {
            long fileLength = Files.size(file);
            boolean gzip = isGzip(file);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                 DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                int[] dims = readHeader(file, in);
                long header = 4L + 4L * dims.length;
                long payload = 1;
                for (int d : dims) payload *= d;
                if (payload > Integer.MAX_VALUE - 64) throw bad(file, "declares " + payload + " values, more than a Java array holds");
                long declared = header + payload;
                if (gzip) {
                    long trailer = gzipTrailerSize(file, fileLength);
                    if (trailer != (declared & 0xFFFFFFFFL)) {
                        throw bad(file, "header declares " + declared + " bytes but the gzip trailer says " + trailer + " (truncated or corrupt)");
                    }
                    if (declared > DEFLATE_MAX_RATIO * fileLength) throw bad(file, "header declares " + declared + " bytes, more than " + fileLength + " compressed bytes can hold");
                } else if (declared != fileLength) {
                    throw bad(file, "header declares " + Arrays.toString(dims) + " = " + declared + " bytes but the file has " + fileLength
                            + (declared > fileLength ? " (truncated)" : " (trailing bytes)"));
                }
                byte[] data = new byte[(int) payload];
                int got;
                try {
                    got = in.readNBytes(data, 0, data.length);
                } catch (EOFException e) {
                    got = -1;
                }
                if (got != data.length) throw bad(file, "truncated: fewer than the " + payload + " values its header declares");
                if (in.read() != -1) throw bad(file, "has bytes after the " + payload + " values its header declares");
                return new Array(dims, data);
            }
        } catch (java.util.zip.ZipException e) {
            throw bad(file, "is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("IDX " + file + ": " + e.getMessage(), e);
        }
    }

    private static int[] readHeader(Path file, DataInputStream in) throws IOException {
        try {
            return parseHeader(file, in);
        } catch (EOFException e) {
            throw bad(file, "truncated inside the header");
        }
    }

    private static int[] parseHeader(Path file, DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte(), type = in.readUnsignedByte(), n = in.readUnsignedByte();
        if (b0 != 0 || b1 != 0) throw bad(file, String.format("bad magic number 0x%02X%02X%02X%02X: an IDX file starts with two zero bytes", b0, b1, type, n));
        if (type != TYPE_UBYTE) throw bad(file, String.format("has element type 0x%02X; only unsigned byte (0x08) is supported", type));
        if (n < 1 || n > MAX_DIMS) throw bad(file, "declares " + n + " dimensions (1 to " + MAX_DIMS + " supported)");
        int[] dims = new int[n];
        for (int i = 0; i < n; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) throw bad(file, "declares a negative dimension " + dims[i]);
        }
        return dims;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        }
    }

    /** ISIZE, the last four bytes of a gzip member: the uncompressed length modulo 2^32. */
    private static long gzipTrailerSize(Path file, long length) throws IOException {
        if (length < 18) throw bad(file, "is too short to be gzip (" + length + " bytes)");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(length - 4);
            int b0 = f.read(), b1 = f.read(), b2 = f.read(), b3 = f.read();
            return (b0 | b1 << 8 | b2 << 16 | (long) b3 << 24) & 0xFFFFFFFFL;
        }
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException("IDX " + file + ": " + what);
    }
}
