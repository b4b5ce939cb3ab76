package io.descent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fresh JVM with a heap limit, running a main class of this class path: the memory
 * measurements need one because a heap's limit is fixed at start-up. It runs the same java
 * binary and class path as this process, with the launcher's flags (G1 with 4 MiB regions,
 * {@code -Xss4m}, transparent huge pages where the kernel gives them on request). A child
 * that runs out of heap ends with {@link #OUT_OF_MEMORY_EXIT} (or with the error in its
 * output, when it surfaced on a kernel worker thread); any other failure is an error, not a
 * result.
 */
public final class ChildJvm {
    /** The exit status a child uses to say it ran out of heap. */
    public static final int OUT_OF_MEMORY_EXIT = 3;

    /** How a child ended. */
    public enum Outcome { COMPLETED, OUT_OF_MEMORY, TIMED_OUT }

    /** A child's outcome, its output (stdout and stderr merged) and its wall time. */
    public record Result(Outcome outcome, String output, double seconds) {}

    private ChildJvm() {}

    /**
     * The command that runs {@code main} with {@code args} in a JVM whose heap is limited to
     * {@code xmx} (e.g. "512m"), with the collector settings of the {@code descent} launcher
     * (its comments say why each one is there).
     */
    public static List<String> command(String xmx, Class<?> main, List<String> args) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=4m", "-Xss4m",
                "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=80", "-XX:MaxHeapFreeRatio=100", "-Xmx" + xmx));
        if (hugePagesOnRequest()) cmd.add("-XX:+UseTransparentHugePages");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Whether the kernel gives transparent huge pages to memory that asks for them (madvise), where the launcher has the heap ask. */
    static boolean hugePagesOnRequest() {
        try {
            return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false; // no such file (not Linux, or no THP): nothing to ask for
        }
    }

    /**
     * Runs a child to its end, handing each line of its output to {@code echo} (null: none)
     * but the JVM's incubator warning; a child still running after {@code timeoutSeconds}
     * (0: no limit) is killed and reported as {@link Outcome#TIMED_OUT}.
     */
    public static Result run(List<String> cmd, Consumer<String> echo, double timeoutSeconds) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (echo != null && !line.startsWith("WARNING: Using incubator")) echo.accept(line);
                }
            } catch (IOException e) {
                synchronized (out) {
                    out.append("(reading the child's output failed: ").append(e.getMessage()).append(")\n");
                }
            }
        });
        boolean ended = timeoutSeconds > 0 ? p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS) : p.waitFor() >= 0;
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        reader.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String text;
        synchronized (out) {
            text = out.toString();
        }
        if (!ended) return new Result(Outcome.TIMED_OUT, text, seconds);
        int rc = p.exitValue();
        if (rc == 0) return new Result(Outcome.COMPLETED, text, seconds);
        // the error can also surface in a kernel worker thread and end the JVM with status 1
        if (rc == OUT_OF_MEMORY_EXIT || text.contains("java.lang.OutOfMemoryError")) return new Result(Outcome.OUT_OF_MEMORY, text, seconds);
        throw new IllegalStateException("child JVM failed with status " + rc + ": " + String.join(" ", cmd) + "\n" + text);
    }
}
