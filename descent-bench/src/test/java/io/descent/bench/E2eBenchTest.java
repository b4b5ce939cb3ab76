package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2eBenchTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(E2eBench.Row r) throws Exception {
        return (Map<String, Object>) Json.parse(r.toJson());
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private final E2eBench.Row w1 = new E2eBench.Row(Workload.W1, 2, 3, new E2eResult(16644, 0.826, 469, 57472, "descent"),
            new E2eResult(23383, 0.82, 469, 57472, "torch 1.13"), null);
    private final E2eBench.Row w4 = new E2eBench.Row(new ModelWorkload("vgg16", true, E2eSizes.ISSUE8), 2, 1,
            E2eResult.synthetic(1.34, 5, 40, -1), null, "python3 not found");
    private final E2eBench.Row w5 = new E2eBench.Row(new CheckpointWorkload(4, E2eSizes.ISSUE8), 2, 1,
            E2eResult.synthetic(1024 / 4.2063, 3, 3072, 176160768), new E2eResult(1024 / 3.5, Double.NaN, 3, 3072, "torch 1.13", 167772160), null);

    @Test
    void trainingRowsKeepTheContract() throws Exception {
        Map<String, Object> m = json(w1);
        assertEquals("W1", m.get("workload"));
        assertEquals(16644, num(m, "descent"), 1e-9);
        assertEquals(23383, num(m, "pytorch"), 1e-9);
        assertEquals(23383, num(m, "pytorch_1_13"), 1e-9);
        assertTrue(m.containsKey("pytorch_djl") && m.get("pytorch_djl") == null);
        assertEquals(0.826, num(m, "descent_acc"), 1e-9);
        assertEquals(1000.0 * 128 / 16644, num(m, "descent_step_ms"), 0.05);
        assertFalse(m.containsKey("descent_saved_mib"), "only W5 measures the tape");
    }

    @Test
    void everyRunIsOnRecordBesideTheMedians() throws Exception {
        List<E2eResult> d = List.of(new E2eResult(41800, 0.826, 469, 57472, "descent"), new E2eResult(45900.25, 0.823, 469, 57472, "descent"),
                new E2eResult(51700, 0.825, 469, 57472, "descent"));
        List<E2eResult> p = List.of(new E2eResult(42100, 0.8357, 469, 57472, "torch 1.13"), new E2eResult(43800, 0.8357, 469, 57472, "torch 1.13"));
        var row = new E2eBench.Row(Workload.W1, 2, 3, E2eBench.median(d), E2eBench.median(p), null, null, null, d, p);
        Map<String, Object> m = json(row);
        assertEquals(45900.3, num(m, "descent"), 1e-9);
        assertEquals(List.of(41800.0, 45900.3, 51700.0), ((List<?>) m.get("descent_runs")).stream().map(x -> ((Number) x).doubleValue()).toList());
        assertEquals(List.of(42100.0, 43800.0), ((List<?>) m.get("pytorch_1_13_runs")).stream().map(x -> ((Number) x).doubleValue()).toList());
        assertEquals(List.of(16644.0), ((List<?>) json(w1).get("descent_runs")).stream().map(x -> ((Number) x).doubleValue()).toList(), "a single result is its only run");
        assertEquals(List.of(), json(w4).get("pytorch_1_13_runs"), "PyTorch not measured: no runs");
    }

    @Test
    void theTableShowsEveryRunAndFlagsANoisyOne() {
        List<E2eResult> d = List.of(new E2eResult(36786.2, 0.82, 469, 57472, "descent"), new E2eResult(37160.9, 0.82, 469, 57472, "descent"),
                new E2eResult(46945.1, 0.82, 469, 57472, "descent"));
        List<E2eResult> p = List.of(new E2eResult(44236.4, 0.83, 469, 57472, "torch 1.13"), new E2eResult(43499.1, 0.83, 469, 57472, "torch 1.13"),
                new E2eResult(44284.8, 0.83, 469, 57472, "torch 1.13"));
        var noisy = new E2eBench.Row(Workload.W1, 2, 3, E2eBench.median(d), E2eBench.median(p), null, null, null, d, p);
        assertEquals(46945.1 / 36786.2 - 1, E2eBench.spread(d), 1e-12);
        assertEquals(44284.8 / 43499.1 - 1, E2eBench.spread(p), 1e-12);
        String t = E2eBench.table(List.of(noisy));
        assertTrue(t.contains("36786 37161 46945 | 44236 43499 44285   spread 28 % | 2 %"), t);
        assertTrue(t.contains("W1: runs spread over 20 %"), t);
        var steady = new E2eBench.Row(Workload.W1, 2, 3, E2eBench.median(p), E2eBench.median(p), null, null, null, p, p);
        assertTrue(E2eBench.table(List.of(steady)).contains("spread 2 % | 2 %"));
        assertFalse(E2eBench.table(List.of(steady)).contains("spread over"), "no flag under 20 %");
        assertFalse(E2eBench.table(List.of(w1)).contains("in the order run"), "one run: no runs table");
    }

    @Test
    void accuraciesOverRunsAreSummedUpAndKept() throws Exception {
        List<E2eResult> d = List.of(new E2eResult(40000, 0.82, 469, 57472, "descent"), new E2eResult(41000, 0.84, 469, 57472, "descent"),
                new E2eResult(42000, 0.83, 469, 57472, "descent"));
        List<E2eResult> p = List.of(new E2eResult(40000, 0.8357, 469, 57472, "torch 1.13"), new E2eResult(40000, Double.NaN, 469, 57472, "torch 1.13"));
        assertEquals("0.8300 ± 0.0100 (3 runs)", E2eBench.accuracy(d));
        assertNull(E2eBench.accuracy(p), "one accuracy is no spread");
        var row = new E2eBench.Row(Workload.W1, 2, 3, E2eBench.median(d), E2eBench.median(p), null, null, null, d, p);
        assertTrue(E2eBench.table(List.of(row)).contains("test acc 0.8300 ± 0.0100 (3 runs) | n/a"), E2eBench.table(List.of(row)));
        Map<String, Object> m = json(row);
        assertEquals(List.of(0.82, 0.84, 0.83), ((List<?>) m.get("descent_acc_runs")).stream().map(x -> ((Number) x).doubleValue()).toList());
        assertEquals(java.util.Arrays.asList(0.8357, null), m.get("pytorch_1_13_acc_runs") instanceof List<?> l
                ? l.stream().map(x -> x == null ? null : ((Number) x).doubleValue()).toList() : null);
    }

    @Test
    void pyTorchRunsOfTheTrainingWorkloadsAreSeededByTheirRun() {
        assertEquals(List.of("W1", "2", "--seed", "7"), Workload.W1.pytorchArgs(2, 7, null));
        assertEquals(List.of("W2", "2", "/data", "--seed", "0"), Workload.W2.pytorchArgs(2, 0, java.nio.file.Path.of("/data")));
        var w4 = new ModelWorkload("vgg16", false, E2eSizes.TINY);
        assertEquals(w4.pytorchArgs(1, null), w4.pytorchArgs(1, 3, null), "random inputs: no seed to pass");
    }

    @Test
    void randomInputRowsHaveNoAccuracyAndKeepSmallFigures() throws Exception {
        Map<String, Object> m = json(w4);
        assertEquals("W4-vgg16-train", m.get("workload"));
        assertEquals(1.34, num(m, "descent"), 1e-9, "a few images/s keeps three decimals");
        assertNull(m.get("pytorch"));
        assertNull(m.get("pytorch_1_13"));
        assertNull(m.get("ratio"));
        assertTrue(m.containsKey("descent_acc") && m.get("descent_acc") == null);
        assertNull(m.get("pytorch_acc"));
        assertEquals(8, num(m, "batch"), 0);
        assertEquals(1000.0 * 8 / 1.34, num(m, "descent_step_ms"), 0.05);
    }

    @Test
    void checkpointRowsCarryStepTimesAndSavedMib() throws Exception {
        Map<String, Object> m = json(w5);
        assertEquals("W5-seg4", m.get("workload"));
        assertEquals(4206.3, num(m, "descent_step_ms"), 0.05);
        assertEquals(3500.0, num(m, "pytorch_step_ms"), 0.05);
        assertEquals(168.0, num(m, "descent_saved_mib"), 0.05);
        assertEquals(160.0, num(m, "pytorch_saved_mib"), 0.05);
        assertEquals(1024 / 4.2063, num(m, "descent"), 0.05);
    }

    @Test
    void tableShowsEveryRowSensibly() {
        String t = E2eBench.table(List.of(w1, w4, w5));
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W4-vgg16-train") && l.contains("1.340") && l.contains("n/a")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W1 ") && l.contains("0.8260") && l.contains("0.71x")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W5-seg4") && l.contains("4206.3") && l.contains("168.0") && l.contains("160.0")), t);
        assertTrue(t.contains("W4-vgg16-train: PyTorch not measured: python3 not found"), t);
        assertTrue(t.contains("W1-W3: images/s after 20 warm-up steps"), t);
        assertFalse(E2eBench.table(List.of(w4)).contains("checkpointing"), "no tape table without W5 rows");
    }

    @Test
    void jsonIsAListOfRows() throws Exception {
        Object parsed = Json.parse(E2eBench.toJson(List.of(w1, w4, w5)));
        assertEquals(3, ((List<?>) parsed).size());
    }

    private static E2eBench.Row w1With(E2eResult torch113, E2eResult djl) {
        return new E2eBench.Row(Workload.W1, 2, 3, new E2eResult(16644, 0.826, 469, 57472, "descent"), torch113, djl, null, null);
    }

    private final E2eResult djlFast = new E2eResult(24700, 0.8355, 469, 57440, "torch 2.7.1 via DJL 0.35.0");
    private final E2eResult djlSlow = new E2eResult(20000, 0.8355, 469, 57440, "torch 2.7.1 via DJL 0.35.0");
    private final E2eResult torch113 = new E2eResult(23383, 0.82, 469, 57472, "torch 1.13");

    @Test
    void pytorchIsTheFasterOfTheTwo() throws Exception {
        Map<String, Object> m = json(w1With(torch113, djlFast));
        assertEquals(24700, num(m, "pytorch"), 1e-9);
        assertEquals(23383, num(m, "pytorch_1_13"), 1e-9);
        assertEquals(24700, num(m, "pytorch_djl"), 1e-9);
        assertEquals(16644.0 / 24700, num(m, "ratio"), 1e-3);
        assertEquals(0.82, num(m, "pytorch_acc"), 1e-9);
        assertEquals(0.8355, num(m, "djl_acc"), 1e-9);
        assertEquals(1000.0 * 128 / 24700, num(m, "pytorch_step_ms"), 0.05);

        m = json(w1With(torch113, djlSlow));
        assertEquals(23383, num(m, "pytorch"), 1e-9);
        assertEquals(20000, num(m, "pytorch_djl"), 1e-9);
        assertEquals(16644.0 / 23383, num(m, "ratio"), 1e-3);
    }

    @Test
    void eitherPyTorchAloneIsEnough() throws Exception {
        Map<String, Object> m = json(w1With(null, djlSlow));
        assertEquals(20000, num(m, "pytorch"), 1e-9);
        assertNull(m.get("pytorch_1_13"));
        assertNull(m.get("pytorch_acc"));
        assertEquals(16644.0 / 20000, num(m, "ratio"), 1e-3);
        assertNull(json(w1With(null, null)).get("pytorch"));
        assertNull(json(w1With(null, null)).get("ratio"));
        assertNull(json(w1With(torch113, null)).get("djl_acc"));
        var nan = new E2eResult(Double.NaN, Double.NaN, 0, 0, "torch 2.7.1 via DJL 0.35.0");
        assertEquals(23383, num(json(w1With(torch113, nan)), "pytorch"), 1e-9, "an untimed run is no faster PyTorch");
    }

    @Test
    void tableShowsBothPyTorchsAndTheDjlNoteOnce() {
        var unbuilt = new E2eBench.Row(Workload.W2, 2, 1, new E2eResult(2500, 0.87, 469, 57472, "descent"), torch113, null, null,
                "DJL runner not built: run mvn -Pdjl");
        String t = E2eBench.table(List.of(w1With(torch113, djlFast), unbuilt, unbuilt));
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W1 ") && l.contains("23383.0") && l.contains("24700.0") && l.contains("0.67x")
                && l.contains("0.8355")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("W2 ") && l.contains("n/a")), t);
        assertEquals(1, t.lines().filter(l -> l.equals("PyTorch via DJL not measured: DJL runner not built: run mvn -Pdjl")).count(), t);
        assertTrue(t.contains("PT DJL = torch 2.7.1 via DJL 0.35.0"), t);
        assertTrue(E2eBench.table(List.of(w1)).contains("PT DJL = not run"));
    }
}
