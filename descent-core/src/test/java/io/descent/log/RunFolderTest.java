package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @TempDir
    Path root;

    @Test
    void aRunReadBackGivesTheReportTrainingWrote() throws IOException {
        Path dir = root.resolve("demo");
        try (RunDirectory run = SampleRun.log(dir)) {
            run.writeReport("demo");
        }
        String written = Files.readString(dir.resolve("report.html"));
        RunFolder folder = RunFolder.read(dir);
        assertEquals("small-cnn", folder.config().get("model"));
        assertEquals("0.9", folder.lastEvaluation().get("val_acc"));
        String again = folder.report("demo").build().html();
        HtmlReportTest.assertSelfContained(again);
        // the same charts and tables (the curves' values come back as TensorBoard's float32, so
        // an axis may start a tick lower: the charts are compared by title)
        assertEquals(titles(written), titles(again));
        assertEquals(tables(written), tables(again));
    }

    @Test
    void runsComparedHaveAChartPerScalarAndALinePerRun() throws IOException {
        for (String name : List.of("a", "b")) {
            try (RunDirectory run = SampleRun.log(root.resolve(name))) {
                run.flush();
            }
        }
        String html = RunFolder.compare("two runs", List.of(RunFolder.read(root.resolve("a")), RunFolder.read(root.resolve("b")))).build().html();
        HtmlReportTest.assertSelfContained(html);
        for (String chart : List.of(">lr<", ">val_acc<", ">train/loss<", ">grad_norm<")) assertTrue(html.contains(chart), chart);
        assertTrue(html.contains("learning rate (log scale)"), "lr spans more than two decades");
        assertTrue(html.contains("<th>a</th>") && html.contains("<th>b</th>"), "a row per run in the table");
        assertTrue(html.contains("val_acc 0.9000"), html.substring(html.indexOf("<table")));
    }

    @Test
    void aFolderWithoutConfigIsNotARun() {
        var e = assertThrows(IOException.class, () -> RunFolder.read(root));
        assertEquals(root + " is not a run folder: it has no config.json", e.getMessage());
    }

    private static List<String> titles(String html) {
        return java.util.regex.Pattern.compile("aria-label=\"([^\"]*)\"").matcher(html).results().map(m -> m.group(1)).toList();
    }

    private static List<String> tables(String html) {
        return java.util.regex.Pattern.compile("(?s)<table.*?</table>").matcher(html).results().map(m -> m.group()).toList();
    }
}
