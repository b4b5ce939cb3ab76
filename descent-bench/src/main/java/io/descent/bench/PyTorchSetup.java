package io.descent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The e2e bench's setup step: when PyTorch or the Fashion-MNIST package is missing and the
 * bench runs as root on a Debian-like system, installs {@code python3-torch} and
 * {@code dataset-fashion-mnist} with apt-get. Otherwise it changes nothing; a failed install
 * only leaves the PyTorch column empty.
 */
public final class PyTorchSetup {
    private PyTorchSetup() {}

    /** Installs what is missing when possible; returns a line describing what it did, or null. */
    public static String ensure() {
        boolean torch = hasTorch(), data = Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
        if (torch && data) return null;
        Path apt = Path.of("/usr/bin/apt-get");
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(apt)) {
            return "setup: " + (torch ? "" : "python3-torch ") + (data ? "" : "dataset-fashion-mnist ")
                    + "missing; install with: sudo apt-get install -y python3-torch dataset-fashion-mnist";
        }
        try {
            Process p = new ProcessBuilder(apt.toString(), "install", "-y", "python3-torch", "dataset-fashion-mnist").inheritIO().start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) p.destroyForcibly();
            return "setup: apt-get install python3-torch dataset-fashion-mnist exited " + (p.isAlive() ? "(timed out)" : p.exitValue());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return "setup: apt-get failed: " + e.getMessage();
        }
    }

    static boolean hasTorch() {
        if (!Files.isExecutable(PyTorchE2e.PYTHON)) return false;
        try {
            Process p = new ProcessBuilder(PyTorchE2e.PYTHON.toString(), "-c", "import torch, numpy").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return false;
        }
    }
}
