package io.descent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The child JVM of {@code descent bench memory}: trains a workload for a few steps the way the
 * e2e bench does ({@link DescentE2e}, no evaluation), then prints its process's peak resident
 * set ({@code VmHWM} of /proc/self/status) as {@code peak_rss_kib N}. Exits with
 * {@link ChildJvm#OUT_OF_MEMORY_EXIT} when the heap runs out.
 *
 * <p>Arguments: {@code WORKLOAD STEPS THREADS [DATA_DIR]}.
 */
public final class MemoryProbe {
    /** The line prefix the parent looks for. */
    static final String RSS_PREFIX = "peak_rss_kib ";

    private MemoryProbe() {}

    /** The child's arguments. */
    static List<String> args(Workload w, int steps, int threads, Path dataDir) {
        return dataDir == null ? List.of(w.name(), "" + steps, "" + threads) : List.of(w.name(), "" + steps, "" + threads, dataDir.toString());
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) throw new IllegalArgumentException("MemoryProbe: arguments WORKLOAD STEPS THREADS [DATA_DIR]");
        Workload w = Workload.parse(List.of(args[0])).get(0);
        int steps = Integer.parseInt(args[1]), threads = Integer.parseInt(args[2]);
        Path data = args.length > 3 ? Path.of(args[3]) : null;
        try {
            E2eResult r = DescentE2e.run(w, threads, 0, data, steps, false);
            System.out.printf(Locale.ROOT, "trained %d steps of %s%n", r.steps(), w);
        } catch (OutOfMemoryError e) {
            System.out.println("OutOfMemoryError: " + e.getMessage());
            System.exit(ChildJvm.OUT_OF_MEMORY_EXIT);
        }
        Long rss = vmHwmKib(Path.of("/proc/self/status"));
        if (rss != null) System.out.println(RSS_PREFIX + rss);
        System.exit(0); // the loader's and the kernel team's threads must not keep the JVM alive
    }

    /** VmHWM in KiB from a /proc/PID/status file, or null where there is none (not Linux). */
    static Long vmHwmKib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The peak RSS a child printed, in KiB, or null. */
    static Long reportedRssKib(String childOutput) {
        for (String line : childOutput.lines().toList()) {
            if (line.startsWith(RSS_PREFIX)) return Long.parseLong(line.substring(RSS_PREFIX.length()).trim());
        }
        return null;
    }
}
