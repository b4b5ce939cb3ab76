package io.descent.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Reads a numeric table (CSV) into an {@link ArrayDataset} of [F] rows plus labels, the input
 * of an MLP. Fields may be quoted ({@code "a,b"}, {@code ""} for a quote, RFC 4180) but not
 * span lines; blank lines are skipped. Every feature must be a number (missing values are
 * refused with the line and column).
 *
 * <p>Labels: when every label field is a non-negative integer, it is the label and the classes
 * are {@code "0".."max"}; otherwise the classes are the distinct label strings sorted, and the
 * label is the position of its string.
 */
public final class Csv {
    /**
     * {@code delimiter} between fields; {@code header}: the first line names the columns and is
     * skipped; {@code labelColumn}: the label's column (0-based, negative counts from the end,
     * -1 the last), empty for unlabelled rows.
     */
    public record Options(char delimiter, boolean header, OptionalInt labelColumn) {
        /** Comma-separated, a header line, the label in the last column. */
        public static final Options DEFAULT = new Options(',', true, OptionalInt.of(-1));

        public Options {
            Objects.requireNonNull(labelColumn, "labelColumn");
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') throw new IllegalArgumentException("Csv: delimiter cannot be " + (int) delimiter);
        }

        public Options withDelimiter(char v) {
            return new Options(v, header, labelColumn);
        }

        public Options withHeader(boolean v) {
            return new Options(delimiter, v, labelColumn);
        }

        public Options withLabelColumn(int v) {
            return new Options(delimiter, header, OptionalInt.of(v));
        }

        public Options withoutLabel() {
            return new Options(delimiter, header, OptionalInt.empty());
        }
    }

    private Csv() {}

    public static ArrayDataset read(Path file, Options options) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in, options);
        } catch (IOException e) {
            throw new UncheckedIOException("Csv " + file + ": " + e.getMessage(), e);
        }
    }

    static ArrayDataset parse(String name, BufferedReader in, Options options) throws IOException {
        int columns = -1, labelAt = -1, lineNo = 0;
        float[] values = new float[1024];
        int count = 0;
        List<String> labelFields = new ArrayList<>();
        String line;
        boolean headerPending = options.header();
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            List<String> fields = split(line, options.delimiter(), name, lineNo);
            if (columns < 0) {
                columns = fields.size();
                if (options.labelColumn().isPresent()) {
                    int l = options.labelColumn().getAsInt();
                    labelAt = l < 0 ? columns + l : l;
                    if (labelAt < 0 || labelAt >= columns) throw new IllegalArgumentException("Csv " + name + ": label column " + l + " does not exist in " + columns + " columns");
                    if (columns == 1) throw new IllegalArgumentException("Csv " + name + ": a single column holds no features besides the label");
                }
            } else if (fields.size() != columns) {
                throw new IllegalArgumentException("Csv " + name + ": line " + lineNo + " has " + fields.size() + " fields, expected " + columns);
            }
            if (headerPending) {
                headerPending = false;
                continue;
            }
            for (int c = 0; c < columns; c++) {
                String f = fields.get(c).trim();
                if (c == labelAt) {
                    labelFields.add(f);
                    continue;
                }
                if (count == values.length) values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
                values[count++] = number(f, name, lineNo, c);
            }
        }
        if (columns < 0 || count == 0) throw new IllegalArgumentException("Csv " + name + ": no data rows");
        int features = labelAt >= 0 ? columns - 1 : columns;
        values = Arrays.copyOf(values, count);
        if (labelAt < 0) return new ArrayDataset(values, new int[] {features}, null, List.of());
        return labelled(values, features, labelFields);
    }

    private static ArrayDataset labelled(float[] values, int features, List<String> fields) {
        int[] labels = new int[fields.size()];
        boolean numeric = true;
        int max = -1;
        for (int i = 0; i < labels.length && numeric; i++) {
            String f = fields.get(i);
            numeric = !f.isEmpty() && f.chars().allMatch(Character::isDigit) && f.length() < 10;
            if (numeric) max = Math.max(max, labels[i] = Integer.parseInt(f));
        }
        List<String> classes = new ArrayList<>();
        if (numeric) {
            for (int k = 0; k <= max; k++) classes.add(Integer.toString(k));
        } else {
            classes.addAll(new TreeSet<>(fields));
            for (int i = 0; i < labels.length; i++) labels[i] = classes.indexOf(fields.get(i));
        }
        return new ArrayDataset(values, new int[] {features}, labels, classes);
    }

    private static float number(String f, String name, int line, int column) {
        try {
            float v = Float.parseFloat(f);
            if (Float.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Csv " + name + ": line " + line + ", column " + (column + 1) + ": '" + f + "' is not a finite number");
    }

    /** One line's fields, RFC 4180 quoting within the line. */
    static List<String> split(String line, char delimiter, String name, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == delimiter) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) throw new IllegalArgumentException("Csv " + name + ": line " + lineNo + " has an unclosed quote");
        out.add(field.toString());
        return out;
    }
}
