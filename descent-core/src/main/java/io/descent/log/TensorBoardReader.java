package io.descent.log;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads scalars back from TensorBoard event files: the run folder uses it to rebuild the history
 * of a resumed run for its report, and tests use it to check what {@link TensorBoardWriter}
 * wrote. Every record's CRCs are checked; a record cut short at the end of a file (a writer that
 * was killed) ends the file, as TensorBoard itself treats it.
 */
public final class TensorBoardReader {
    private TensorBoardReader() {}

    /** The scalars of one event file, in file order, as written (restart marks not applied). */
    public static List<ScalarEvent> readScalars(Path file) throws IOException {
        List<ScalarEvent> out = new ArrayList<>();
        read(file, out, false);
        return out;
    }

    /**
     * The scalars of a run directory as TensorBoard shows them: its event files in name order,
     * each restart mark ({@link TensorBoardWriter#restartAt}) dropping the scalars read so far
     * at its step and beyond.
     */
    public static List<ScalarEvent> readRun(Path dir) throws IOException {
        List<ScalarEvent> out = new ArrayList<>();
        for (Path file : eventFiles(dir)) read(file, out, true);
        return out;
    }

    /** The event files of a run directory, in the name order TensorBoard reads them. */
    public static List<Path> eventFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(TensorBoardWriter.FILE_PREFIX) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    private static void read(Path file, List<ScalarEvent> out, boolean applyRestarts) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (int index = 0; ; index++) {
                EventProto.Event e;
                try {
                    byte[] record = TfRecord.read(in);
                    if (record == null) break;
                    e = EventProto.decode(record);
                } catch (EOFException truncatedTail) {
                    break;
                } catch (IOException bad) {
                    throw new IOException(file + ", record " + index + ": " + bad.getMessage(), bad);
                }
                if (index == 0 && !EventProto.FILE_VERSION.equals(e.fileVersion())) {
                    throw new IOException(file + ": not a TensorBoard event file (first event has file_version " + e.fileVersion() + ")");
                }
                if (applyRestarts && e.sessionStart()) out.removeIf(s -> s.step() >= e.step());
                out.addAll(e.scalars());
            }
        }
    }
}
