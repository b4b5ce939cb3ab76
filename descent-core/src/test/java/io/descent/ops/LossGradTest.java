package io.descent.ops;

import static io.descent.ops.GradCheckSupport.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.tensor.Rng;
import io.descent.ops.GradCheckSupport.Case;
import io.descent.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of the regression, binary and divergence losses (one row each). */
class LossGradTest {
    private static Tensor target(long seed, float lo, float hi, int... shape) {
        return Tensor.uniform(new Rng(seed), lo, hi, shape);
    }

    static Stream<Arguments> cases() {
        Tensor t = target(7, -1, 1, 3, 4), p01 = target(8, 0, 1, 3, 4), logT = Softmax.logSoftmax(target(9, -1, 1, 3, 4), 1);
        Tensor probs = Softmax.softmax(target(10, -1, 1, 3, 4), 1);
        return Stream.of(
                new Case("l1", x -> Losses.l1(x[0], t, Reduction.MEAN), new Tensor[] {input(1, 3, 4)}),
                new Case("smooth_l1 beta 0.5", x -> Losses.smoothL1(x[0], t, 0.5f, Reduction.SUM), new Tensor[] {input(2, -2f, 2f, 3, 4)}),
                new Case("huber delta 0.7", x -> Losses.huber(x[0], t, 0.7f, Reduction.MEAN), new Tensor[] {input(3, -2f, 2f, 3, 4)}),
                new Case("bce", x -> Losses.bce(x[0], p01, null, Reduction.MEAN), new Tensor[] {input(4, 0.1f, 0.9f, 3, 4)}),
                new Case("bce weighted none", x -> Losses.bce(x[0], p01, Tensor.full(2f, 4), Reduction.NONE), new Tensor[] {input(4, 0.1f, 0.9f, 3, 4)}),
                new Case("bce with logits", x -> Losses.bceWithLogits(x[0], p01, null, null, Reduction.MEAN), new Tensor[] {input(5, -3f, 3f, 3, 4)}),
                new Case("bce with logits pos_weight", x -> Losses.bceWithLogits(x[0], p01, null, Tensor.of(1f, 2f, 3f, 0.5f), Reduction.SUM), new Tensor[] {input(5, -3f, 3f, 3, 4)}),
                new Case("kl_div batchmean", x -> Losses.klDiv(x[0], probs, false, Reduction.SUM, true), new Tensor[] {input(6, -3f, 0f, 3, 4)}),
                new Case("kl_div log target", x -> Losses.klDiv(x[0], logT, true, Reduction.MEAN, false), new Tensor[] {input(6, -3f, 0f, 3, 4)}),
                new Case("nll weighted ignore", x -> Losses.nll(x[0], new int[] {1, -100, 3}, Tensor.of(1f, 2f, 3f, 4f), -100, Reduction.MEAN), new Tensor[] {input(7, 3, 4)}),
                new Case("nll none", x -> Losses.nll(x[0], new int[] {1, 0, 3}, null, -100, Reduction.NONE), new Tensor[] {input(7, 3, 4)})
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        c.check();
    }

    @Test
    void crossEntropyEqualsNllOfLogSoftmax() {
        Tensor x = input(11, 4, 5);
        int[] y = {0, 4, 2, 1};
        float ce = Losses.crossEntropy(x, y).item();
        float nll = Losses.nll(Softmax.logSoftmax(x, 1), y, null, -100, Reduction.MEAN).item();
        assertEquals(nll, ce, 1e-6);
    }

    @Test
    void bceClampsLogsLikePyTorch() {
        Tensor l = Losses.bce(Tensor.of(0f, 1f), Tensor.of(1f, 0f), null, Reduction.MEAN);
        assertEquals(100f, l.item(), 1e-4, "log(0) is clamped at -100");
        assertThrows(IllegalArgumentException.class, () -> Losses.bce(Tensor.of(1.5f), Tensor.of(1f), null, Reduction.MEAN));
    }
}
