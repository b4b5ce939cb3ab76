package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @Test
    void writesARunsReportAgainAndComparesRuns(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            Cli.Run r = Cli.run("train", "--model", "mlp", "--max-steps", "3", "--batch", "32", "--seed", name.equals("a") ? "1" : "2",
                    "--runs-dir", dir.toString(), "--run", name);
            assertEquals(0, r.code(), r.err());
        }
        Path report = dir.resolve("a").resolve("report.html");
        Files.delete(report); // as if the run had stopped before writing it
        Cli.Run one = Cli.run("report", dir.resolve("a").toString());
        assertEquals(0, one.code(), one.err());
        assertEquals("wrote " + report, one.out().strip());
        assertTrue(Files.readString(report).contains("aria-label=\"Loss\""));

        Path page = dir.resolve("both.html");
        Cli.Run both = Cli.run("report", dir.resolve("a").toString(), dir.resolve("b").toString(), "--output", page.toString());
        assertEquals(0, both.code(), both.err());
        String html = Files.readString(page);
        assertTrue(html.contains("aria-label=\"val_acc\"") && html.contains(">a</text>") && html.contains(">b</text>"), html);

        Cli.Run notARun = Cli.run("report", dir.toString());
        assertEquals("descent: " + dir + " is not a run folder: it has no config.json", notARun.err().strip());
    }
}
