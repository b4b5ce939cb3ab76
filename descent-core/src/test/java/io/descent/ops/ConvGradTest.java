package io.descent.ops;

import static io.descent.ops.GradCheckSupport.c;
import static io.descent.ops.GradCheckSupport.input;

import io.descent.ops.GradCheckSupport.Case;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of conv2d and conv_transpose2d (gradients of input, weight and bias). */
class ConvGradTest {
    static int[] p(int... v) {
        return v;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("conv 3x3 pad 1 bias", x -> Conv.conv2d(x[0], x[1], x[2], 1, 1), input(1, 2, 3, 5, 6), input(2, 4, 3, 3, 3), input(3, 4)),
                c("conv stride 2 pad 1", x -> Conv.conv2d(x[0], x[1], x[2], 2, 1), input(1, 2, 2, 7, 6), input(2, 3, 2, 3, 3), input(3, 3)),
                c("conv dilation 2 no bias", x -> Conv.conv2d(x[0], x[1], null, p(1), p(2), p(2), 1), input(1, 1, 2, 7, 7), input(2, 3, 2, 3, 3)),
                c("conv groups 2", x -> Conv.conv2d(x[0], x[1], x[2], p(1), p(1), p(1), 2), input(1, 2, 4, 5, 5), input(2, 6, 2, 3, 3), input(3, 6)),
                c("conv depthwise", x -> Conv.conv2d(x[0], x[1], x[2], p(1), p(1), p(1), 3), input(1, 2, 3, 5, 4), input(2, 3, 1, 3, 3), input(3, 3)),
                c("conv depthwise multiplier 2", x -> Conv.conv2d(x[0], x[1], null, p(2), p(0), p(1), 2), input(1, 1, 2, 6, 5), input(2, 4, 1, 2, 2)),
                c("conv 1x1", x -> Conv.conv2d(x[0], x[1], x[2], 1, 0), input(1, 2, 5, 3, 4), input(2, 3, 5, 1, 1), input(3, 3)),
                c("conv 1x1 stride 2", x -> Conv.conv2d(x[0], x[1], null, 2, 0), input(1, 2, 3, 5, 4), input(2, 2, 3, 1, 1)),
                c("conv non-square odd", x -> Conv.conv2d(x[0], x[1], x[2], p(2, 1), p(1, 2), p(1, 2), 1), input(1, 2, 2, 7, 5), input(2, 2, 2, 3, 2), input(3, 2)),
                c("conv batch 1", x -> Conv.conv2d(x[0], x[1], x[2], 1, 1), input(1, 1, 2, 5, 5), input(2, 3, 2, 3, 3), input(3, 3)),
                c("convT stride 2", x -> Conv.convTranspose2d(x[0], x[1], x[2], p(2), p(0), p(0), 1, p(1)), input(1, 2, 3, 3, 3), input(2, 3, 2, 3, 3), input(3, 2)),
                c("convT pad output_padding", x -> Conv.convTranspose2d(x[0], x[1], x[2], p(2, 3), p(1, 1), p(1, 2), 1, p(1)), input(1, 2, 2, 3, 4), input(2, 2, 3, 3, 2), input(3, 3)),
                c("convT groups 2", x -> Conv.convTranspose2d(x[0], x[1], x[2], p(2), p(1), p(1), 2, p(1)), input(1, 2, 4, 3, 3), input(2, 4, 1, 3, 3), input(3, 2)),
                c("convT dilation no bias", x -> Conv.convTranspose2d(x[0], x[1], null, p(1), p(1), p(1, 0), 1, p(2)), input(1, 1, 2, 4, 3), input(2, 2, 2, 2, 3)),
                c("convT 1x1", x -> Conv.convTranspose2d(x[0], x[1], x[2], p(1), p(0), p(0), 1, p(1)), input(1, 2, 3, 3, 2), input(2, 3, 2, 1, 1), input(3, 2))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        c.check();
    }
}
