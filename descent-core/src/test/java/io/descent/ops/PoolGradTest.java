package io.descent.ops;

import static io.descent.ops.GradCheckSupport.c;
import static io.descent.ops.GradCheckSupport.input;

import io.descent.tensor.Rng;
import io.descent.ops.GradCheckSupport.Case;
import io.descent.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of max, average and adaptive-average pooling. */
class PoolGradTest {
    static int[] p(int... v) {
        return v;
    }

    /**
     * A shuffled arange, 0.1 apart: with under 150 elements |x| ≤ 7.5, so GradCheck's step
     * (1% of max(1, |x|)) never reorders two values and the argmax never flips.
     */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        if (d.length >= 150) throw new IllegalArgumentException("too many elements for distinct max-pool input: " + d.length);
        Rng rng = new Rng(seed);
        for (int i = 0; i < d.length; i++) d[i] = i;
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float s = d[i];
            d[i] = d[j];
            d[j] = s;
        }
        for (int i = 0; i < d.length; i++) d[i] = (d[i] - d.length / 2f) * 0.1f;
        return t.requiresGrad(true);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("max 2x2", x -> Pool.maxPool2d(x[0], 2, 2), distinct(1, 2, 2, 4, 6)),
                c("max odd 3x3 stride 2 pad 1", x -> Pool.maxPool2d(x[0], p(3), p(2), p(1), p(1), false), distinct(2, 1, 2, 7, 5)),
                c("max ceil mode", x -> Pool.maxPool2d(x[0], p(3, 2), p(2), p(1, 0), p(1), true), distinct(3, 2, 1, 6, 7)),
                c("max stride != kernel", x -> Pool.maxPool2d(x[0], p(3), p(1, 2), p(0), p(1), false), distinct(4, 1, 2, 5, 6)),
                c("max dilation 2", x -> Pool.maxPool2d(x[0], p(2), p(1), p(1), p(2), false), distinct(5, 1, 2, 5, 5)),
                c("avg include pad", x -> Pool.avgPool2d(x[0], p(3), p(2), p(1), false, true), input(6, 2, 2, 5, 6)),
                c("avg exclude pad", x -> Pool.avgPool2d(x[0], p(3), p(2), p(1), false, false), input(7, 2, 2, 5, 6)),
                c("avg ceil include pad", x -> Pool.avgPool2d(x[0], p(2, 3), p(2), p(1), true, true), input(8, 1, 2, 7, 6)),
                c("avg ceil exclude pad", x -> Pool.avgPool2d(x[0], p(2, 3), p(2), p(1), true, false), input(9, 1, 2, 7, 6)),
                c("adaptive 5 to 3", x -> Pool.adaptiveAvgPool2d(x[0], 3, 3), input(10, 2, 2, 5, 5)),
                c("adaptive 7 to 2", x -> Pool.adaptiveAvgPool2d(x[0], 2, 2), input(11, 1, 2, 7, 7)),
                c("adaptive upsampling 3 to 5", x -> Pool.adaptiveAvgPool2d(x[0], 5, 4), input(12, 1, 1, 3, 3))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        c.check();
    }
}
