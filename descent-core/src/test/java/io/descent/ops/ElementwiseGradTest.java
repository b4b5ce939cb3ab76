package io.descent.ops;

import static io.descent.ops.GradCheckSupport.c;
import static io.descent.ops.GradCheckSupport.input;

import io.descent.ops.GradCheckSupport.Case;
import io.descent.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of every element-wise, reduction, shape and loss op (one row each). */
class ElementwiseGradTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                c("add", x -> x[0].add(x[1]), input(1, 3, 4), input(2, 3, 4)),
                c("add broadcast row", x -> x[0].add(x[1]), input(1, 3, 4), input(2, 4)),
                c("add broadcast col", x -> x[0].add(x[1]), input(1, 2, 3, 4), input(2, 3, 1)),
                c("sub broadcast", x -> x[0].sub(x[1]), input(1, 1, 4), input(2, 3, 1)),
                c("mul broadcast", x -> x[0].mul(x[1]), input(1, 2, 3, 4), input(2, 1, 3, 1)),
                c("div", x -> x[0].div(x[1]), input(1, 3, 4), input(2, 0.5f, 2f, 3, 4)),
                c("div broadcast", x -> x[0].div(x[1]), input(1, 3, 4), input(2, 0.5f, 2f, 4)),
                c("addScalar", x -> x[0].add(3f), input(1, 5)),
                c("neg", x -> x[0].neg(), input(1, 5)),
                c("pow 2", x -> x[0].pow(2f), input(1, 2, 3)),
                c("pow 1.5", x -> x[0].pow(1.5f), input(1, 0.2f, 2f, 2, 3)),
                c("exp", x -> x[0].exp(), input(1, 2, 3)),
                c("log", x -> x[0].log(), input(1, 0.3f, 3f, 2, 3)),
                c("sqrt", x -> x[0].sqrt(), input(1, 0.3f, 3f, 2, 3)),
                c("abs", x -> x[0].abs(), input(1, 2, 3)),
                c("clamp", x -> x[0].clamp(-0.5f, 0.4f), input(1, 4, 5)),
                c("relu", x -> x[0].relu(), input(1, 4, 5)),
                c("leaky_relu", x -> Activations.leakyRelu(x[0], 0.1f), input(1, 4, 5)),
                c("gelu", x -> Activations.gelu(x[0]), input(1, -3f, 3f, 4, 5)),
                c("gelu tanh", x -> Activations.geluTanh(x[0]), input(1, -3f, 3f, 4, 5)),
                c("sigmoid", x -> x[0].sigmoid(), input(1, -3f, 3f, 4, 5)),
                c("tanh", x -> x[0].tanh(), input(1, -2f, 2f, 4, 5)),
                c("where", x -> Where.where(Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3), x[0], x[1]), input(1, 2, 3), input(2, 3)),
                c("masked_fill", x -> Where.maskedFill(x[0], Tensor.of(new float[] {1, 0, 1}, 3), 2f), input(1, 2, 3)),
                c("sum", x -> x[0].sum(), input(1, 3, 4)),
                c("sum dim0", x -> x[0].sum(0, false), input(1, 3, 4)),
                c("sum dims keep", x -> Reductions.sum(x[0], new int[] {0, 2}, true), input(1, 2, 3, 4)),
                c("mean", x -> x[0].mean(), input(1, 3, 4)),
                c("mean dim", x -> x[0].mean(-1, false), input(1, 3, 4)),
                c("max dim", x -> x[0].max(1, false), input(1, 3, 5, 2)),
                c("var unbiased", x -> Reductions.var(x[0], new int[] {1}, 1, false), input(1, 3, 5)),
                c("var population keep", x -> Reductions.var(x[0], new int[] {0, 2}, 0, true), input(1, 2, 3, 4)),
                c("reshape", x -> x[0].reshape(4, -1).mul(x[0].reshape(4, 3)), input(1, 2, 6)),
                c("flatten", x -> x[0].flatten().mul(x[0].flatten()), input(1, 2, 3, 2)),
                c("permute", x -> x[0].permute(2, 0, 1), input(1, 2, 3, 4)),
                c("transpose", x -> x[0].transpose(0, 1), input(1, 3, 4)),
                c("concat", x -> ShapeOps.concat(1, x[0], x[1]), input(1, 2, 3, 2), input(2, 2, 1, 2)),
                c("slice step", x -> ShapeOps.slice(x[0], 1, 1, 6, 2), input(1, 2, 7)),
                c("index_select repeats", x -> ShapeOps.indexSelect(x[0], 0, 2, 0, 2), input(1, 3, 4)),
                c("pad", x -> ShapeOps.pad(x[0], new int[] {1, 2, 0, 1}, 0.5f), input(1, 2, 3, 4)),
                c("pad crop", x -> ShapeOps.pad(x[0], new int[] {-1, 1}, 0f), input(1, 3, 4)),
                c("matmul 2d", x -> x[0].matmul(x[1]), input(1, 3, 4), input(2, 4, 5)),
                c("matmul vec", x -> x[0].matmul(x[1]), input(1, 4), input(2, 4, 3)),
                c("matmul batched", x -> x[0].matmul(x[1]), input(1, 2, 3, 4), input(2, 2, 4, 5)),
                c("matmul shared rhs", x -> x[0].matmul(x[1]), input(1, 2, 3, 4), input(2, 4, 5)),
                c("matmul tA", x -> MatMul.matmul(x[0], x[1], true, false), input(1, 4, 3), input(2, 4, 5)),
                c("matmul tB", x -> MatMul.matmul(x[0], x[1], false, true), input(1, 3, 4), input(2, 5, 4)),
                c("matmul tA tB batched", x -> MatMul.matmul(x[0], x[1], true, true), input(1, 2, 4, 3), input(2, 2, 5, 4)),
                c("matmul tA shared", x -> MatMul.matmul(x[0], x[1], true, false), input(1, 2, 4, 3), input(2, 4, 5)),
                c("linear", x -> MatMul.linear(x[0], x[1], x[2]), input(1, 3, 4), input(2, 5, 4), input(3, 5)),
                c("linear 3d no bias", x -> MatMul.linear(x[0], x[1], null), input(1, 2, 3, 4), input(2, 5, 4)),
                c("softmax", x -> x[0].softmax(1), input(1, 3, 5)),
                c("softmax dim0", x -> x[0].softmax(0), input(1, 3, 2, 2)),
                c("log_softmax", x -> x[0].logSoftmax(-1), input(1, 3, 5)),
                c("cross_entropy", x -> Losses.crossEntropy(x[0], new int[] {1, 0, 4}), input(1, 3, 5)),
                c("cross_entropy smoothing weights ignore", x -> Losses.crossEntropy(x[0], new int[] {1, -100, 4, 2},
                        Losses.CrossEntropyOptions.DEFAULT.withLabelSmoothing(0.2f).withWeight(Tensor.of(1f, 2f, 0.5f, 1f, 3f))), input(1, 4, 5)),
                c("cross_entropy sum", x -> Losses.crossEntropy(x[0], new int[] {1, 0, 4}, Losses.CrossEntropyOptions.DEFAULT.withReduction(Reduction.SUM)), input(1, 3, 5)),
                c("cross_entropy none", x -> Losses.crossEntropy(x[0], new int[] {1, 0, 4}, Losses.CrossEntropyOptions.DEFAULT.withReduction(Reduction.NONE)), input(1, 3, 5)),
                c("cross_entropy probs", x -> Losses.crossEntropy(x[0], Tensor.of(new float[] {0.2f, 0.8f, 0f, 0.5f, 0.25f, 0.25f}, 2, 3)), input(1, 2, 3)),
                c("mse", x -> Losses.mse(x[0], x[1]), input(1, 3, 4), input(2, 3, 4)),
                c("dropout", x -> Dropout.dropout(x[0], 0.3f, true, new io.descent.tensor.Rng(9)), input(1, 4, 5))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        c.check();
    }
}
