package io.descent.log;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV line to and from its cells, as RFC 4180 quotes them: a cell holding a comma or a
 * double quote is wrapped in double quotes, with its quotes doubled. Cells never hold a line
 * break (refused on writing), so one line of a file is one row, which keeps appending and
 * repairing a torn last line simple.
 */
final class CsvCells {
    private CsvCells() {}

    /** The cells joined into a line, without the line break. */
    static String join(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append(',');
            String c = cells.get(i);
            if (c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) throw new IllegalArgumentException("a CSV cell cannot hold a line break: " + c.strip());
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0) b.append('"').append(c.replace("\"", "\"\"")).append('"');
            else b.append(c);
        }
        return b.toString();
    }

    /** The cells of one line (without its line break); a malformed quote is an {@link IllegalArgumentException}. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) throw new IllegalArgumentException("unterminated quoted CSV cell in: " + line);
                    char c = line.charAt(i++);
                    if (c != '"') {
                        cell.append(c);
                    } else if (i < line.length() && line.charAt(i) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') throw new IllegalArgumentException("text after a quoted CSV cell in: " + line);
            } else {
                while (i < line.length() && line.charAt(i) != ',') cell.append(line.charAt(i++));
            }
            cells.add(cell.toString());
            cell.setLength(0);
            if (i >= line.length()) return cells;
            i++; // the comma
        }
    }
}
