package io.descent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the command line in-process and captures its exit code and output (test helper). */
final class Cli {
    /** Fixtures of descent-core's tests; the cli module's tests run in descent-cli/. */
    static final Path CORE_RESOURCES = Path.of("..", "descent-core", "src", "test", "resources");

    record Run(int code, String out, String err) {
        /** Standard output, line by line. */
        java.util.List<String> lines() {
            return out.lines().toList();
        }

        /** Column {@code col} of CSV data row {@code row} (after the header) of standard output. */
        double value(int row, int col) {
            return Double.parseDouble(lines().get(row + 1).split(",")[col]);
        }
    }

    private Cli() {}

    static Run run(String... args) {
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
}
