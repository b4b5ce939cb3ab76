package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBenchTest {
    @Test
    @SuppressWarnings("unchecked")
    void rowsHaveTheAskedFields() throws Exception {
        var r = new MemoryBench.Row(Workload.W2, 30, 2, 208, 301.5, 520.25, null);
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.toJson());
        assertEquals("W2", m.get("workload"));
        assertEquals(208, ((Number) m.get("descent_min_xmx_mib")).intValue());
        assertEquals(520.25, ((Number) m.get("pytorch_peak_rss_mib")).doubleValue(), 0.05);
        assertEquals(301.5, ((Number) m.get("descent_peak_rss_mib")).doubleValue(), 0.05);
        var none = new MemoryBench.Row(Workload.W3, 30, 2, -1, null, null, "python exited 1");
        Map<String, Object> n = (Map<String, Object>) Json.parse(none.toJson());
        assertTrue(n.containsKey("descent_min_xmx_mib") && n.get("descent_min_xmx_mib") == null, "more than the largest heap: null");
        assertNull(n.get("pytorch_peak_rss_mib"));
        String t = MemoryBench.table(List.of(r, none, new MemoryBench.Row(Workload.W1, 30, 2, MemoryBench.MIN_MIB, 150.0, 347.0, null)));
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W2") && l.contains("208 MiB") && l.contains("302") && l.contains("520")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W3") && l.contains("> 4096 MiB") && l.contains("n/a")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W1") && l.contains("<= 32 MiB")), t);
        assertTrue(t.contains("W3: PyTorch not measured: python exited 1"), t);
    }

    @Test
    void pythonRunsTheSameStepsInMemoryMode() {
        assertEquals(List.of("W3", "2", "--memory", "30"), MemoryBench.pytorchArgs(Workload.W3, 2, 30, null));
        assertEquals(List.of("W2", "20", "1"), MemoryProbe.args(Workload.W2, 20, 1, null));
        assertEquals(List.of("W2", "20", "1", "/d"), MemoryProbe.args(Workload.W2, 20, 1, Path.of("/d")));
    }

    @Test
    void peakRssIsReadFromProcAndFromTheChildsOutput(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  312456 kB\nVmRSS:\t  300000 kB\n");
        assertEquals(312456L, MemoryProbe.vmHwmKib(status));
        assertNull(MemoryProbe.vmHwmKib(dir.resolve("absent")));
        assertEquals(312456L, MemoryProbe.reportedRssKib("trained 30 steps of W2\npeak_rss_kib 312456\n"));
        assertNull(MemoryProbe.reportedRssKib("trained 30 steps of W2\n"));
    }
}
