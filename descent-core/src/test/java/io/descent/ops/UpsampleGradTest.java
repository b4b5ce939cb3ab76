package io.descent.ops;

import static io.descent.ops.GradCheckSupport.c;
import static io.descent.ops.GradCheckSupport.input;

import io.descent.ops.GradCheckSupport.Case;
import io.descent.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of nearest and bilinear upsampling. */
class UpsampleGradTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                c("nearest up 2", x -> Upsample.nearest(x[0], 6, 8), input(1, 2, 2, 3, 4)),
                c("nearest odd ratio", x -> Upsample.nearest(x[0], 7, 5), input(2, 1, 2, 5, 3)),
                c("nearest scale 1.5", x -> Upsample.nearest(x[0], 1.5), input(3, 1, 2, 3, 4)),
                c("bilinear up", x -> Upsample.bilinear(x[0], 7, 9, false), input(4, 1, 2, 3, 4)),
                c("bilinear up align corners", x -> Upsample.bilinear(x[0], 7, 9, true), input(5, 1, 2, 3, 4)),
                c("bilinear down", x -> Upsample.bilinear(x[0], 3, 4, false), input(6, 2, 1, 7, 6)),
                c("bilinear down align corners", x -> Upsample.bilinear(x[0], 3, 4, true), input(7, 2, 1, 7, 6)),
                c("bilinear scale 2", x -> Upsample.bilinear(x[0], 2.0, false), input(8, 1, 2, 3, 3))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        c.check();
    }
}
