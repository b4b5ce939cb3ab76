package io.descent.log;

import io.descent.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run read back from its folder, finished or interrupted, without writing to it: its
 * {@code config.json}, the last {@code metrics.csv} row and the history of its TensorBoard
 * event files. Lays out its report again ({@link #report}), or several runs' curves side by
 * side ({@link #compare}).
 */
public record RunFolder(Path dir, Map<String, Object> config, Map<String, String> lastEvaluation, RunHistory history) {
    public static RunFolder read(Path dir) throws IOException {
        Map<String, Object> config = readConfig(dir);
        Path csv = dir.resolve(RunDirectory.METRICS_FILE);
        List<Map<String, String>> rows = Files.exists(csv) ? MetricsCsv.read(csv) : List.of();
        return new RunFolder(dir, config, rows.isEmpty() ? Map.of() : rows.getLast(), RunHistory.of(TensorBoardReader.readRun(dir)));
    }

    /** A run folder's {@code config.json}; a folder without one is not a run. */
    static Map<String, Object> readConfig(Path dir) throws IOException {
        Path file = dir.resolve(RunDirectory.CONFIG_FILE);
        if (!Files.isRegularFile(file)) throw new IOException(dir + " is not a run folder: it has no " + RunDirectory.CONFIG_FILE);
        Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> m)) throw new IOException(file + " does not hold a JSON object");
        Map<String, Object> config = new LinkedHashMap<>();
        m.forEach((k, v) -> config.put((String) k, v));
        return config;
    }

    /** The name a comparison gives this run: its folder's. */
    public String name() {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    /** The run's report, as training writes it at its end. */
    public HtmlReport.Builder report(String title) {
        return RunReport.builder(title, history, lastEvaluation, config).subtitle(dir.toAbsolutePath().normalize() + " · written " + now());
    }

    /** One chart per logged scalar, a line per run, and each run's last evaluation. */
    public static HtmlReport.Builder compare(String title, List<RunFolder> runs) {
        return RunReport.compare(title, runs).subtitle(runs.size() + " runs · written " + now());
    }

    static String now() {
        return LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace('T', ' ');
    }
}
