package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @Test
    void trainWritesTheRunFolderAndEvaluateReadsItBack(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("train", "--max-steps", "8", "--batch", "32", "--runs-dir", dir.toString(), "--run", "smoke",
                "--ema", "0.9", "--clip-norm", "5", "--accumulate", "2", "--schedule", "cosine", "--warmup", "2", "--checkpoint-segments", "2");
        assertEquals(0, r.code(), r.err());
        Path run = dir.resolve("smoke");
        for (String f : List.of("config.json", "metrics.csv", "best.safetensors", "last.safetensors", "ema.safetensors", "report.html", "checkpoint/state.safetensors")) {
            assertTrue(Files.exists(run.resolve(f)), "missing " + f);
        }
        assertTrue(Files.list(run).anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")), "TensorBoard events");
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(csv.get(0).startsWith("epoch,step,lr,train_loss,val_loss,val_acc"), csv.get(0));
        assertEquals(2, csv.size(), "one evaluation row");
        assertTrue(r.out().contains("sanity: initial loss"), r.out());

        Cli.Run again = Cli.run("resume", run.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming " + run + " at epoch 1, update 8"), again.out());
        assertFalse(again.out().contains("sanity: initial loss"), "no initial-loss check of a trained model: " + again.out());

        Cli.Run e = Cli.run("evaluate", "--model", "small-cnn", "--weights", run.resolve("best.safetensors").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("acc "), e.out());
    }

    @Test
    void evaluateWithSeveralWeightsAddsTheirEnsemble(@TempDir Path dir) throws Exception {
        String[] files = new String[2];
        for (int seed = 0; seed < 2; seed++) {
            Cli.Run r = Cli.run("train", "--model", "mlp", "--max-steps", "5", "--batch", "32", "--seed", Integer.toString(seed),
                    "--classes", "0,1,2", "--runs-dir", dir.toString(), "--run", "m" + seed);
            assertEquals(0, r.code(), r.err());
            files[seed] = dir.resolve("m" + seed).resolve("best.safetensors").toString();
        }
        Cli.Run e = Cli.run("evaluate", "--model", "mlp", "--weights", files[0] + "," + files[1], "--classes", "0,1,2");
        assertEquals(0, e.code(), e.err());
        List<String> lines = e.out().lines().toList();
        assertEquals(3, lines.size(), e.out());
        assertTrue(lines.get(0).startsWith(files[0] + " on shapes (") && lines.get(1).startsWith(files[1] + " on shapes ("), e.out());
        assertTrue(lines.get(2).startsWith("ensemble of 2 on shapes (") && lines.get(2).contains(" acc "), e.out());
        // the ensemble's loss is the NLL of the averaged probabilities: by Jensen, at most the members' mean loss
        double l0 = loss(lines.get(0)), l1 = loss(lines.get(1)), le = loss(lines.get(2));
        assertTrue(le <= (l0 + l1) / 2 + 1e-4, e.out());
        Cli.Run bad = Cli.run("evaluate", "--model", "mlp", "--weights", files[0] + "," + files[1], "--task", "reconstruct");
        assertEquals("descent: an ensemble (several --weights) averages class probabilities or detectors' maps: --task classify or detect", bad.err().strip());
    }

    @Test
    void snapshotsAreSavedAtEachWarmRestart(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("train", "--model", "mlp", "--max-steps", "6", "--batch", "32", "--schedule", "cosine-restarts", "--t-0", "3",
                "--snapshots", "--runs-dir", dir.toString(), "--run", "snap");
        assertEquals(0, r.code(), r.err());
        Path run = dir.resolve("snap");
        assertTrue(Files.exists(run.resolve("snapshot-3.safetensors")) && Files.exists(run.resolve("snapshot-6.safetensors")), r.out());
        assertTrue(r.out().contains("snapshots: 2 (" + run.resolve("snapshot-3.safetensors") + ", " + run.resolve("snapshot-6.safetensors") + "); their ensemble: descent evaluate"), r.out());
        // as a shell expands snapshot-*.safetensors: the files as separate arguments
        Cli.Run e = Cli.run("evaluate", "--model", "mlp", "--weights", run.resolve("snapshot-3.safetensors").toString(), run.resolve("snapshot-6.safetensors").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("ensemble of 2 on shapes"), e.out());
    }

    private static double loss(String line) {
        String[] w = line.split(" ");
        for (int i = 0; i < w.length - 1; i++) if (w[i].equals("loss")) return Double.parseDouble(w[i + 1]);
        throw new AssertionError("no loss in " + line);
    }

    @Test
    void jsonConfigFileGivesTheFlags(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("run.json");
        Files.writeString(cfg, "{\"model\": \"mlp\", \"optimizer\": \"sgd\", \"lr\": 0.05, \"momentum\": 0.9, \"nesterov\": true,"
                + " \"schedule\": \"multistep\", \"milestones\": [2, 4], \"max-steps\": 5, \"batch\": 32, \"run\": \"cfg\"}");
        Cli.Run r = Cli.run("train", "--config", cfg.toString(), "--runs-dir", dir.toString(), "--lr", "0.02");
        assertEquals(0, r.code(), r.err());
        String config = Files.readString(dir.resolve("cfg").resolve("config.json"));
        assertTrue(config.contains("\"model\":\"mlp\"") && config.contains("\"lr\":0.02") && config.contains("\"momentum\":0.9"), config);
        Cli.Run bad = Cli.run("train", "--config", dir.resolve("missing.json").toString());
        assertEquals(2, bad.code());
        assertEquals("descent: --config: no such file " + dir.resolve("missing.json"), bad.err().strip());
    }

    @Test
    void badFlagsAreOneLineErrors(@TempDir Path dir) {
        Cli.Run r = Cli.run("train", "--optimizer", "adamx", "--runs-dir", dir.toString());
        assertEquals(1, r.code());
        assertEquals("descent: unknown optimizer 'adamx'; choose one of sgd, adagrad, rmsprop, adam, adamw, nadam, adamax, adadelta", r.err().strip());
        Cli.Run d = Cli.run("train", "--data", "imagenet", "--runs-dir", dir.toString());
        assertEquals("descent: --data must be shapes, shapes-detection, fashion-mnist, folder:PATH, coco:FILE.json or voc:DIR, got 'imagenet'", d.err().strip());
    }

    @Test
    void denoisingAutoencoderTrainsAndEncodes(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("train", "--model", "conv-autoencoder", "--task", "denoise", "--noise", "mask", "--noise-level", "0.25",
                "--max-steps", "6", "--batch", "64", "--runs-dir", dir.toString(), "--run", "ae", "--schedule", "constant");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(dir.resolve("ae").resolve("metrics.csv")).get(0).contains("val_psnr"));
        Path csv = dir.resolve("codes.csv");
        Cli.Run e = Cli.run("encode", "--model", "conv-autoencoder", "--weights", dir.resolve("ae").resolve("best.safetensors").toString(),
                "--output", csv.toString());
        assertEquals(0, e.code(), e.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4001, lines.size(), "header + the 4000 shapes validation images");
        assertEquals(33, lines.get(1).split(",").length, "label + 32 code values");

        // evaluate --task denoise corrupts the inputs as training's validation did, and gets its figures
        String[] row = Files.readAllLines(dir.resolve("ae").resolve("metrics.csv")).get(1).split(",");
        Cli.Run v = Cli.run("evaluate", "--model", "conv-autoencoder", "--weights", dir.resolve("ae").resolve("best.safetensors").toString(),
                "--task", "denoise", "--noise", "mask", "--noise-level", "0.25");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains(String.format(java.util.Locale.ROOT, "loss %.4f psnr %.4f", Double.parseDouble(row[4]), Double.parseDouble(row[5]))),
                v.out() + " against " + String.join(",", row));
    }
}
