package io.descent.io;

import static io.descent.io.Fixtures.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static LinkedHashMap<String, Tensor> sample() {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("layer4.1.bn2.running_var", Tensor.rand(new Rng(1), 2, 3, 4));
        m.put("fc.bias", Tensor.of(Float.intBitsToFloat(0x7fc12345), -0f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, 1e-40f));
        m.put("num_batches_tracked", Tensor.scalar(7));
        m.put("empty", Tensor.zeros(0, 3));
        m.put("ünïcode \"key\"", Tensor.of(1, 2));
        return m;
    }

    @Test
    void roundTripIsBitIdenticalWithMetadataAndKeyOrder() throws IOException {
        Path p = dir.resolve("w.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "quotes \" and\nnewlines ✓");
        LinkedHashMap<String, Tensor> in = sample();
        Safetensors.write(p, in, meta);
        assertSameTensors(in, Safetensors.read(p));
        SafetensorsHeader h = Safetensors.readHeader(p);
        assertEquals(meta, h.metadata());
        assertEquals(List.copyOf(in.keySet()), h.entries().stream().map(SafetensorsHeader.Entry::name).toList());
        byte[] bytes = Files.readAllBytes(p);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        assertEquals(8 + headerLen + 4L * (24 + 5 + 1 + 0 + 2), bytes.length);
        assertTrue(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8).startsWith("{\"__metadata__\":{\"format\":\"pt\""));
    }

    @Test
    void writesOtherDtypesWhenAsked() throws IOException {
        Path p = dir.resolve("d.safetensors");
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", Tensor.of(0.5f, -1.25f));
        in.put("bn.num_batches_tracked", Tensor.scalar(12));
        Safetensors.write(p, in, Map.of(), k -> k.endsWith("num_batches_tracked") ? DType.I64 : DType.BF16);
        assertEquals(List.of(DType.BF16, DType.I64), Safetensors.readHeader(p).entries().stream().map(SafetensorsHeader.Entry::dtype).toList());
        assertSameTensors(in, Safetensors.read(p));
    }

    @Test
    void readsPytorchWrittenNativeDtypes() throws IOException {
        Path p = Fixtures.copy("native_dtypes.safetensors", dir);
        assertSameTensors(Fixtures.expected("dtypes", dir), Safetensors.read(p));
        SafetensorsHeader h = Safetensors.readHeader(p);
        assertEquals("tools/golden/gen_pth.py", h.metadata().get("producer"));
        assertEquals(DType.BF16, h.entries().get(1).dtype());
        assertTrue(h.entries().get(0).begin() > h.entries().get(1).begin(), "fixture stores data in reverse header order");
    }

    @Test
    void pthToSafetensorsRoundTripIsBitIdentical() throws IOException {
        LinkedHashMap<String, Tensor> sd = Pth.readStateDict(Fixtures.copy("bn_state.pth", dir));
        Path p = dir.resolve("bn.safetensors");
        Safetensors.write(p, sd);
        assertSameTensors(sd, Safetensors.read(p));
    }

    // ---------------------------------------------------------------- hostile files

    /** A file with the given header length field, header text and data section size. */
    private Path file(long headerLength, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private Path file(String header, int dataBytes) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private static String refusal(Path p) {
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.getMessage().substring(p.toString().length() + 2);
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void refusesTruncatedFiles() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, sample());
        byte[] all = Files.readAllBytes(good);
        Path p = dir.resolve("cut.safetensors");
        Files.write(p, java.util.Arrays.copyOf(all, all.length - 4));
        assertEquals("tensor 'ünïcode \"key\"': data_offsets [120, 128] exceed the data section (124 bytes)", refusal(p));
        Files.write(p, java.util.Arrays.copyOf(all, 40));
        assertTrue(refusal(p).matches("header length \\d+ exceeds the file \\(40 bytes\\); is it truncated\\?"), refusal(p));
        Files.write(p, new byte[] {1, 2, 3});
        assertEquals("file is 3 bytes, too short for the 8-byte header length", refusal(p));
    }

    @Test
    void refusesHeaderLengthsBeforeReadingTheHeader() throws IOException {
        assertEquals("header length 9223372036854775808 exceeds the limit of 100000000 bytes", refusal(file(Long.MIN_VALUE, "{}", 0)));
        assertEquals("header length 18446744073709551615 exceeds the limit of 100000000 bytes", refusal(file(-1L, "{}", 0)));
        assertEquals("header length 100000001 exceeds the limit of 100000000 bytes", refusal(file(100_000_001L, "{}", 0)));
        // under the cap but larger than the file: refused before a 99 MB buffer is allocated
        assertEquals("header length 99999999 exceeds the file (10 bytes); is it truncated?", refusal(file(99_999_999L, "{}", 0)));
    }

    @Test
    void refusesHugeDeclaredShapesWithoutAllocating() throws IOException {
        assertEquals("tensor 'w': dimension 2147483648 of shape [2147483648, 2147483648] exceeds 2147483639",
                refusal(file("{" + tensor("w", "F32", "[2147483648,2147483648]", 0, 8) + "}", 8)));
        assertEquals("tensor 'w': shape [65536, 65536, 65536, 65536, 65536] has more than 2147483639 elements",
                refusal(file("{" + tensor("w", "F32", "[65536,65536,65536,65536,65536]", 0, 8) + "}", 8)));
        assertEquals("tensor 'w': dimension 9223372036854775807 of shape [0, 9223372036854775807] exceeds 2147483639",
                refusal(file("{" + tensor("w", "F32", "[0,9223372036854775807]", 0, 0) + "}", 0)));
        // a legal element count whose bytes the file does not hold
        assertEquals("tensor 'w': data_offsets [0, 8000000000] exceed the data section (8 bytes)",
                refusal(file("{" + tensor("w", "F32", "[2000000000]", 0, 8_000_000_000L) + "}", 8)));
    }

    @Test
    void refusesBadOffsets() throws IOException {
        assertEquals("tensor 'b': data_offsets [8, 24] exceed the data section (16 bytes)",
                refusal(file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[4]", 8, 24) + "}", 16)));
        assertEquals("tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]",
                refusal(file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12)));
        assertEquals("tensor 'a': data_offsets [0, 8] hold 8 bytes but F32 [3] needs 12",
                refusal(file("{" + tensor("a", "F32", "[3]", 0, 8) + "}", 8)));
        assertEquals("data section bytes [0, 4) belong to no tensor",
                refusal(file("{" + tensor("a", "F32", "[1]", 4, 8) + "}", 8)));
        assertEquals("data section bytes [8, 12) belong to no tensor",
                refusal(file("{" + tensor("a", "F32", "[2]", 0, 8) + "}", 12)));
        assertEquals("tensor 'a': \"data_offsets\" is not [BEGIN, END] with 0 <= BEGIN <= END",
                refusal(file("{" + tensor("a", "F32", "[0]", 8, 4) + "}", 8)));
        assertEquals("tensor 'a': \"data_offsets\" is not [BEGIN, END] with 0 <= BEGIN <= END",
                refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8)));
        assertEquals("tensor 'a': \"data_offsets\" is not [BEGIN, END] with 0 <= BEGIN <= END",
                refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}", 8)));
    }

    @Test
    void refusesBadEntries() throws IOException {
        assertEquals("tensor 'a': unsupported dtype 'F8_E4M3' (Descent reads [F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL])",
                refusal(file("{" + tensor("a", "F8_E4M3", "[1]", 0, 1) + "}", 1)));
        assertEquals("tensor 'a': \"shape\" is not a list of non-negative integers",
                refusal(file("{" + tensor("a", "F32", "[-1]", 0, 0) + "}", 0)));
        assertEquals("tensor 'a': \"shape\" is not a list of non-negative integers",
                refusal(file("{" + tensor("a", "F32", "[1.5]", 0, 4) + "}", 4)));
        assertEquals("tensor 'a': missing or non-string \"dtype\"",
                refusal(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("tensor 'a': unknown field 'extra'",
                refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4)));
        assertEquals("tensor 'a': entry is not an object", refusal(file("{\"a\":[1]}", 0)));
        assertEquals("__metadata__ value of 'k' is not a string", refusal(file("{\"__metadata__\":{\"k\":1}}", 0)));
    }

    @Test
    void refusesHeadersThatAreNotJsonObjects() throws IOException {
        assertEquals("header is not valid JSON: expected a string key at offset 1", refusal(file("{not json}", 0)));
        assertEquals("header is not valid JSON: duplicate key 'a' at offset 54",
                refusal(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8)));
        assertEquals("header is not valid JSON: nesting deeper than 3 at offset 15", refusal(file("{\"a\":{\"shape\":[[1]]}}", 0)));
        assertEquals("header is not a JSON object", refusal(file("[]      ", 0)));
        Path p = dir.resolve("utf.safetensors");
        Files.write(p, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(4).put(new byte[] {'{', (byte) 0xff, '}', ' '}).array());
        assertEquals("header is not valid UTF-8", refusal(p));
    }

    @Test
    void hostileNamesAreClippedInMessages() throws IOException {
        String name = "n".repeat(1_000_000);
        String message = refusal(file("{" + tensor(name, "F32", "[3]", 0, 8) + "}", 8));
        assertEquals("tensor '" + "n".repeat(200) + "...': data_offsets [0, 8] hold 8 bytes but F32 [3] needs 12", message);
    }

    @Test
    void emptyFileOfTensorsIsValid() throws IOException {
        Path p = dir.resolve("empty.safetensors");
        Safetensors.write(p, Map.of());
        assertTrue(Safetensors.read(p).isEmpty());
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, Files.readAllBytes(p));
    }
}
