package io.descent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch 2.7 through DJL, the second PyTorch of {@code descent bench e2e} (W1 and W2 only).
 * DJL brings native code and a ~450 MB download, which Descent itself must not depend on, so it
 * lives in the optional module descent-bench-djl (built only with {@code -Pdjl}); this class
 * runs that module's {@code DjlE2eMain} as a child JVM, like {@link PyTorchE2e} runs Python, and
 * reads its JSON line. When the module has not been built the result is null and
 * {@link #lastProblem()} says how to build it: never an error.
 *
 * <p>Unlike the Python child, OMP_WAIT_POLICY is left at libtorch's default (active) unless
 * the caller sets it: PyTorch 2.7's W1 measured ~32,000 images/s active against ~21,000
 * passive on the same machine in the same minute, so active is its faster setting.
 */
public final class DjlE2e {
    /** How to build the runner, for the "not measured" note. */
    public static final String BUILD_HINT = "mvn -Pdjl -pl descent-bench-djl -am -DskipTests package";
    private static final String MAIN = "io.descent.bench.djl.DjlE2eMain";
    private static String lastProblem;

    private DjlE2e() {}

    /** Why the last {@link #run} gave null (or null after a success). */
    public static String lastProblem() {
        return lastProblem;
    }

    /** Whether DJL has a runner for {@code w}: the Fashion-MNIST MLP and small CNN. */
    public static boolean supports(E2eWorkload w) {
        return w == Workload.W1 || w == Workload.W2;
    }

    /**
     * The runner's build output: {@code descent-bench-djl/target} under the repository root
     * (system property {@code descent.home}, set by the launcher; else the working directory).
     */
    static Path target() {
        return Path.of(System.getProperty("descent.home", "."), "descent-bench-djl", "target");
    }

    /** The child's class path when the runner is built under {@code target}, else null. */
    static String classPath(Path target) {
        Path classes = target.resolve("classes"), lib = target.resolve("lib");
        if (!Files.isDirectory(classes.resolve("io/descent/bench/djl")) || !Files.isDirectory(lib)) return null;
        return classes + java.io.File.pathSeparator + lib.resolve("*");
    }

    /** {@code w} trained by PyTorch via DJL, or null when unsupported, not built or failed ({@link #lastProblem()}). */
    public static E2eResult run(E2eWorkload w, int threads, long seed, Path dataDir) {
        lastProblem = null;
        if (!supports(w)) return fail("DJL runs W1 and W2 only");
        String cp = classPath(target());
        if (cp == null) return fail("DJL runner not built: run " + BUILD_HINT);
        List<String> cmd = command(cp, w, threads, seed, dataDir);
        try {
            Map<String, Object> m = PyTorchE2e.runJson(cmd, threads, null, "DJL runner");
            return m == null ? fail(PyTorchE2e.lastProblem()) : parse(m);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The child JVM's command line. The Vector API module is added because the runner reads its
     * batches through Descent's data set classes, whose kernels use it (without it the child
     * failed with ClassNotFoundException: jdk.incubator.vector.Vector).
     */
    static List<String> command(String cp, E2eWorkload w, int threads, long seed, Path dataDir) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=" + threads,
                "-cp", cp, MAIN, w.name(), Integer.toString(threads), Long.toString(seed)));
        if (dataDir != null) cmd.add(dataDir.toString());
        return cmd;
    }

    /** The runner's JSON object: the Python script's keys, and {@code djl} for the version. */
    static E2eResult parse(Map<String, Object> m) {
        E2eResult r = PyTorchE2e.parse(m);
        return new E2eResult(r.imagesPerSecond(), r.testAccuracy(), r.steps(), r.timedImages(), r.version() + " via DJL " + m.get("djl"));
    }

    private static <T> T fail(String why) {
        lastProblem = why;
        return null;
    }
}
