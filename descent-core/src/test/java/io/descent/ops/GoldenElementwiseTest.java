package io.descent.ops;

import static io.descent.ops.GoldenCase.binary;
import static io.descent.ops.GoldenCase.c;
import static io.descent.ops.GoldenCase.unary;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Arithmetic, unary math, activations and where/masked_fill against PyTorch (values and gradients). */
class GoldenElementwiseTest {
    private static final Map<String, Tensor> FIXTURE = Golden.load("ops_elementwise");

    /** x^0 on an input whose element 0 is exactly 0: PyTorch's gradient is 0 everywhere. */
    private static final GoldenCase POW_0 = unary("pow_0", x -> x.pow(0f));

    static Stream<GoldenCase> cases() {
        return Stream.of(
                binary("add_same", Tensor::add),
                binary("add_bcast_row", Tensor::add),
                binary("add_bcast_both", Tensor::add),
                binary("sub_bcast", Tensor::sub),
                binary("mul_bcast", Tensor::mul),
                binary("mul_bcast_rank", Tensor::mul),
                binary("div_bcast", Tensor::div),
                binary("div_bcast_both", Tensor::div),
                unary("add_scalar", x -> x.add(2.5f)),
                unary("mul_scalar", x -> x.mul(-1.5f)),
                unary("neg", Tensor::neg),
                unary("mul_self", x -> x.mul(x)),
                unary("reuse_branches", x -> x.mul(x).add(x.exp())),
                unary("pow_2", x -> x.pow(2f)),
                unary("pow_3", x -> x.pow(3f)),
                unary("pow_1_5", x -> x.pow(1.5f)),
                unary("pow_neg_0_5", x -> x.pow(-0.5f)),
                unary("exp", Tensor::exp),
                unary("log", Tensor::log),
                unary("sqrt", Tensor::sqrt),
                unary("abs", Tensor::abs),
                unary("clamp", x -> x.clamp(-0.5f, 0.4f)),
                unary("clamp_min_only", x -> x.clamp(-0.2f, Float.POSITIVE_INFINITY)),
                unary("relu", Tensor::relu),
                unary("leaky_relu", x -> Activations.leakyRelu(x, 0.01f)),
                unary("leaky_relu_0_2", x -> Activations.leakyRelu(x, 0.2f)),
                unary("gelu", Activations::gelu),
                unary("gelu_tanh", Activations::geluTanh),
                unary("sigmoid", Tensor::sigmoid),
                unary("tanh", Tensor::tanh),
                c("where_bcast", in -> Where.where(in.t("cond"), in.t("a"), in.t("b"))),
                c("masked_fill_bcast", in -> Where.maskedFill(in.t("x"), in.t("mask"), 2f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(GoldenCase c) {
        c.check(FIXTURE);
    }

    @Test
    void pow0GradientAtZeroIsZero() {
        POW_0.check(FIXTURE);
    }

    @Test
    void everyFixtureCaseHasARow() {
        GoldenCase.assertCovers(FIXTURE, Stream.concat(cases(), Stream.of(POW_0)));
    }
}
