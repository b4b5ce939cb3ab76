package io.descent.log;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Writes scalars to a TensorBoard event file, {@code events.out.tfevents.<unix seconds>.<host>}
 * in a given directory (TensorBoard reads every such file of a run directory, in name order).
 * The file is a sequence of {@link TfRecord} records, each an {@code Event} protobuf
 * ({@link EventProto}); the first carries {@code file_version = "brain.Event:2"}, the next ones
 * one {@code Summary.Value{tag, simple_value}} each, as TensorFlow's and PyTorch's summary
 * writers do.
 *
 * <p>Writes are buffered: {@link #flush()} makes them visible to a TensorBoard watching the
 * directory (the run folder flushes after every evaluation), {@link #close()} flushes and
 * closes. Values are stored as 32-bit floats, TensorBoard's scalar type; NaN and infinities are
 * stored as they are (TensorBoard shows them). Not thread-safe.
 */
public final class TensorBoardWriter implements Closeable {
    /** The prefix TensorBoard looks for in a run directory. */
    public static final String FILE_PREFIX = "events.out.tfevents.";

    private final Path file;
    private final InstantSource clock;
    private final OutputStream out;
    private boolean closed;

    private TensorBoardWriter(Path file, OutputStream out, InstantSource clock) {
        this.file = file;
        this.out = out;
        this.clock = clock;
    }

    /** A new event file in {@code dir} (created if missing), stamped with the system clock. */
    public static TensorBoardWriter create(Path dir) throws IOException {
        return create(dir, InstantSource.system());
    }

    /**
     * A new event file in {@code dir}, its name and wall times taken from {@code clock}. A file
     * of the same name (two writers in the same second) gets a {@code .1}, {@code .2}, ... suffix
     * rather than being appended to or replaced.
     */
    public static TensorBoardWriter create(Path dir, InstantSource clock) throws IOException {
        Files.createDirectories(dir);
        String base = FILE_PREFIX + clock.instant().getEpochSecond() + "." + hostName();
        for (int n = 0; ; n++) {
            Path file = dir.resolve(n == 0 ? base : base + "." + n);
            OutputStream raw;
            try {
                raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (n >= 1000) throw e;
                continue;
            }
            TensorBoardWriter w = new TensorBoardWriter(file, new BufferedOutputStream(raw, 1 << 16), clock);
            try {
                TfRecord.write(w.out, EventProto.fileVersion(w.now()));
                w.out.flush();
            } catch (IOException | RuntimeException e) {
                w.out.close();
                throw e;
            }
            return w;
        }
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    /** Records {@code value} under {@code tag} (e.g. {@code "val_loss"}, {@code "lr"}) at training step {@code step}. */
    public void scalar(String tag, double value, long step) throws IOException {
        Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty()) throw new IllegalArgumentException("empty TensorBoard tag");
        if (step < 0) throw new IllegalArgumentException("negative step " + step + " for tag " + tag);
        if (closed) throw new IllegalStateException("TensorBoard writer closed: " + file);
        TfRecord.write(out, EventProto.scalar(now(), step, tag, (float) value));
    }

    /**
     * Marks a restart from a checkpoint taken at {@code step}: TensorBoard then forgets the
     * events of earlier sessions at {@code step} and beyond (a {@code SessionLog} START event,
     * see {@link EventProto}), so a resumed run shows one curve, not the old one overlaid.
     */
    public void restartAt(long step) throws IOException {
        if (step < 0) throw new IllegalArgumentException("negative step " + step);
        if (closed) throw new IllegalStateException("TensorBoard writer closed: " + file);
        TfRecord.write(out, EventProto.sessionStart(now(), step));
    }

    /** Pushes buffered events to the file. */
    public void flush() throws IOException {
        if (!closed) out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        out.close();
    }

    private double now() {
        Instant t = clock.instant();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /**
     * This machine's name as the file name carries it: {@code HOSTNAME} when set (no lookup),
     * else the local host name, with anything but letters, digits, '.', '-' and '_' replaced.
     */
    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
