package io.descent.log;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The console progress of one epoch (or any counted loop): steps done of the total, rate in
 * steps/s and images/s, time left, and the running values the trainer passes (loss, accuracy,
 * lr, ...). Usage: {@link #start} at the top of the epoch, {@link #step} after each step,
 * {@link #finish} at the end.
 *
 * <p>On a terminal the line is redrawn in place with {@code \r} (at most every
 * {@value #REDRAW_MILLIS} ms), like tqdm. Elsewhere, a CI log or a file, {@code \r} would pile up
 * as garbage, so it prints plain lines instead, and few of them: one each time another tenth of
 * the epoch is done, so an epoch writes at most ten lines however long it is; when the total is
 * unknown, one line every {@value #PLAIN_INTERVAL_SECONDS} s. {@link #finish} always prints the
 * closing line (with the elapsed time instead of the time left).
 *
 * <p>Rates are averages over the epoch so far, so the time left is
 * {@code (total - done) / (done / elapsed)}; the clock is injectable for tests. Not thread-safe.
 */
public final class ProgressBar {
    static final long REDRAW_MILLIS = 100;
    static final long PLAIN_INTERVAL_SECONDS = 30;
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;

    private String label = "";
    private long total;
    private long done;
    private long samples;
    private long startNanos;
    private long lastStepNanos;
    private long lastDrawNanos;
    private int lastDecile;
    private int lastLength;
    private boolean running;

    /**
     * @param terminal redraw in place ({@code true}) or print plain lines
     * @param nanoTime a monotonic clock in nanoseconds, {@link System#nanoTime} outside tests
     */
    public ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A progress bar on {@code out} that redraws in place only when {@link #isTerminal()}. */
    public static ProgressBar forConsole(PrintStream out) {
        return new ProgressBar(out, isTerminal(), System::nanoTime);
    }

    /** Whether standard output is an interactive terminal that understands {@code \r}: a console attached, {@code TERM} not "dumb". */
    public static boolean isTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Starts a new epoch.
     *
     * @param label what is counted, e.g. {@code "epoch 3/10"}
     * @param totalSteps steps in the epoch, or 0 when unknown (no percentage, no time left)
     */
    public void start(String label, long totalSteps) {
        if (totalSteps < 0) throw new IllegalArgumentException("negative total " + totalSteps);
        this.label = Objects.requireNonNull(label, "label");
        this.total = totalSteps;
        this.done = 0;
        this.samples = 0;
        this.startNanos = nanoTime.getAsLong();
        this.lastStepNanos = startNanos;
        this.lastDrawNanos = startNanos;
        this.lastDecile = 0;
        this.lastLength = 0;
        this.running = true;
    }

    /**
     * One step is done.
     *
     * @param stepSamples images (samples) in the step, for the img/s rate
     * @param shown the running values to show, in order, e.g. {@code loss}, {@code acc}, {@code lr}
     */
    public void step(long stepSamples, Map<String, ? extends Number> shown) {
        if (!running) throw new IllegalStateException("step() before start()");
        done++;
        samples += stepSamples;
        long now = nanoTime.getAsLong();
        lastStepNanos = now;
        if (terminal) {
            if (now - lastDrawNanos >= REDRAW_MILLIS * 1_000_000L || done == total) redraw(line(now, shown, false));
        } else if (total > 0) {
            int decile = (int) Math.min(9, done * 10 / total);
            if (decile > lastDecile) {
                lastDecile = decile;
                out.println(line(now, shown, false));
            }
        } else if (now - lastDrawNanos >= PLAIN_INTERVAL_SECONDS * 1_000_000_000L) {
            lastDrawNanos = now;
            out.println(line(now, shown, false));
        }
    }

    /**
     * Ends the epoch with a closing line: totals, the steps' rates, elapsed time and the final
     * values. Called after the epoch's evaluation: the time since the last step is shown as
     * that ("0:48 (0:35 of it evaluating)") and left out of the rates.
     */
    public void finish(Map<String, ? extends Number> shown) {
        if (!running) throw new IllegalStateException("finish() before start()");
        running = false;
        String line = line(nanoTime.getAsLong(), shown, true);
        if (terminal) {
            redraw(line);
            out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void redraw(String line) {
        lastDrawNanos = nanoTime.getAsLong();
        int pad = Math.max(0, lastLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    /** The status line at time {@code now}. */
    String line(long now, Map<String, ? extends Number> shown, boolean finished) {
        double elapsed = (now - startNanos) / 1e9;
        // the closing line comes after the epoch's evaluation: its rates count the steps alone
        double stepping = finished ? (lastStepNanos - startNanos) / 1e9 : elapsed;
        StringBuilder b = new StringBuilder(label);
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            if (terminal) {
                int filled = (int) Math.round(fraction * BAR_WIDTH);
                b.append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
            }
            b.append(String.format(Locale.ROOT, " %3d%% %d/%d", (int) Math.floor(fraction * 100), done, total));
        } else {
            b.append(' ').append(done).append(" steps");
        }
        if (stepping > 0 && done > 0) {
            b.append(String.format(Locale.ROOT, " | %.1f it/s %.0f img/s", done / stepping, samples / stepping));
        }
        if (finished) {
            b.append(" | ").append(duration(elapsed));
            if (elapsed - stepping >= 1) b.append(" (").append(duration(elapsed - stepping)).append(" of it evaluating)");
        } else if (total > 0 && elapsed > 0 && done > 0) {
            b.append(" | ETA ").append(duration((total - done) * elapsed / done));
        }
        if (shown != null && !shown.isEmpty()) {
            b.append(" |");
            shown.forEach((k, v) -> b.append(' ').append(k).append(' ').append(Formats.significant(v.doubleValue(), 4)));
        }
        return b.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
