package io.descent.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds pickles opcode by opcode and torch.save-style zips around them, for hostile-file tests. */
final class TorchZip {
    private final ByteArrayOutputStream pkl = new ByteArrayOutputStream();
    private final Map<String, byte[]> storages = new LinkedHashMap<>();
    private final Map<String, byte[]> extras = new LinkedHashMap<>();
    private boolean compressStorages;

    TorchZip op(int... bytes) {
        for (int b : bytes) pkl.write(b);
        return this;
    }

    TorchZip proto() {
        return op(0x80, 2);
    }

    TorchZip str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        pkl.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        pkl.writeBytes(b);
        return this;
    }

    /** LONG1 with 8 bytes: any long. */
    TorchZip integer(long v) {
        op(0x8a, 8);
        pkl.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    TorchZip global(String module, String name) {
        op('c');
        pkl.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    TorchZip ints(long... values) {
        op('(');
        for (long v : values) integer(v);
        return op('t');
    }

    /** _rebuild_tensor_v2(storage(key), offset, size, stride, False, OrderedDict()) on the stack. */
    TorchZip tensor(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel).op('t', 'Q');
        integer(offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    /** A one-tensor state_dict {name: tensor} pickle, complete with STOP. */
    static TorchZip stateDict(String name, String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        return new TorchZip().proto().op('}', '(').str(name).tensor(storageClass, key, numel, offset, size, stride).op('u', '.');
    }

    TorchZip storage(String key, byte[] data) {
        storages.put(key, data);
        return this;
    }

    TorchZip floats(String key, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return storage(key, b.array());
    }

    /** Another entry {@code folder/name}, e.g. PyTorch 2.1's {@code byteorder}. */
    TorchZip entry(String name, String content) {
        extras.put(name, content.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    TorchZip compressStorages() {
        compressStorages = true;
        return this;
    }

    byte[] pickle() {
        return pkl.toByteArray();
    }

    /** Writes {@code folder/data.pkl}, {@code folder/data/KEY} and {@code folder/version}. */
    Path write(Path file) throws IOException {
        String folder = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            put(z, folder + "/data.pkl", pickle(), false);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) put(z, folder + "/data/" + e.getKey(), e.getValue(), compressStorages);
            put(z, folder + "/version", "3\n".getBytes(StandardCharsets.US_ASCII), false);
            for (Map.Entry<String, byte[]> e : extras.entrySet()) put(z, folder + "/" + e.getKey(), e.getValue(), false);
        }
        return file;
    }

    static void put(ZipOutputStream z, String name, byte[] data, boolean deflate) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (!deflate) {
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
