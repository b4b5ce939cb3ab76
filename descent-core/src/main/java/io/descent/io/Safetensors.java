package io.descent.io;

import io.descent.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes safetensors files (https://github.com/huggingface/safetensors#format),
 * Descent's native weights format:
 *
 * <pre>
 * u64 little-endian N | N bytes of UTF-8 JSON header | data section (little-endian tensors)
 * </pre>
 *
 * <p>Reading never trusts the file: the header length is checked against the file size and
 * {@link SafetensorsHeader#MAX_HEADER_BYTES} before it is read, the whole header is validated
 * ({@link SafetensorsHeader}) before any tensor is allocated, and data is converted to float32
 * through a bounded buffer, so a file can never make Descent allocate more than the tensors its
 * data section really holds.
 *
 * <p>Writing is atomic ({@link AtomicFiles}): tensors in the map's order, contiguous from offset
 * 0, header padded with spaces to a multiple of 8 bytes, F32 unless a dtype is chosen per key.
 */
public final class Safetensors {
    private static final int CHUNK = 1 << 20;

    private Safetensors() {}

    /** All tensors of a file, in header order, converted to float32. */
    public static LinkedHashMap<String, Tensor> read(Path path) throws IOException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        read(path, e -> {
            Tensor t = Tensor.wrap(new float[e.numel()], e.shape());
            out.put(e.name(), t);
            return t.data();
        });
        return out;
    }

    /**
     * Reads each tensor of the file that {@code targets} holds under its name straight into that
     * tensor's array, converted to float32, without an array of its own: loading weights then
     * needs the model's memory only, not the model's and the file's. The caller has checked that
     * every shape matches ({@code Module.requireLoadable}); a mismatch here is refused.
     */
    public static void readInto(Path path, Map<String, Tensor> targets) throws IOException {
        read(path, e -> {
            Tensor t = targets.get(e.name());
            if (t == null) return null;
            if (!java.util.Arrays.equals(t.shape(), e.shape())) {
                throw new IllegalArgumentException(path + ": '" + e.name() + "' is " + io.descent.tensor.Shape.str(e.shape()) + ", its target " + io.descent.tensor.Shape.str(t.shape()));
            }
            return t.data();
        });
    }

    /** Reads every entry into the array {@code destination} gives for it (null: skip the entry). */
    private static void read(Path path, Function<SafetensorsHeader.Entry, float[]> destination) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long dataStart = dataStart(ch, path);
            SafetensorsHeader header = header(ch, path, dataStart);
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, ch.size() - dataStart)).order(ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsHeader.Entry e : header.entries()) {
                float[] data = destination.apply(e);
                if (data == null) continue;
                long at = dataStart + e.begin();
                int perChunk = CHUNK / e.dtype().size();
                for (int done = 0; done < e.numel(); ) {
                    int n = Math.min(perChunk, e.numel() - done);
                    chunk.clear().limit(n * e.dtype().size());
                    readFully(ch, chunk, at, path);
                    chunk.flip();
                    e.dtype().decode(chunk, data, done, n);
                    at += (long) n * e.dtype().size();
                    done += n;
                }
            }
        }
    }

    /** The validated header (tensor names, dtypes, shapes, offsets, metadata) without reading any tensor. */
    public static SafetensorsHeader readHeader(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return header(ch, path, dataStart(ch, path));
        }
    }

    /** Reads and checks the header length; returns where the data section starts. */
    private static long dataStart(FileChannel ch, Path path) throws IOException {
        long size = ch.size();
        if (size < 8) throw new WeightsFormatException(path + ": file is " + size + " bytes, too short for the 8-byte header length");
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, 0, path);
        long n = len.getLong(0);
        if (n < 0 || n > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new WeightsFormatException(path + ": header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + SafetensorsHeader.MAX_HEADER_BYTES + " bytes");
        }
        if (n > size - 8) {
            throw new WeightsFormatException(path + ": header length " + n + " exceeds the file (" + size + " bytes); is it truncated?");
        }
        return 8 + n;
    }

    private static SafetensorsHeader header(FileChannel ch, Path path, long dataStart) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate((int) (dataStart - 8));
        readFully(ch, raw, 8, path);
        return SafetensorsHeader.parse(raw.array(), ch.size() - dataStart, path.toString());
    }

    /** Fills {@code buf} from {@code position}; a file that ends early is truncated. */
    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path path) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position);
            if (n < 0) throw new WeightsFormatException(path + ": file ends early (truncated while reading)", new EOFException());
            position += n;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code tensors} as F32, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of(), key -> DType.F32);
    }

    /** Writes {@code tensors} as F32 with {@code __metadata__}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(path, tensors, metadata, key -> DType.F32);
    }

    /**
     * Writes {@code tensors} with {@code __metadata__}, storing each key in the type
     * {@code dtypeOf} names (e.g. I64 for {@code num_batches_tracked}); a value the type cannot
     * hold fails the write and leaves any previous file in place.
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata,
                             Function<String, DType> dtypeOf) throws IOException {
        List<Map.Entry<String, Tensor>> items = new ArrayList<>(tensors.entrySet());
        List<SafetensorsHeader.Entry> entries = new ArrayList<>(items.size());
        long offset = 0;
        for (Map.Entry<String, Tensor> item : items) {
            String name = item.getKey();
            if (name == null || name.equals(SafetensorsHeader.METADATA)) throw new IllegalArgumentException("invalid tensor name: " + name);
            DType dtype = dtypeOf.apply(name);
            if (dtype == null) throw new IllegalArgumentException("no dtype for tensor '" + name + "'");
            long bytes = (long) item.getValue().numel() * dtype.size();
            entries.add(new SafetensorsHeader.Entry(name, dtype, item.getValue().shape(), offset, offset + bytes));
            offset += bytes;
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (m.getKey() == null || m.getValue() == null) throw new IllegalArgumentException("metadata keys and values must not be null");
        }
        byte[] header = new SafetensorsHeader(entries, metadata).toBytes();
        AtomicFiles.write(path, out -> {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length);
            flush(buf, out);
            out.write(header);
            for (int i = 0; i < items.size(); i++) {
                DType dtype = entries.get(i).dtype();
                float[] data = items.get(i).getValue().data();
                for (float v : data) {
                    if (buf.remaining() < Long.BYTES) flush(buf, out);
                    try {
                        dtype.put(buf, v);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("tensor '" + items.get(i).getKey() + "': " + e.getMessage(), e);
                    }
                }
            }
            flush(buf, out);
        });
    }

    private static void flush(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
