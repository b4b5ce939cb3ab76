package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {
    @TempDir
    Path dir;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void writesAHeaderThenOneRowPerEvaluationWithRoundTrippingNumbers() throws IOException {
        Path f = dir.resolve("metrics.csv");
        try (MetricsCsv csv = MetricsCsv.open(f)) {
            assertEquals(List.of(), csv.columns());
            csv.append(row("epoch", 1, "step", 469L, "lr", 1e-4, "train_loss", 0.1f, "val_loss", 0.30000000000000004, "val_acc", 0.875));
            // same keys in another order: written in the header's order
            csv.append(row("val_acc", Double.NaN, "val_loss", Double.POSITIVE_INFINITY, "train_loss", null, "lr", 0.0, "step", 938L, "epoch", 2));
            assertEquals(List.of("epoch", "step", "lr", "train_loss", "val_loss", "val_acc"), csv.columns());
        }
        assertEquals("""
                epoch,step,lr,train_loss,val_loss,val_acc
                1,469,1.0E-4,0.1,0.30000000000000004,0.875
                2,938,0.0,,Infinity,NaN
                """, Files.readString(f));
        List<Map<String, String>> rows = MetricsCsv.read(f);
        assertEquals(2, rows.size());
        assertEquals(0.30000000000000004, Double.parseDouble(rows.get(0).get("val_loss")), 0.0, "no digit lost");
        assertEquals("", rows.get(1).get("train_loss"), "a missing value is an empty cell");
    }

    @Test
    void aRowWithOtherColumnsIsRefusedNamingThem() throws IOException {
        try (MetricsCsv csv = MetricsCsv.open(dir.resolve("metrics.csv"))) {
            csv.append(row("epoch", 1, "step", 10, "val_acc", 0.5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.append(row("epoch", 2, "step", 20, "val_top5", 0.9)));
            assertTrue(e.getMessage().contains("lacks [val_acc]") && e.getMessage().contains("adds [val_top5]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> csv.append(row("epoch", 2, "step", 20)));
            assertThrows(IllegalArgumentException.class, () -> csv.append(row("epoch", 2, "step", 20, "val_acc", new Object())));
        }
        assertEquals(1, MetricsCsv.read(dir.resolve("metrics.csv")).size(), "refused rows write nothing");
    }

    @Test
    void reopeningAppendsUnderTheOneHeaderAndKeepsItsColumns() throws IOException {
        Path f = dir.resolve("metrics.csv");
        try (MetricsCsv csv = MetricsCsv.open(f)) {
            csv.append(row("epoch", 1, "step", 10, "note", "warm-up, \"slow\""));
        }
        try (MetricsCsv csv = MetricsCsv.open(f)) {
            assertEquals(List.of("epoch", "step", "note"), csv.columns());
            assertThrows(IllegalArgumentException.class, () -> csv.append(row("epoch", 2, "step", 20)));
            csv.append(row("note", "ok", "step", 20, "epoch", 2));
        }
        String text = Files.readString(f);
        assertEquals(1, text.split("epoch,step,note", -1).length - 1, text);
        assertTrue(text.contains("\"warm-up, \"\"slow\"\"\""), text);
        List<Map<String, String>> rows = MetricsCsv.read(f);
        assertEquals("warm-up, \"slow\"", rows.get(0).get("note"));
        assertEquals("20", rows.get(1).get("step"));
    }

    @Test
    void aRowTornByAKilledWriterIsCutBeforeAppending() throws IOException {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, "epoch,step,val_acc\n1,10,0.5\n2,20,0.7");
        assertEquals(1, MetricsCsv.read(f).size(), "the torn row is not read");
        try (MetricsCsv csv = MetricsCsv.open(f)) {
            csv.append(row("epoch", 2, "step", 20, "val_acc", 0.75));
        }
        assertEquals("epoch,step,val_acc\n1,10,0.5\n2,20,0.75\n", Files.readString(f));
    }

    @Test
    void retainRowsRewritesOnlyWhenSomethingIsDropped() throws IOException {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, "epoch,step\n1,10\n2,20\n3,30\n");
        MetricsCsv.retainRows(f, r -> true);
        assertEquals("epoch,step\n1,10\n2,20\n3,30\n", Files.readString(f));
        MetricsCsv.retainRows(f, r -> Long.parseLong(r.get("step")) < 20);
        assertEquals("epoch,step\n1,10\n", Files.readString(f));
        MetricsCsv.retainRows(f, r -> false);
        assertEquals("epoch,step\n", Files.readString(f));
    }

    @Test
    void cellsRoundTripQuotesAndRefuseLineBreaks() {
        List<String> cells = List.of("", "a,b", "say \"hi\"", "plain", "\"");
        assertEquals(cells, CsvCells.split(CsvCells.join(cells)));
        assertThrows(IllegalArgumentException.class, () -> CsvCells.join(List.of("two\nlines")));
        assertThrows(IllegalArgumentException.class, () -> CsvCells.split("\"open"));
        assertThrows(IllegalArgumentException.class, () -> CsvCells.split("\"a\"b,c"));
    }
}
