package io.descent.log;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The TFRecord framing that TensorBoard event files use (TensorFlow's
 * {@code tensorflow/core/lib/io/record_writer.h}): each record is
 *
 * <pre>
 * uint64 length                     little-endian
 * uint32 masked_crc32c(length)      of the 8 length bytes
 * byte   data[length]
 * uint32 masked_crc32c(data)
 * </pre>
 *
 * The CRC is CRC-32C (Castagnoli), masked as in {@code tensorflow/core/lib/hash/crc32c.h}:
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}, so that a CRC computed over data that
 * itself contains CRCs does not degenerate.
 */
public final class TfRecord {
    /** Added to the rotated CRC by {@link #maskedCrc32c}. */
    static final int MASK_DELTA = 0xa282ead8;
    /** Bytes of framing around each record's data. */
    static final int OVERHEAD = 8 + 4 + 4;
    /** Largest record {@link #read} accepts; a scalar event is well under a kilobyte. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private TfRecord() {}

    /** The masked CRC-32C of {@code len} bytes of {@code data} from {@code off}. */
    public static int maskedCrc32c(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** Writes one framed record. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(data.length);
        head.putInt(maskedCrc32c(head.array(), 0, 8));
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(maskedCrc32c(data, 0, data.length));
        out.write(head.array());
        out.write(data);
        out.write(tail.array());
    }

    /**
     * Reads the next record's data, checking both CRCs; {@code null} at a clean end of the
     * stream. A record cut short (a writer that died mid-record) is an {@link EOFException};
     * a CRC mismatch or an absurd length is an {@link IOException} naming what is wrong.
     */
    public static byte[] read(InputStream in) throws IOException {
        byte[] head = new byte[12];
        int got = in.readNBytes(head, 0, head.length);
        if (got == 0) return null;
        if (got < head.length) throw new EOFException("truncated record header (" + got + " of 12 bytes)");
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong(0);
        if (h.getInt(8) != maskedCrc32c(head, 0, 8)) throw new IOException("corrupt record: length CRC mismatch");
        if (length < 0 || length > MAX_RECORD_BYTES) throw new IOException("corrupt record: length " + Long.toUnsignedString(length));
        byte[] data = in.readNBytes((int) length);
        byte[] crc = in.readNBytes(4);
        if (data.length < length || crc.length < 4) throw new EOFException("truncated record (" + length + " data bytes announced)");
        if (ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc32c(data, 0, data.length)) {
            throw new IOException("corrupt record: data CRC mismatch");
        }
        return data;
    }
}
