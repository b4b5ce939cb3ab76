package io.descent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The e2e bench's setup step: when what the chosen workloads need is missing (PyTorch; the
 * Fashion-MNIST package for W1–W3; torchvision for W4; OpenBLAS, which PyTorch's matrix products
 * run on) and the bench runs as root on a Debian-like system, installs it with apt-get
 * ({@code python3-torch}, {@code dataset-fashion-mnist}, {@code python3-torchvision},
 * {@code libopenblas0-pthread}). Otherwise it changes nothing; a
 * failed install only leaves the PyTorch column empty.
 */
public final class PyTorchSetup {
    private PyTorchSetup() {}

    /** Installs what is missing when possible; returns a line describing what it did, or null. */
    public static String ensure(boolean needsData, boolean needsTorchvision) {
        List<String> missing = new ArrayList<>();
        if (!imports("torch, numpy")) missing.add("python3-torch");
        if (needsData && !Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) missing.add("dataset-fashion-mnist");
        if (needsTorchvision && !imports("torchvision")) missing.add("python3-torchvision");
        // python3-torch needs only some libblas.so.3, which apt satisfies with the netlib reference
        // BLAS (one thread, unblocked): PyTorch measured on it ran vgg16 at a quarter of its speed
        if (OpenBlas.CANDIDATES.stream().noneMatch(Files::isReadable)) missing.add("libopenblas0-pthread");
        if (missing.isEmpty()) return null;
        String packages = String.join(" ", missing);
        Path apt = Path.of("/usr/bin/apt-get");
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(apt)) {
            return "setup: " + packages + " missing; install with: sudo apt-get install -y " + packages;
        }
        try {
            List<String> cmd = new ArrayList<>(List.of(apt.toString(), "install", "-y"));
            cmd.addAll(missing);
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) p.destroyForcibly();
            return "setup: apt-get install " + packages + " exited " + (p.isAlive() ? "(timed out)" : p.exitValue());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return "setup: apt-get failed: " + e.getMessage();
        }
    }

    /** Whether the system python can import {@code modules} (e.g. "torch, numpy"). */
    static boolean imports(String modules) {
        if (!Files.isExecutable(PyTorchE2e.PYTHON)) return false;
        try {
            Process p = new ProcessBuilder(PyTorchE2e.PYTHON.toString(), "-c", "import " + modules).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return false;
        }
    }
}
