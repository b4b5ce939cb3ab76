package io.descent.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path root;

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void aRunWritesConfigMetricsEventsAndAReport() throws IOException {
        Path dir = root.resolve("runs/demo");
        try (RunDirectory run = SampleRun.log(dir)) {
            run.writeReport("demo");
        }
        Map<?, ?> config = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("config.json")));
        assertEquals("small-cnn", config.get("model"));

        List<Map<String, String>> rows = MetricsCsv.read(dir.resolve("metrics.csv"));
        assertEquals(SampleRun.EPOCHS, rows.size());
        assertEquals(List.of("epoch", "step", "lr", "train_loss", "val_loss", "train_acc", "val_acc"), List.copyOf(rows.getFirst().keySet()));
        assertEquals("299", rows.getLast().get("step"));

        List<Path> events = TensorBoardReader.eventFiles(dir);
        assertEquals(1, events.size());
        List<ScalarEvent> scalars = TensorBoardReader.readScalars(events.getFirst());
        int perStep = 6 * SampleRun.EPOCHS * SampleRun.STEPS_PER_EPOCH;
        // each evaluation adds train_loss, val_loss, train_acc, val_acc; its lr equals the per-step one and is not written twice
        assertEquals(perStep + 4 * SampleRun.EPOCHS, scalars.size());
        assertTrue(scalars.stream().noneMatch(s -> s.tag().equals("epoch") || s.tag().equals("step")));

        String html = Files.readString(dir.resolve("report.html"));
        HtmlReportTest.assertSelfContained(html);
        // Loss, Accuracy, Learning rate, Momentum, Gradient norm, Update ratio
        assertEquals(6, count(html, "<svg"));
        for (String title : List.of(">Loss<", ">Accuracy<", ">Learning rate<", ">Momentum<", ">Gradient norm<", ">Update ratio<")) {
            assertTrue(html.contains(title), title);
        }
        assertTrue(html.contains("learning rate (log scale)"), "lr spans more than two decades");
        assertTrue(html.contains("<th>optimizer.name</th>"), "nested config flattened");
        assertTrue(html.contains("<th>val_acc</th><td class=\"num\">0.9</td>"), html);
    }

    @Test
    void anExistingRunIsNotClobberedUnlessToldAndOnlyIfItIsARun() throws IOException {
        Path dir = root.resolve("runs/a");
        try (RunDirectory run = RunDirectory.create(dir, false)) {
            run.writeConfig(Map.of("seed", 1));
        }
        IOException e = assertThrows(IOException.class, () -> RunDirectory.create(dir, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());

        Files.writeString(dir.resolve("best.safetensors"), "weights");
        Files.createDirectories(dir.resolve("checkpoint"));
        Files.writeString(dir.resolve("checkpoint/state.bin"), "state");
        try (RunDirectory run = RunDirectory.create(dir, true)) {
            assertFalse(Files.exists(dir.resolve("best.safetensors")));
            assertFalse(Files.exists(dir.resolve("checkpoint")));
            assertFalse(Files.exists(dir.resolve("config.json")));
            assertEquals(1, TensorBoardReader.eventFiles(dir).size());
            assertEquals(run.file("last.safetensors"), dir.resolve("last.safetensors"));
        }

        Path notARun = root.resolve("home");
        Files.createDirectories(notARun);
        Files.writeString(notARun.resolve("thesis.tex"), "precious");
        IOException refused = assertThrows(IOException.class, () -> RunDirectory.create(notARun, true));
        assertTrue(refused.getMessage().contains("not a run"), refused.getMessage());
        assertTrue(Files.exists(notARun.resolve("thesis.tex")));

        Path empty = Files.createDirectories(root.resolve("runs/empty"));
        RunDirectory.create(empty, false).close();
    }

    @Test
    void resumingDropsWhatCameAfterTheCheckpointAndContinuesTheLogs() throws IOException {
        Path dir = root.resolve("runs/r");
        try (RunDirectory run = RunDirectory.create(dir, false)) {
            run.writeConfig(Map.of("epochs", 4));
            for (int step = 0; step < 40; step++) {
                run.logScalars(step, Map.of("lr", 0.1, "train/loss", 1.0 / (step + 1)));
                if ((step + 1) % 10 == 0) run.logEvaluation(evaluation((step + 1) / 10, step, 0.5 + step / 100.0));
            }
        }
        // the last checkpoint was taken after step 19; the process then ran to step 39 and died
        try (RunDirectory run = RunDirectory.resume(dir, 20)) {
            assertEquals(20, run.history().steps("train/loss").length, "points from step 20 on are forgotten");
            assertEquals(2, run.history().steps("val_acc").length);
            for (int step = 20; step < 40; step++) {
                run.logScalars(step, Map.of("lr", 0.1, "train/loss", 2.0));
                if ((step + 1) % 10 == 0) run.logEvaluation(evaluation((step + 1) / 10, step, 0.9));
            }
            run.writeReport("resumed");
        }
        List<Map<String, String>> rows = MetricsCsv.read(dir.resolve("metrics.csv"));
        assertEquals(List.of("9", "19", "29", "39"), rows.stream().map(r -> r.get("step")).toList());
        assertEquals(List.of("0.59", "0.69", "0.9", "0.9"), rows.stream().map(r -> r.get("val_acc")).toList());
        assertEquals(1, count(Files.readString(dir.resolve("metrics.csv")), "epoch,step"));

        List<ScalarEvent> shown = TensorBoardReader.readRun(dir);
        double[] loss = shown.stream().filter(s -> s.tag().equals("train/loss")).mapToDouble(ScalarEvent::value).toArray();
        assertEquals(40, loss.length);
        assertEquals(2.0, loss[20]);
        assertEquals(1.0 / 20, loss[19], 1e-7);

        try (RunDirectory again = RunDirectory.resume(dir, 40)) {
            assertArrayEquals(new double[] {9, 19, 29, 39}, again.history().steps("val_acc"));
            assertTrue(again.report("x").build().html().contains("<th>epochs</th><td class=\"text\">4</td>"), "the config is read back from config.json");
        }
        assertThrows(IOException.class, () -> RunDirectory.resume(root.resolve("runs/none"), 0));
    }

    @Test
    void anEvaluationNeedsAStep() throws IOException {
        try (RunDirectory run = RunDirectory.create(root.resolve("runs/s"), false)) {
            assertThrows(IllegalArgumentException.class, () -> run.logEvaluation(Map.of("epoch", 1, "val_acc", 0.5)));
        }
    }

    private static Map<String, Object> evaluation(int epoch, long step, double valAcc) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("step", step);
        row.put("lr", 0.1);
        row.put("train_loss", 0.5);
        row.put("val_loss", 0.6);
        row.put("val_acc", valAcc);
        return row;
    }
}
