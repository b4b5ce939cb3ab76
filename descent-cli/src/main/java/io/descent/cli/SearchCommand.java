package io.descent.cli;

import io.descent.io.AtomicFiles;
import io.descent.log.MetricsCsv;
import io.descent.search.SearchSpace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent search}: hyper-parameter search by {@code descent train} (or {@code finetune})
 * runs. Each trial is a run in {@code RUNS/NAME/trial-K/} with the flags after {@code --} plus
 * the trial's values as flags; its score is the best value of {@code --metric} over its evaluations.
 * {@code RUNS/NAME/search.csv} lists every trial (a failed one, e.g. a diverged lr, with an empty
 * score), and the best is named with the flags that reproduce it.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Hyper-parameter search (random or grid; uniform and log-uniform ranges) over train runs: descent search --space lr=log:1e-4:1e-1 --trials 8 -- --model small-cnn --epochs 2")
public final class SearchCommand implements Callable<Integer> {
    @Option(names = "--space", required = true, paramLabel = "NAME=SPEC",
            description = "A searched train flag: NAME=log:LO:HI (log-uniform), NAME=uniform:LO:HI, or NAME=A,B,C (values). Repeat for more.")
    List<String> space;

    @Option(names = "--command", defaultValue = "train", paramLabel = "train|finetune", description = "What each trial runs (default ${DEFAULT-VALUE}; finetune: e.g. --space head-lr=log:1e-3:1e-1).")
    String command;

    @Option(names = "--trials", defaultValue = "8", description = "Random search: trials to run (default ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--grid", description = "Grid search: every combination of the listed values instead of random trials.")
    boolean grid;

    @Option(names = "--metric", defaultValue = "val_acc", description = "The score: a metrics.csv column, best over a trial's evaluations (default ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--mode", paramLabel = "max|min", description = "Whether a higher or lower score is better (default: max for accuracies, PSNR and mAP, else min).")
    String mode;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random trials' values (each trial trains with train's own --seed).")
    long seed;

    @Option(names = "--run", paramLabel = "NAME", description = "Search folder name under --runs-dir (default: search-time).")
    String run;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where the search folder goes (default ${DEFAULT-VALUE}).")
    Path runsDir;

    @Parameters(paramLabel = "RUN_FLAGS", description = "After --: the flags every trial's train (or finetune) run gets (e.g. -- --model small-cnn --epochs 2).")
    List<String> trainFlags = new ArrayList<>();

    record Trial(int index, Map<String, String> values, double score) {}

    /**
     * Refuses, before any trial runs, a metric that the trials' task never logs: the task's
     * validation metrics (from {@code --task} among the flags, classify when absent), with their
     * {@code ema_} twins when {@code --ema} is given, and train_loss.
     */
    static void requireLogged(String metric, List<String> flags) {
        String task = "classify";
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i).equals("--task") && i + 1 < flags.size()) task = flags.get(i + 1);
            else if (flags.get(i).startsWith("--task=")) task = flags.get(i).substring("--task=".length());
        }
        TaskNames.check(task);
        java.util.Set<String> logged = new java.util.LinkedHashSet<>(List.of("train_loss"));
        logged.addAll(TaskNames.of(task, 2, 0f).metrics().values("val_").keySet());
        if (flags.stream().anyMatch(f -> f.equals("--ema") || f.startsWith("--ema="))) logged.addAll(TaskNames.of(task, 2, 0f).metrics().values("ema_val_").keySet());
        if (!logged.contains(metric)) throw new IllegalArgumentException("--metric " + metric + " is not logged by --task " + task + " runs (logged: " + String.join(", ", logged) + ")");
    }

    @Override
    public Integer call() throws Exception {
        if (!command.equals("train") && !command.equals("finetune")) throw new IllegalArgumentException("--command must be train or finetune, got '" + command + "'");
        SearchSpace s = SearchSpace.parse(space);
        boolean higher = mode == null ? io.descent.train.EarlyStopping.higherIsBetter(metric) : switch (mode) {
            case "max" -> true;
            case "min" -> false;
            default -> throw new IllegalArgumentException("--mode must be max or min, got '" + mode + "'");
        };
        for (String f : trainFlags) {
            for (String name : s.params().keySet()) {
                if (f.equals("--" + name) || f.startsWith("--" + name + "=")) throw new IllegalArgumentException("--" + name + " is searched: leave it out of the flags after --");
            }
            if (f.equals("--run") || f.startsWith("--run=") || f.equals("--runs-dir") || f.startsWith("--runs-dir=")) {
                throw new IllegalArgumentException("the search names its trials' run folders: leave " + f + " out of the flags after -- (use the search's --run and --runs-dir)");
            }
        }
        requireLogged(metric, trainFlags);
        List<Map<String, String>> configs = grid ? s.grid() : s.random(trials, seed);
        Path dir = runsDir.resolve(run != null ? run : "search-" + System.currentTimeMillis() / 1000);
        if (Files.exists(dir)) throw new IllegalArgumentException("search folder " + dir + " exists: choose another --run");
        Files.createDirectories(dir);
        System.out.printf("descent search: %d %s trials of %s, scored by %s (%s is better); %s%n",
                configs.size(), grid ? "grid" : "random", String.join(" ", trainFlags), metric, higher ? "higher" : "lower", dir);

        List<Trial> done = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            Map<String, String> values = configs.get(i);
            String name = String.format(Locale.ROOT, "trial-%03d", i + 1);
            List<String> argv = new ArrayList<>(List.of(command));
            argv.addAll(trainFlags);
            values.forEach((k, v) -> argv.addAll(List.of("--" + k, v)));
            argv.addAll(List.of("--runs-dir", dir.toString(), "--run", name));
            System.out.printf("%n%s: %s%n", name, flags(values));
            int code = Main.execute(argv.toArray(String[]::new));
            double score = code == 0 ? best(dir.resolve(name).resolve("metrics.csv"), higher) : Double.NaN;
            if (code != 0) System.out.printf("%s failed (exit code %d): no score%n", name, code);
            done.add(new Trial(i + 1, values, score));
            writeCsv(dir.resolve("search.csv"), s, done);
        }

        List<Trial> ranked = done.stream().filter(t -> !Double.isNaN(t.score()))
                .sorted(Comparator.comparingDouble((Trial t) -> higher ? -t.score() : t.score())).toList();
        System.out.printf("%nsearch: %d trials, %d scored (%s)%n", done.size(), ranked.size(), dir.resolve("search.csv"));
        for (Trial t : ranked) System.out.printf(Locale.ROOT, "  trial-%03d  %s %.4f  %s%n", t.index(), metric, t.score(), flags(t.values()));
        if (ranked.isEmpty()) throw new IllegalStateException("no trial finished with a score; see " + dir);
        Trial best = ranked.get(0);
        System.out.printf(Locale.ROOT, "best: trial-%03d, %s %.4f: descent %s %s %s%n", best.index(), metric, best.score(), command, String.join(" ", trainFlags), flags(best.values()));
        System.out.printf("the trials' curves on one page: descent report %s%n", dir.resolve("trial-*"));
        return 0;
    }

    private static String flags(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append("--").append(k).append(' ').append(v));
        return b.toString();
    }

    /** The best value of the metric over a run's evaluations; a missing column is an error. */
    private double best(Path csv, boolean higher) throws IOException {
        double best = Double.NaN;
        for (Map<String, String> row : MetricsCsv.read(csv)) {
            String cell = row.get(metric);
            if (cell == null) throw new IllegalArgumentException("--metric " + metric + " is not a column of " + csv + " (" + String.join(",", row.keySet()) + ")");
            double v = Double.parseDouble(cell);
            if (!Double.isNaN(v) && (Double.isNaN(best) || (higher ? v > best : v < best))) best = v;
        }
        return best;
    }

    private void writeCsv(Path file, SearchSpace s, List<Trial> done) throws IOException {
        StringBuilder b = new StringBuilder("trial,").append(String.join(",", s.params().keySet())).append(',').append(metric).append('\n');
        for (Trial t : done) {
            b.append(t.index());
            for (String k : s.params().keySet()) b.append(',').append(t.values().get(k));
            b.append(',').append(Double.isNaN(t.score()) ? "" : Double.toString(t.score())).append('\n');
        }
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
