package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MainTest {
    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void versionNamesTheProject() {
        Run r = run("--version");
        assertEquals(0, r.code);
        assertTrue(r.out.startsWith("descent 0."), r.out);
    }

    @Test
    void demoLearnsTheSpirals() {
        Run r = run("demo", "--epochs", "15", "--seed", "3");
        assertEquals(0, r.code, r.err);
        String last = r.out.lines().filter(l -> l.startsWith("done")).findFirst().orElseThrow();
        double acc = Double.parseDouble(last.replaceAll(".*accuracy ([0-9.]+)%.*", "$1"));
        assertTrue(acc > 85, "spirals should be learned well above chance (33%): " + last);
    }

    @Test
    void badInputIsOneLineWithoutStackTrace() {
        Run r = run("demo", "--lr", "-1");
        assertEquals(1, r.code);
        assertEquals("descent: --lr must be a positive number, got -1.0", r.err.strip());
        Run u = run("demo", "--nope");
        assertEquals(2, u.code);
        assertTrue(u.err.startsWith("descent: Unknown option: '--nope'"), u.err);
        Supplier<String> noTrace = () -> r.err + u.err;
        assertTrue(!noTrace.get().contains("\tat "), "no stack trace without --debug");
    }
}
