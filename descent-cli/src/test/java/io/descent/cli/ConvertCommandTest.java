package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Pth;
import io.descent.io.Safetensors;
import io.descent.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    /** The PyTorch fixtures of descent-core (tools/golden/gen_pth.py); tests run in descent-cli/. */
    private static final Path FIXTURES = Cli.CORE_RESOURCES.resolve("io");

    @TempDir
    Path dir;



    private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).shape(), actual.get(k).shape(), k);
            assertArrayEquals(expected.get(k).data(), actual.get(k).data(), k);
        }
    }

    @Test
    void convertsAStateDictToSafetensors() throws IOException {
        Path in = FIXTURES.resolve("bn_state.pth"), out = dir.resolve("bn.safetensors");
        Cli.Run r = Cli.run("convert", in.toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("converted 9 tensors (96 values) from " + in + " to " + out, r.out().strip());
        assertSame(Pth.readStateDict(in), Safetensors.read(out));
        assertEquals(Map.of("format", "pt", "source", "bn_state.pth"), Safetensors.readHeader(out).metadata());
    }

    @Test
    void findsOrNamesTheStateDictOfACheckpoint() throws IOException {
        Path in = FIXTURES.resolve("checkpoint.pth"), out = dir.resolve("ck.safetensors");
        assertEquals(0, Cli.run("convert", in.toString(), out.toString()).code());
        assertSame(Pth.readStateDict(in), Safetensors.read(out));
        Files.delete(out);
        assertEquals(0, Cli.run("convert", "--key", "state_dict", in.toString(), out.toString()).code());
        assertSame(Pth.readStateDict(in), Safetensors.read(out));
    }

    @Test
    void refusesAHostileFileInOneLineAndWritesNothing() {
        Path in = FIXTURES.resolve("hostile_global.pth"), out = dir.resolve("x.safetensors");
        Cli.Run r = Cli.run("convert", in.toString(), out.toString());
        assertEquals(1, r.code());
        assertEquals("descent: " + in + ": pickle byte 2: unsupported pickle global posix.system", r.err().strip());
        assertFalse(Files.exists(out));
        Cli.Run missing = Cli.run("convert", dir.resolve("nope.pth").toString(), out.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("descent: ") && !missing.err().contains("\tat "), missing.err());
        assertEquals(2, Cli.run("convert", in.toString()).code());
    }
}
