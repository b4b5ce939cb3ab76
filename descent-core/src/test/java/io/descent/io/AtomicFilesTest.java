package io.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsAndReplaces() throws IOException {
        Path p = dir.resolve("ckpt.bin");
        AtomicFiles.write(p, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(p, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(p));
        assertEquals(List.of("ckpt.bin"), files());
    }

    @Test
    void aWriterFailingMidwayLeavesTheOldFileAndNoTemporary() throws IOException {
        Path p = dir.resolve("ckpt.bin");
        Files.writeString(p, "old content");
        IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
            out.write(new byte[200_000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", io.getMessage());
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(p, out -> {
            out.write(new byte[10]);
            throw new UncheckedIOException(new IOException("stream broke"));
        }));
        assertEquals("old content", Files.readString(p));
        assertEquals(List.of("ckpt.bin"), files());
    }

    @Test
    void aFailingSafetensorsWriteKeepsThePreviousWeights() throws IOException {
        Path p = dir.resolve("w.safetensors");
        Map<String, Tensor> good = Map.of("a", Tensor.of(1, 2, 3));
        Safetensors.write(p, good);
        byte[] before = Files.readAllBytes(p);
        LinkedHashMap<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("a", Tensor.zeros(100_000));
        bad.put("b", Tensor.of(1, 0.5f));
        // "a" is written, then "b" cannot be stored as I64: the write fails midway
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(p, bad, Map.of(), k -> DType.I64));
        assertEquals("tensor 'b': I64 cannot hold the value 0.5", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("w.safetensors"), files());
    }
}
