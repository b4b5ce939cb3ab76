package io.descent.bench;

import io.descent.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch's side of a workload: runs its bundled script ({@code pytorch_e2e.py} for the
 * Fashion-MNIST training, {@code pytorch_models.py} for W4 and W5) with the system
 * {@code /usr/bin/python3} (Debian's python3-torch) and reads the JSON line it prints.
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from its environment: this environment
 * may set them to Haswell values, which makes OpenBLAS run its AVX2 kernels at about half speed.
 * OMP_WAIT_POLICY is PASSIVE unless the caller sets it: with the default active spin-waiting,
 * two-thread PyTorch 1.13 collapses on a machine whose other processes keep the cores busy
 * (W1 measured at ~1,400 images/s instead of ~20,000 passive), which would flatter Descent.
 * A missing interpreter, torch or data set is not an error: the result is null and
 * {@link #lastProblem()} says why, so the table can show it.
 */
public final class PyTorchE2e {
    /** The interpreter Debian's python3-torch installs into. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long TIMEOUT_MINUTES = 30;
    private static String lastProblem;

    private PyTorchE2e() {}

    /** Why the last {@link #run} gave null (or null after a success). */
    public static String lastProblem() {
        return lastProblem;
    }

    /** Run {@code seed} of the workload in PyTorch, or null when PyTorch is unavailable or failed. */
    public static E2eResult run(E2eWorkload w, int threads, long seed, Path dataDir) {
        Map<String, Object> m = runScript(w.pytorchScript(), w.pytorchArgs(threads, seed, dataDir), threads);
        try {
            return m == null ? null : parse(m);
        } catch (RuntimeException e) {
            return fail(e.getMessage());
        }
    }

    /**
     * Runs a bundled script with {@code args} and returns the JSON object of the last line it
     * printed, or null when PyTorch is unavailable or the script failed ({@link #lastProblem()}).
     */
    public static Map<String, Object> runScript(String scriptName, List<String> args, int threads) {
        lastProblem = null;
        if (!Files.isExecutable(PYTHON)) return fail(PYTHON + " not found (apt-get install python3-torch)");
        Path script = null;
        try {
            script = extractScript(scriptName);
            List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON.toString(), script.toString()));
            cmd.addAll(args);
            return runJson(cmd, threads, "PASSIVE", "python");
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // a leftover temporary script is harmless
                }
            }
        }
    }

    /**
     * Runs a PyTorch child ({@code cmd}) with {@code threads} OpenMP threads, no OPENBLAS_*
     * overrides and OMP_WAIT_POLICY {@code waitPolicy} unless the caller set it (null: the
     * library's default), and returns the JSON object of the last line it printed, or null
     * ({@link #lastProblem()} says why) when it failed; {@code who} names it in messages.
     * Shared with {@link DjlE2e}, whose libtorch reads the same variables.
     */
    static Map<String, Object> runJson(List<String> cmd, int threads, String waitPolicy, String who) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        if (waitPolicy != null) pb.environment().putIfAbsent("OMP_WAIT_POLICY", waitPolicy);
        Process p = pb.start();
        p.getOutputStream().close();
        Drain err = drain(p.getErrorStream()), out = drain(p.getInputStream());
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return fail("timed out after " + TIMEOUT_MINUTES + " min");
        }
        err.join();
        out.join();
        if (p.exitValue() != 0) return fail(who + " exited " + p.exitValue() + ": " + problemLine(err.text()));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(lastLine(out.text()));
        return m;
    }

    /** A script's JSON object as a result; {@code test_accuracy} may be null and {@code saved_bytes} absent. */
    static E2eResult parse(Map<String, Object> m) {
        Object acc = m.get("test_accuracy");
        return new E2eResult(num(m, "images_per_s"), acc == null ? Double.NaN : num(m, "test_accuracy"), (int) num(m, "steps"), (int) num(m, "timed_images"),
                "torch " + m.get("torch") + (m.get("blas") == null ? "" : " (BLAS " + m.get("blas") + ")"), m.get("saved_bytes") == null ? -1 : (long) num(m, "saved_bytes"));
    }

    /** A number the script printed; an error naming the key when it is missing. */
    static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("the PyTorch script printed no number '" + key + "'");
        return n.doubleValue();
    }

    private static Path extractScript(String name) throws IOException {
        Path script = Files.createTempFile("descent-" + name.replace(".py", ""), ".py");
        try (InputStream in = PyTorchE2e.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException(name + " is missing from the descent-bench jar");
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    /** The last line of an error output that is not part of a stack trace (Python's or Java's frames are indented). */
    static String problemLine(String err) {
        List<String> lines = err.strip().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String lastLine(String s) {
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }

    static <T> T fail(String why) {
        lastProblem = why;
        return null;
    }

    /** Reads a stream on a thread of its own, so that neither pipe can block the child and the timeout holds. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private volatile String text = "";

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = e.getMessage();
            }
        }

        String text() {
            return text;
        }
    }

    private static Drain drain(InputStream in) {
        Drain d = new Drain(in);
        d.start();
        return d;
    }
}
