package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmBenchTest {
    private static final List<GemmBench.Row> ROWS = List.of(
            new GemmBench.Row("1024x1024x1024", "NN", 1, 180.0, 200.0, 240.0),
            new GemmBench.Row("1024x1024x1024", "NN", 2, 330.0, null, 470.0));

    @Test
    @SuppressWarnings("unchecked")
    void jsonRowsCarryTheFiguresOfTheTable() throws Exception {
        List<Object> rows = (List<Object>) Json.parse(GemmBench.toJson(ROWS));
        Map<String, Object> first = (Map<String, Object>) rows.get(0), second = (Map<String, Object>) rows.get(1);
        assertEquals("1024x1024x1024", first.get("shape"));
        assertEquals("NN", first.get("op"));
        assertEquals(1, ((Number) first.get("threads")).intValue());
        assertEquals(180.0, ((Number) first.get("gflops")).doubleValue());
        assertEquals(200.0, ((Number) first.get("openblas_gflops")).doubleValue());
        assertEquals(240.0, ((Number) first.get("fma_peak_gflops")).doubleValue());
        assertTrue(second.containsKey("openblas_gflops"));
        assertNull(second.get("openblas_gflops"));
    }

    @Test
    void tableGivesTheMeasuredPeakAndTheShareOfIt() {
        String t = GemmBench.table(ROWS);
        assertTrue(t.startsWith("FMA peak measured here (GFLOPS): 240.0 on 1 thread; 470.0 on 2 threads\n"), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("1024x1024x1024") && l.contains(" 1 ") && l.contains("0.90x") && l.endsWith("75%")), t);
        assertTrue(t.lines().anyMatch(l -> l.contains(" 2 ") && l.contains("n/a") && l.endsWith("70%")), t);
    }

    @Test
    void shapesParseWithTheirLayout() {
        var cases = GemmBench.parseCases(List.of("128x512x784:NT", "64x64x64"));
        assertEquals(new GemmBench.Case(128, 512, 784, false, true), cases.get(0));
        assertEquals(new GemmBench.Case(64, 64, 64, false, false), cases.get(1));
        assertThrows(IllegalArgumentException.class, () -> GemmBench.parseCases(List.of("64x64")));
        assertThrows(IllegalArgumentException.class, () -> GemmBench.parseCases(List.of("64x64x0")));
        assertThrows(IllegalArgumentException.class, () -> GemmBench.parseCases(List.of("64x64x64:NX")));
    }
}
