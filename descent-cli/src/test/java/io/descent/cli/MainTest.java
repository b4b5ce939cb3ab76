package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MainTest {


    @Test
    void versionNamesTheProject() {
        Cli.Run r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("descent 0."), r.out());
    }

    @Test
    void demoLearnsTheSpirals() {
        Cli.Run r = Cli.run("demo", "--epochs", "15", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        String last = r.out().lines().filter(l -> l.startsWith("done")).findFirst().orElseThrow();
        double acc = Double.parseDouble(last.replaceAll(".*accuracy ([0-9.]+)%.*", "$1"));
        assertTrue(acc > 85, "spirals should be learned well above chance (33%): " + last);
    }

    @Test
    void badInputIsOneLineWithoutStackTrace() {
        Cli.Run r = Cli.run("demo", "--lr", "-1");
        assertEquals(1, r.code());
        assertEquals("descent: --lr must be a positive number, got -1.0", r.err().strip());
        Cli.Run u = Cli.run("demo", "--nope");
        assertEquals(2, u.code());
        assertTrue(u.err().startsWith("descent: Unknown option: '--nope'"), u.err());
        Supplier<String> noTrace = () -> r.err() + u.err();
        assertTrue(!noTrace.get().contains("\tat "), "no stack trace without --debug");
    }

    @Test
    void numbersPrintTheSameInEveryLocale(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.util.Locale before = java.util.Locale.getDefault(java.util.Locale.Category.FORMAT);
        try {
            java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, java.util.Locale.GERMANY); // a decimal comma
            Cli.Run r = Cli.run("train", "--model", "mlp", "--max-steps", "1", "--batch", "16", "--runs-dir", dir.toString(), "--run", "l");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().matches("(?s).*done in \\d+\\.\\d s: val_loss \\d\\.\\d{4} .*"), r.out());
        } finally {
            java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, before);
        }
    }

    @Test
    void aMissingFileIsNamedAsMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String nope = dir.resolve("nope.pth").toString();
        Cli.Run r = Cli.run("convert", nope, dir.resolve("out.safetensors").toString());
        assertEquals(1, r.code());
        assertEquals("descent: no such file: " + nope, r.err().strip());
    }
}
