package io.descent.log;

import io.descent.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A run's {@code metrics.csv}: one row per evaluation, appended and flushed as it comes, so the
 * file is readable (by pandas, a spreadsheet, {@link #read}) while training runs.
 *
 * <p>The columns are fixed by the header: the first row's keys, in the map's iteration order,
 * for a new file; the existing header when an existing file is reopened (a resumed run appends
 * below it, with one header). Every later row must have exactly those keys (in any order), or
 * {@link #append} refuses it naming the missing and unexpected columns: a silent shift of
 * columns would make the file lie.
 *
 * <p>Cells: numbers in the shortest form that reads back to the same value
 * ({@link Double#toString}, {@link Float#toString} for floats, integers as they are), so no
 * digit is lost; {@code NaN}, {@code Infinity} and {@code -Infinity} for the non-finite values
 * (a diverged loss is data, and Java's and Python's float parsers both read these);
 * an <em>empty</em> cell for a {@code null} value (a metric not measured at that evaluation);
 * text and booleans as text, quoted when needed ({@link CsvCells}).
 *
 * <p>If a previous process died in the middle of a row, reopening cuts that torn last line
 * off before appending. Not thread-safe.
 */
public final class MetricsCsv implements Closeable {
    private final Path file;
    private final BufferedWriter out;
    private List<String> columns;

    private MetricsCsv(Path file, BufferedWriter out, List<String> columns) {
        this.file = file;
        this.out = out;
        this.columns = columns;
    }

    /** Opens {@code file} for appending, creating it if missing; an existing header fixes the columns. */
    public static MetricsCsv open(Path file) throws IOException {
        cutTornLastLine(file);
        List<String> columns = List.of();
        if (Files.exists(file) && Files.size(file) > 0) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                columns = List.copyOf(CsvCells.split(in.readLine()));
            }
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new MetricsCsv(file, out, columns);
    }

    /** The file's columns, in file order; empty until a new file's first row. */
    public List<String> columns() {
        return columns;
    }

    /** Appends one row and flushes it to the file. */
    public void append(Map<String, ?> row) throws IOException {
        if (row.isEmpty()) throw new IllegalArgumentException("a metrics row needs at least one column");
        List<String> cells = new ArrayList<>(row.size());
        if (columns.isEmpty()) {
            List<String> header = List.copyOf(row.keySet());
            for (String h : header) {
                if (h.isEmpty()) throw new IllegalArgumentException("empty column name in a metrics row");
            }
            for (String h : header) cells.add(format(h, row.get(h)));
            out.write(CsvCells.join(header));
            out.write('\n');
            columns = header;
        } else {
            checkColumns(row.keySet());
            for (String c : columns) cells.add(format(c, row.get(c)));
        }
        out.write(CsvCells.join(cells));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The complete rows of a metrics file, each keyed by column in header order (a torn last line is left out). */
    public static List<Map<String, String>> read(Path file) throws IOException {
        String[] parts = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
        // the last part is empty after a final line break, or a torn row: either way not a row
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < parts.length - 1; i++) lines.add(parts[i].endsWith("\r") ? parts[i].substring(0, parts[i].length() - 1) : parts[i]);
        if (lines.isEmpty()) return List.of();
        List<String> header = CsvCells.split(lines.getFirst());
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> cells = CsvCells.split(lines.get(i));
            if (cells.size() != header.size()) {
                throw new IOException(file + " line " + (i + 1) + ": " + cells.size() + " cells under a header of " + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) row.put(header.get(c), cells.get(c));
            rows.add(row);
        }
        return rows;
    }

    /**
     * Rewrites {@code file} atomically without the rows {@code keep} rejects (header kept);
     * a file whose rows are all kept is left untouched.
     */
    public static void retainRows(Path file, Predicate<Map<String, String>> keep) throws IOException {
        List<Map<String, String>> rows = read(file);
        List<Map<String, String>> kept = rows.stream().filter(keep).toList();
        if (kept.size() == rows.size()) return;
        List<String> header = List.copyOf(rows.getFirst().keySet()); // a row was dropped, so there is one
        StringBuilder b = new StringBuilder(CsvCells.join(header)).append('\n');
        for (Map<String, String> row : kept) b.append(CsvCells.join(List.copyOf(row.values()))).append('\n');
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void checkColumns(Set<String> keys) {
        if (keys.size() == columns.size() && keys.containsAll(columns)) return;
        Set<String> missing = new LinkedHashSet<>(columns);
        missing.removeAll(keys);
        Set<String> unexpected = new LinkedHashSet<>(keys);
        columns.forEach(unexpected::remove);
        throw new IllegalArgumentException(file + " has columns " + columns + "; this row lacks " + missing + " and adds " + unexpected);
    }

    private static String format(String column, Object v) {
        return switch (v) {
            case null -> "";
            case Double d -> Double.toString(d);
            case Float f -> Float.toString(f);
            case Long l -> Long.toString(l);
            case Integer i -> Integer.toString(i);
            case Short s -> Short.toString(s);
            case Byte b -> Byte.toString(b);
            case BigInteger b -> b.toString();
            case BigDecimal b -> b.toString();
            case String s -> s;
            case Boolean b -> b.toString();
            default -> throw new IllegalArgumentException("column " + column + ": cannot write a " + v.getClass().getName() + " to metrics.csv");
        };
    }

    /** Truncates the file after its last line break, dropping a row a killed writer left half-written. */
    private static void cutTornLastLine(Path file) throws IOException {
        if (!Files.exists(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            long keep = size;
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') break;
                keep--;
            }
            if (keep < size) ch.truncate(keep);
        }
    }
}
