package io.descent.log;

import io.descent.io.AtomicFiles;
import io.descent.io.Json;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A run folder, {@code runs/NAME/}, and the logs a trainer writes into it: {@code config.json},
 * {@code metrics.csv} (one row per evaluation, {@link MetricsCsv}), a TensorBoard event file
 * ({@link TensorBoardWriter}) and {@code report.html} ({@link HtmlReport}). Checkpoints go
 * beside them under {@link #file}.
 *
 * <p>A trainer makes two calls while it trains: {@link #logScalars} for values it tracks per
 * step (lr, momentum, grad norm, update ratios, running loss; to TensorBoard and the report) and
 * {@link #logEvaluation} once per evaluation (a metrics.csv row with at least {@code epoch,
 * step, lr, train_loss, val_loss, val_acc}; its numbers also go to TensorBoard and the report
 * under their column names, so use one step count for both). Both kinds share one name space:
 * an evaluation's {@code lr} and the per-step {@code lr} are one curve.
 *
 * <p>{@link #create} refuses to write into a folder that already holds files unless told to
 * overwrite it, and even then only deletes a folder that looks like a run (it holds a
 * config.json, metrics.csv or event file), so a mistyped {@code --run} cannot wipe a home
 * directory. {@link #resume} continues a run from a checkpoint's step: the metrics rows and
 * TensorBoard points from that step on, written by the interrupted process after its last
 * checkpoint, are dropped, so the resumed run's logs read as if it had never stopped.
 * Not thread-safe.
 */
public final class RunDirectory implements Closeable {
    public static final String CONFIG_FILE = "config.json";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String REPORT_FILE = "report.html";
    /** Columns of an evaluation row that are axes, not metrics: not sent to TensorBoard. */
    private static final List<String> AXES = List.of("epoch", "step");

    private final Path dir;
    private final MetricsCsv metrics;
    private final TensorBoardWriter tensorBoard;
    private final RunHistory history;
    private Map<String, ?> config;
    private Map<String, ?> lastEvaluation;

    private RunDirectory(Path dir, MetricsCsv metrics, TensorBoardWriter tensorBoard, RunHistory history,
            Map<String, ?> config, Map<String, ?> lastEvaluation) {
        this.dir = dir;
        this.metrics = metrics;
        this.tensorBoard = tensorBoard;
        this.history = history;
        this.config = config;
        this.lastEvaluation = lastEvaluation;
    }

    /**
     * Starts a new run in {@code dir} (created with its parents if missing).
     *
     * @param overwrite delete what a previous run left in {@code dir}; without it a non-empty
     *     folder is an error
     */
    public static RunDirectory create(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException(dir + " exists and is not a folder");
        if (!isEmpty(dir)) {
            if (!overwrite) {
                throw new IOException("run folder " + dir + " already exists and is not empty: choose another run name, resume it, or overwrite it");
            }
            if (!looksLikeRun(dir)) {
                throw new IOException(dir + " is not empty and holds no " + CONFIG_FILE + ", " + METRICS_FILE
                        + " or TensorBoard file: not deleting a folder that is not a run");
            }
            deleteContents(dir);
        }
        Files.createDirectories(dir);
        return open(dir, Map.of(), new RunHistory(), Map.of(), null);
    }

    /**
     * Reopens an existing run to continue it from a checkpoint taken after {@code fromStep}
     * optimizer steps: metrics.csv rows with a {@code step} of {@code fromStep} or more are
     * removed, TensorBoard is told to forget points from that step on
     * ({@link TensorBoardWriter#restartAt}), and the report's history is read back from the
     * event files. New rows append below the existing ones; a new event file is started.
     */
    public static RunDirectory resume(Path dir, long fromStep) throws IOException {
        Map<String, Object> config = RunFolder.readConfig(dir);

        Path csv = dir.resolve(METRICS_FILE);
        Map<String, String> last = Map.of();
        if (Files.exists(csv)) {
            MetricsCsv.retainRows(csv, row -> stepOf(row) < fromStep);
            List<Map<String, String>> rows = MetricsCsv.read(csv);
            if (!rows.isEmpty()) last = rows.getLast();
        }
        return open(dir, config, null, last, fromStep);
    }

    /** Opens the writers; with a restart step, marks the restart and rebuilds the history from the event files. */
    private static RunDirectory open(Path dir, Map<String, ?> config, RunHistory history, Map<String, ?> last, Long restartAt)
            throws IOException {
        MetricsCsv csv = MetricsCsv.open(dir.resolve(METRICS_FILE));
        TensorBoardWriter tb;
        try {
            tb = TensorBoardWriter.create(dir);
        } catch (IOException | RuntimeException e) {
            csv.close();
            throw e;
        }
        try {
            if (restartAt != null) {
                tb.restartAt(restartAt);
                tb.flush();
                history = RunHistory.of(TensorBoardReader.readRun(dir));
            }
        } catch (IOException | RuntimeException e) {
            tb.close();
            csv.close();
            throw e;
        }
        return new RunDirectory(dir, csv, tb, history, config, last);
    }

    /** The run folder. */
    public Path path() {
        return dir;
    }

    /** A file in the run folder, e.g. {@code file("best.safetensors")}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Writes {@code config.json} atomically (replacing an earlier one): maps, lists, strings,
     * finite numbers, booleans and nulls, as {@link Json#write} takes them. The report shows it.
     */
    public void writeConfig(Map<String, ?> config) throws IOException {
        String json = Json.write(config);
        AtomicFiles.write(file(CONFIG_FILE), (json + "\n").getBytes(StandardCharsets.UTF_8));
        this.config = new LinkedHashMap<>(config);
    }

    /** Per-step values (e.g. {@code lr}, {@code grad_norm}) at optimizer step {@code step}: to TensorBoard and the report. */
    public void logScalars(long step, Map<String, ? extends Number> scalars) throws IOException {
        for (Map.Entry<String, ? extends Number> e : scalars.entrySet()) {
            if (e.getValue() != null) scalar(e.getKey(), step, e.getValue().doubleValue());
        }
    }

    /**
     * One evaluation: a row of metrics.csv (the first row of a new file fixes the columns;
     * {@code null} writes an empty cell) whose numbers, but {@code epoch} and {@code step}, also
     * go to TensorBoard and the report at the row's {@code step}. The row must have a
     * {@code step}. TensorBoard's file is flushed, so a watching TensorBoard sees the evaluation.
     */
    public void logEvaluation(Map<String, ?> row) throws IOException {
        if (!(row.get("step") instanceof Number n)) throw new IllegalArgumentException("an evaluation row needs a numeric \"step\", got " + row.get("step"));
        long step = n.longValue();
        metrics.append(row);
        for (Map.Entry<String, ?> e : row.entrySet()) {
            if (!AXES.contains(e.getKey()) && e.getValue() instanceof Number v) scalar(e.getKey(), step, v.doubleValue());
        }
        tensorBoard.flush();
        lastEvaluation = new LinkedHashMap<>(row);
    }

    /** Everything logged so far, this process and, for a resumed run, the ones before. */
    public RunHistory history() {
        return history;
    }

    /**
     * A report of the run so far: charts of the history, the last evaluation as final metrics,
     * and the configuration. Add to it (an image grid, test metrics) before writing it with
     * {@link #writeReport(HtmlReport)}.
     */
    public HtmlReport.Builder report(String title) {
        return RunReport.builder(title, history, lastEvaluation, config).subtitle(dir.toAbsolutePath().normalize() + " · written " + RunFolder.now());
    }

    /** Writes {@code report.html} atomically. */
    public void writeReport(HtmlReport report) throws IOException {
        report.write(file(REPORT_FILE));
    }

    /** Writes {@code report.html} with the standard content: {@code writeReport(report(title).build())}. */
    public void writeReport(String title) throws IOException {
        writeReport(report(title).build());
    }

    /** Pushes buffered TensorBoard events to disk (metrics rows are flushed as written). */
    public void flush() throws IOException {
        tensorBoard.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            tensorBoard.close();
        } finally {
            metrics.close();
        }
    }

    private void scalar(String tag, long step, double value) throws IOException {
        Objects.requireNonNull(tag, "tag");
        if (!history.endsWith(tag, step, value)) tensorBoard.scalar(tag, value, step);
        history.add(tag, step, value);
    }

    /** A metrics row's step, or -1 for a row without one (kept by every resume). */
    private static long stepOf(Map<String, String> row) {
        String s = row.get("step");
        if (s == null || s.isEmpty()) return -1;
        try {
            return (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return true;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static boolean looksLikeRun(Path dir) throws IOException {
        return Files.exists(dir.resolve(CONFIG_FILE)) || Files.exists(dir.resolve(METRICS_FILE)) || !TensorBoardReader.eventFiles(dir).isEmpty();
    }

    private static void deleteContents(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) Files.delete(p);
    }
}
