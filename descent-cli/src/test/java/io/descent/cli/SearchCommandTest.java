package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
    private static final String[] TRAIN = {"--", "--model", "mlp", "--max-steps", "2", "--batch", "32", "--classes", "0,1"};

    @Test
    void randomTrialsAreTrainRunsScoredAndRanked(@TempDir Path dir) throws Exception {
        Cli.Run r = run(dir, "--space", "lr=log:1e-3:1e-1", "--trials", "2", "--run", "s");
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("s").resolve("search.csv"));
        assertEquals(List.of("trial", "lr", "val_acc"), List.of(csv.get(0).split(",")));
        assertEquals(3, csv.size(), String.join("\n", csv));
        for (String row : csv.subList(1, 3)) {
            String[] c = row.split(",");
            double lr = Double.parseDouble(c[1]), acc = Double.parseDouble(c[2]);
            assertTrue(lr >= 1e-3 && lr < 1e-1 && acc >= 0 && acc <= 1, row);
            // the trial's own run folder records the value it trained with
            String config = Files.readString(dir.resolve("s").resolve(String.format("trial-%03d", Integer.parseInt(c[0]))).resolve("config.json"));
            assertTrue(config.contains("\"lr\":" + c[1]), config);
        }
        assertTrue(r.out().contains("best: trial-"), r.out());
    }

    @Test
    void aGridRunsEveryCombination(@TempDir Path dir) throws Exception {
        Cli.Run r = run(dir, "--space", "lr=0.01,0.1", "--space", "weight-decay=0,0.001", "--grid", "--metric", "val_loss", "--run", "g");
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("g").resolve("search.csv"));
        assertEquals(List.of("trial,lr,weight-decay,val_loss"), csv.subList(0, 1));
        assertEquals(List.of("1,0.01,0", "2,0.01,0.001", "3,0.1,0", "4,0.1,0.001"),
                csv.subList(1, 5).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        assertTrue(r.out().contains("(lower is better)"), r.out());
    }

    @Test
    void finetuneTrialsSearchTheTransfersRates(@TempDir Path dir) throws Exception {
        Cli.Run pre = Cli.run("train", "--model", "mlp", "--max-steps", "2", "--batch", "32", "--runs-dir", dir.toString(), "--run", "pre");
        assertEquals(0, pre.code(), pre.err());
        Cli.Run r = run(dir, "--command", "finetune", "--space", "head-lr=0.01,0.1", "--grid", "--run", "f", "--",
                "--model", "mlp", "--weights", dir.resolve("pre").resolve("best.safetensors").toString(), "--strategy", "features",
                "--classes", "0,1", "--shots", "8", "--epochs", "1", "--batch", "8");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Files.readAllLines(dir.resolve("f").resolve("search.csv")).size());
        assertTrue(r.out().contains("descent finetune --model mlp"), r.out());
    }

    @Test
    void badSearchesAreOneLineErrors(@TempDir Path dir) {
        Cli.Run searched = run(dir, "--space", "lr=0.1,0.2", "--grid", "--", "--model", "mlp", "--lr", "0.3");
        assertEquals("descent: --lr is searched: leave it out of the flags after --", searched.err().strip());
        Cli.Run range = Cli.run("search", "--space", "lr=log:1e-4:1e-1", "--grid", "--runs-dir", dir.toString());
        assertEquals("descent: a grid search needs a list of values for 'lr' (e.g. lr=A,B,C), not a range", range.err().strip());
        Cli.Run spec = Cli.run("search", "--space", "lr", "--runs-dir", dir.toString());
        assertEquals("descent: search parameter 'lr' is not NAME=SPEC (e.g. lr=log:1e-4:1e-1, batch=32,64)", spec.err().strip());
        Cli.Run metric = run(dir, "--space", "lr=0.1,0.2", "--grid", "--metric", "val_map", "--", "--model", "mlp");
        assertEquals("descent: --metric val_map is not logged by --task classify runs (logged: train_loss, val_loss, val_acc, val_top5)", metric.err().strip());
        assertTrue(dir.toFile().list().length == 0, "refused before any trial ran");
        Cli.Run ema = run(dir, "--space", "lr=0.1,0.2", "--grid", "--metric", "ema_val_psnr", "--", "--task", "reconstruct", "--model", "autoencoder");
        assertTrue(ema.err().contains("logged: train_loss, val_loss, val_psnr)"), ema.err());
    }

    private static Cli.Run run(Path dir, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("search", "--runs-dir", dir.toString()));
        argv.addAll(List.of(args));
        if (!argv.contains("--")) argv.addAll(List.of(TRAIN));
        return Cli.run(argv.toArray(String[]::new));
    }
}
