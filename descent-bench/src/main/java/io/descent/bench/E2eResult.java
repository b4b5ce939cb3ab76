package io.descent.bench;

/**
 * One framework's result on one workload: training throughput over the timed steps (those
 * after the warm-up) and the test accuracy the trained model then reaches, which shows that
 * the speed was not bought with wrong math.
 */
public record E2eResult(double imagesPerSecond, double testAccuracy, int steps, int timedImages, String version) {}
