package io.descent.bench;

/**
 * The sizes and iteration counts of the synthetic-input workloads W4 and W5. Both frameworks
 * receive them from here (the PyTorch script takes them as arguments), so the two sides cannot
 * drift apart. {@link #ISSUE8} is what issue 8 asks for; {@link #TINY} only checks that the
 * whole path runs (seconds, not minutes), and its figures mean nothing.
 *
 * @param modelBatch     W4: images per iteration
 * @param imageSize      W4: pixels per side (224 for the ImageNet models)
 * @param modelWarmups   W4: untimed iterations before the timed ones
 * @param modelIters     W4: timed iterations; images/s comes from their median
 * @param mlpDepth       W5: Linear + ReLU pairs
 * @param mlpWidth       W5: features of every Linear (and classes of the loss)
 * @param mlpBatch       W5: rows per step
 * @param mlpIters       W5: timed steps (after one untimed step and one that measures the tape)
 */
public record E2eSizes(int modelBatch, int imageSize, int modelWarmups, int modelIters, int mlpDepth, int mlpWidth, int mlpBatch, int mlpIters) {
    /**
     * Issue 8: batch 8 at 224 px, 2 warm-up + 5 timed iterations; 32 × Linear 2048, batch 1024,
     * 5 timed steps (Descent's first steps of W5 vary 3.5–6 s while the JVM heap grows to its
     * working size, so a median of 3 could land on that phase).
     */
    public static final E2eSizes ISSUE8 = new E2eSizes(8, 224, 2, 5, 32, 2048, 1024, 5);
    /** A smoke test of the same code: batch 1 at 64 px, one iteration of each; 8 × Linear 256, batch 64. */
    public static final E2eSizes TINY = new E2eSizes(1, 64, 1, 1, 8, 256, 64, 1);

    public E2eSizes {
        if (modelBatch < 1 || imageSize < 32 || modelWarmups < 0 || modelIters < 1 || mlpDepth < 1 || mlpWidth < 1 || mlpBatch < 1 || mlpIters < 1) {
            throw new IllegalArgumentException("E2eSizes: batch, size (>= 32), depth, width and iterations must be positive, got batch " + modelBatch + ", size " + imageSize
                    + ", warm-ups " + modelWarmups + ", iterations " + modelIters + ", depth " + mlpDepth + ", width " + mlpWidth + ", batch " + mlpBatch + ", steps " + mlpIters);
        }
    }
}
