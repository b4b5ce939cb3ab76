package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;

/**
 * Runs a test's checks in a child JVM whose vectors are capped at {@code bits}
 * ({@code -XX:MaxVectorSize}), so that code written in terms of the species length is also
 * exercised at the widths this machine's preferred species does not use.
 */
final class VectorWidthChild {
    private VectorWidthChild() {}

    /** Runs {@code main.main(bits)} in the child; passes when it exits 0 having printed {@code done}. */
    static void run(Class<?> main, int bits, String done) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-XX:MaxVectorSize=" + bits / 8,
                "--add-modules", "jdk.incubator.vector", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), main.getName(), String.valueOf(bits)));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(done), out);
    }

    /**
     * In the child: checks that the preferred species is {@code bits} wide, runs {@code checks}
     * and prints the line it returns, then exits 0; exits 1 (printing why) on a wrong width or a
     * failed assertion.
     */
    static void runChecks(int bits, Supplier<String> checks) {
        int actual = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (actual != bits) {
            System.out.println("SPECIES_PREFERRED is " + actual + " bits, expected " + bits);
            System.exit(1);
        }
        try {
            System.out.println(checks.get());
        } catch (AssertionError e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
