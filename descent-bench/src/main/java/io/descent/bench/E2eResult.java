package io.descent.bench;

/**
 * One framework's result on one workload: throughput over the timed steps (those after the
 * warm-up) and, for the training workloads, the test accuracy the trained model then reaches,
 * which shows that the speed was not bought with wrong math.
 *
 * @param testAccuracy NaN where the workload has none (random inputs)
 * @param savedBytes   peak bytes saved for backward during one step (W5), or -1 when not measured
 */
public record E2eResult(double imagesPerSecond, double testAccuracy, int steps, int timedImages, String version, long savedBytes) {
    /** A training workload's result (no tape measurement). */
    public E2eResult(double imagesPerSecond, double testAccuracy, int steps, int timedImages, String version) {
        this(imagesPerSecond, testAccuracy, steps, timedImages, version, -1);
    }

    /** Descent's result on random inputs: no accuracy. */
    static E2eResult synthetic(double imagesPerSecond, int steps, int timedImages, long savedBytes) {
        return new E2eResult(imagesPerSecond, Double.NaN, steps, timedImages, "descent", savedBytes);
    }

    /** Milliseconds per step of {@code batch} images. */
    public double stepMs(int batch) {
        return 1e3 * batch / imagesPerSecond;
    }
}
