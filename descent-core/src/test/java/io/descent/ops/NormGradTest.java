package io.descent.ops;

import static io.descent.ops.GradCheckSupport.c;
import static io.descent.ops.GradCheckSupport.input;

import io.descent.ops.GradCheckSupport.Case;
import io.descent.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of batch_norm in training (through the batch statistics) and evaluation. */
class NormGradTest {
    static Tensor stat(float value, int c) {
        return Tensor.full(value, c);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("train 4-D x weight bias", x -> Norm.batchNorm(x[0], stat(0, 3), stat(1, 3), x[1], x[2], true, 0.1f, 1e-5f),
                        input(1, 3, 3, 3, 4), input(2, 0.5f, 1.5f, 3), input(3, 3)),
                c("train 2-D x weight bias", x -> Norm.batchNorm(x[0], stat(0, 4), stat(1, 4), x[1], x[2], true, 0.1f, 1e-5f),
                        input(4, 5, 4), input(5, 0.5f, 1.5f, 4), input(6, 4)),
                c("train no affine no running stats", x -> Norm.batchNorm(x[0], null, null, null, null, true, 0.1f, 1e-3f), input(7, 2, 3, 2, 3)),
                c("train 3-D", x -> Norm.batchNorm(x[0], null, null, x[1], null, true, 0.1f, 1e-5f), input(8, 3, 2, 5), input(9, 0.5f, 1.5f, 2)),
                c("eval 4-D x weight bias", x -> Norm.batchNorm(x[0], Tensor.of(0.1f, -0.2f, 0.3f), Tensor.of(0.5f, 1.5f, 2f), x[1], x[2], false, 0.1f, 1e-5f),
                        input(10, 2, 3, 3, 3), input(11, 3), input(12, 3)),
                c("eval 2-D", x -> Norm.batchNorm(x[0], Tensor.of(0.1f, -0.2f), Tensor.of(0.5f, 1.5f), x[1], x[2], false, 0.1f, 1e-5f),
                        input(13, 4, 2), input(14, 2), input(15, 2))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        c.check();
    }
}
