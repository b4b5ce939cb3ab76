package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL peer's plumbing, without DJL: no test here builds or starts the runner. */
class DjlE2eTest {
    @Test
    void onlyTheMlpAndTheSmallCnn() {
        assertTrue(DjlE2e.supports(Workload.W1));
        assertTrue(DjlE2e.supports(Workload.W2));
        assertTrue(!DjlE2e.supports(Workload.W3));
        assertNull(DjlE2e.run(Workload.W3, 2, 0, null));
        assertEquals("DJL runs W1 and W2 only", DjlE2e.lastProblem());
    }

    @Test
    void anUnbuiltRunnerIsANoteNotAnError(@TempDir Path home) {
        String before = System.getProperty("descent.home");
        System.setProperty("descent.home", home.toString());
        try {
            assertNull(DjlE2e.run(Workload.W1, 2, 0, null));
            assertTrue(DjlE2e.lastProblem().startsWith("DJL runner not built: run mvn -Pdjl"), DjlE2e.lastProblem());
        } finally {
            if (before == null) System.clearProperty("descent.home");
            else System.setProperty("descent.home", before);
        }
    }

    @Test
    void classPathNeedsTheRunnerClassesAndItsLibraries(@TempDir Path target) throws Exception {
        assertNull(DjlE2e.classPath(target));
        Files.createDirectories(target.resolve("classes/io/descent/bench/djl"));
        assertNull(DjlE2e.classPath(target), "no lib/ yet");
        Files.createDirectories(target.resolve("lib"));
        String cp = DjlE2e.classPath(target);
        assertNotNull(cp);
        assertTrue(cp.endsWith("lib/*") && cp.contains(target.resolve("classes").toString()), cp);
    }

    @Test
    void theChildGetsTheVectorModuleTheThreadsAndTheData() {
        java.util.List<String> cmd = DjlE2e.command("cp", Workload.W2, 2, 7, Path.of("/data"));
        int add = cmd.indexOf("--add-modules");
        assertTrue(add > 0 && cmd.get(add + 1).equals("jdk.incubator.vector"), cmd.toString());
        assertTrue(cmd.contains("-Dai.djl.pytorch.num_threads=2") && cmd.contains("-Dai.djl.offline=true"), cmd.toString());
        assertEquals(java.util.List.of("W2", "2", "7", "/data"), cmd.subList(cmd.size() - 4, cmd.size()));
        java.util.List<String> noData = DjlE2e.command("cp", Workload.W1, 1, 0, null);
        assertEquals(java.util.List.of("W1", "1", "0"), noData.subList(noData.size() - 3, noData.size()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void parsesTheRunnersLine() throws Exception {
        Map<String, Object> m = (Map<String, Object>) Json.parse("{\"workload\": \"W1\", \"images_per_s\": 21694.887, \"test_accuracy\": 0.8355, "
                + "\"steps\": 469, \"timed_images\": 57440, \"seconds\": 2.648, \"torch\": \"2.7.1\", \"djl\": \"0.35.0\"}");
        E2eResult r = DjlE2e.parse(m);
        assertEquals(21694.887, r.imagesPerSecond(), 1e-9);
        assertEquals(0.8355, r.testAccuracy(), 1e-9);
        assertEquals(469, r.steps());
        assertEquals(57440, r.timedImages());
        assertEquals("torch 2.7.1 via DJL 0.35.0", r.version());
    }

    @Test
    void aFailureNamesTheExceptionNotAStackFrame() {
        String err = "WARNING: something\nException in thread \"main\" java.lang.IllegalStateException: no natives\n\tat a.B.c(B.java:1)\n\tat a.B.main(B.java:2)\n";
        assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: no natives", PyTorchE2e.problemLine(err));
        assertEquals("ValueError: bad", PyTorchE2e.problemLine("Traceback (most recent call last):\n  File \"x.py\", line 1\n    f()\nValueError: bad\n"));
    }
}
