package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));

    @TempDir
    Path dir;

    /**
     * Bytes computed by an independent Python script (bitwise CRC-32C, hand-rolled protobuf):
     * the version event and {@code scalar("loss", 0.25, 42)} at wall time 1700000000.5.
     */
    private static final String GOLDEN_VERSION = "1800000000000000a37f4b220900002040fc54d9411a0d627261696e2e4576656e743a322b353110";
    private static final String GOLDEN_SCALAR = "1a00000000000000129bd82d0900002040fc54d941102a2a0d0a0b0a046c6f7373150000803e8693daf7";

    @Test
    void crc32cAndItsMaskMatchTheReferenceValues() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes());
        assertEquals(0xE3069283L, crc.getValue(), "the CRC-32C check value");
        byte[] data = "123456789".getBytes();
        int c = 0xE3069283;
        assertEquals(((c >>> 15) | (c << 17)) + 0xa282ead8, TfRecord.maskedCrc32c(data, 0, data.length));
    }

    @Test
    void writesExactlyTheBytesOfTheIndependentEncoder() throws IOException {
        Path file;
        try (TensorBoardWriter w = TensorBoardWriter.create(dir, CLOCK)) {
            w.scalar("loss", 0.25, 42);
            file = w.file();
        }
        assertEquals(GOLDEN_VERSION + GOLDEN_SCALAR, HexFormat.of().formatHex(Files.readAllBytes(file)));
    }

    @Test
    void fileNameIsTensorBoardsAndTwoWritersInOneSecondDoNotCollide() throws IOException {
        try (TensorBoardWriter a = TensorBoardWriter.create(dir, CLOCK); TensorBoardWriter b = TensorBoardWriter.create(dir, CLOCK)) {
            String name = a.file().getFileName().toString();
            assertTrue(name.matches("events\\.out\\.tfevents\\.1700000000\\.[A-Za-z0-9._-]+"), name);
            assertNotEquals(a.file(), b.file());
            assertTrue(b.file().getFileName().toString().startsWith(name), b.file().toString());
            assertEquals(List.of(a.file(), b.file()), TensorBoardReader.eventFiles(dir));
        }
    }

    @Test
    void roundTripsTagsStepsWallTimesAndNonFiniteValues() throws IOException {
        Path file;
        try (TensorBoardWriter w = TensorBoardWriter.create(dir, CLOCK)) {
            w.scalar("train/loss", 2.302585, 0);
            w.scalar("lr", 1e-3, 1);
            w.scalar("val_acc", 0.875, 1_000_000_000_000L);
            w.scalar("grad_norm", Double.NaN, 7);
            w.scalar("loss", Double.POSITIVE_INFINITY, 8);
            w.scalar("tag with ünïcode", -1.5, 9);
            w.flush();
            file = w.file();
        }
        List<ScalarEvent> got = TensorBoardReader.readScalars(file);
        assertEquals(List.of(
                new ScalarEvent("train/loss", 0, 1_700_000_000.5, 2.302585f),
                new ScalarEvent("lr", 1, 1_700_000_000.5, 1e-3f),
                new ScalarEvent("val_acc", 1_000_000_000_000L, 1_700_000_000.5, 0.875f),
                new ScalarEvent("grad_norm", 7, 1_700_000_000.5, Float.NaN),
                new ScalarEvent("loss", 8, 1_700_000_000.5, Float.POSITIVE_INFINITY),
                new ScalarEvent("tag with ünïcode", 9, 1_700_000_000.5, -1.5f)), got);
    }

    @Test
    void framesCarryCheckedLengthAndDataCrcs() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = EventProto.scalar(12.0, 3, "x", 1f);
        TfRecord.write(out, payload);
        byte[] framed = out.toByteArray();
        assertEquals(payload.length + TfRecord.OVERHEAD, framed.length);
        assertArrayEquals(payload, TfRecord.read(new ByteArrayInputStream(framed)));
        assertNull(TfRecord.read(new ByteArrayInputStream(new byte[0])));

        byte[] badLength = framed.clone();
        badLength[9] ^= 1; // inside the length CRC
        assertTrue(assertThrows(IOException.class, () -> TfRecord.read(new ByteArrayInputStream(badLength))).getMessage().contains("length CRC"));
        byte[] badData = framed.clone();
        badData[14] ^= 1; // inside the data
        assertTrue(assertThrows(IOException.class, () -> TfRecord.read(new ByteArrayInputStream(badData))).getMessage().contains("data CRC"));
    }

    @Test
    void aCorruptFileIsRefusedNamingTheRecordAndATornTailIsDropped() throws IOException {
        Path file;
        try (TensorBoardWriter w = TensorBoardWriter.create(dir, CLOCK)) {
            for (int i = 0; i < 5; i++) w.scalar("loss", i, i);
            file = w.file();
        }
        byte[] bytes = Files.readAllBytes(file);
        Path torn = dir.resolve("torn");
        Files.write(torn, Arrays.copyOf(bytes, bytes.length - 7));
        assertEquals(4, TensorBoardReader.readScalars(torn).size(), "the cut record ends the file");

        bytes[bytes.length - 6] ^= 0x40; // a bit of the last record's value
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> TensorBoardReader.readScalars(file));
        assertTrue(e.getMessage().contains("record 5") && e.getMessage().contains("CRC"), e.getMessage());

        Path notEvents = dir.resolve("not-events");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecord.write(out, EventProto.scalar(1, 1, "x", 1));
        Files.write(notEvents, out.toByteArray());
        assertTrue(assertThrows(IOException.class, () -> TensorBoardReader.readScalars(notEvents)).getMessage().contains("not a TensorBoard event file"));
    }

    @Test
    void refusesNullAndEmptyTagsNegativeStepsAndWritesAfterClose() throws IOException {
        TensorBoardWriter w = TensorBoardWriter.create(dir, CLOCK);
        assertThrows(NullPointerException.class, () -> w.scalar(null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> w.scalar("", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> w.scalar("loss", 1, -1));
        w.close();
        w.close();
        assertThrows(IllegalStateException.class, () -> w.scalar("loss", 1, 1));
        assertEquals(List.of(), TensorBoardReader.readScalars(w.file()));
    }

    @Test
    void aRestartMarkMakesTheRunForgetLaterPointsOfEarlierFiles() throws IOException {
        try (TensorBoardWriter first = TensorBoardWriter.create(dir, InstantSource.fixed(Instant.ofEpochSecond(1000)))) {
            for (int s = 0; s < 10; s++) first.scalar("loss", 10 - s, s);
            first.scalar("val_acc", 0.5, 9);
        }
        try (TensorBoardWriter second = TensorBoardWriter.create(dir, InstantSource.fixed(Instant.ofEpochSecond(2000)))) {
            second.restartAt(6);
            second.scalar("loss", 99, 6);
        }
        List<ScalarEvent> run = TensorBoardReader.readRun(dir);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), run.stream().filter(e -> e.tag().equals("loss")).map(ScalarEvent::step).toList());
        assertEquals(99f, run.getLast().value());
        assertTrue(run.stream().noneMatch(e -> e.tag().equals("val_acc")), "the val_acc at step 9 is forgotten too");
        int written = 0;
        for (Path f : TensorBoardReader.eventFiles(dir)) written += TensorBoardReader.readScalars(f).size();
        assertEquals(12, written, "readScalars shows each file as written");
    }
}
