package io.descent.ops;

import static io.descent.ops.GoldenCase.c;
import static io.descent.ops.GoldenCase.unary;

import io.descent.Golden;
import io.descent.ops.Losses.CrossEntropyOptions;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** softmax / log_softmax (large and masked logits), cross_entropy in all its options, and mse against PyTorch. */
class GoldenSoftmaxLossTest {
    private static final Map<String, Tensor> FIXTURE = Golden.load("ops_softmax_loss");
    private static final CrossEntropyOptions CE = CrossEntropyOptions.DEFAULT;

    /** cross_entropy of logits x against class indices t; options may read the case's inputs (weights w). */
    static GoldenCase ce(String name, Function<GoldenCase.Inputs, CrossEntropyOptions> options) {
        return c(name, in -> Losses.crossEntropy(in.t("x"), in.ints("t"), options.apply(in)));
    }

    /** cross_entropy of logits x against class probabilities p. */
    static GoldenCase ceProbs(String name, Function<GoldenCase.Inputs, CrossEntropyOptions> options) {
        return c(name, in -> Losses.crossEntropy(in.t("x"), in.t("p"), options.apply(in)));
    }

    static GoldenCase mse(String name, Reduction reduction) {
        return c(name, in -> Losses.mse(in.t("x"), in.t("t"), reduction));
    }

    static Stream<GoldenCase> cases() {
        return Stream.of(
                unary("softmax_dim1", x -> x.softmax(1)),
                unary("softmax_dim0", x -> x.softmax(0)),
                unary("softmax_mid", x -> x.softmax(1)),
                unary("log_softmax_last", x -> x.logSoftmax(-1)),
                unary("log_softmax_dim0", x -> x.logSoftmax(0)),
                unary("softmax_large", x -> x.softmax(-1)),
                unary("log_softmax_large", x -> x.logSoftmax(-1)),
                unary("softmax_masked", x -> x.softmax(-1)),
                unary("softmax_rows_parallel", x -> x.softmax(-1)),
                ce("ce_plain", in -> CE),
                ce("ce_smooth", in -> CE.withLabelSmoothing(0.1f)),
                ce("ce_weight", in -> CE.withWeight(in.t("w"))),
                ce("ce_ignore", in -> CE),
                ce("ce_ignore_custom", in -> CE.withIgnoreIndex(4)),
                ce("ce_weight_smooth_ignore", in -> CE.withWeight(in.t("w")).withLabelSmoothing(0.1f)),
                ce("ce_sum", in -> CE.withReduction(Reduction.SUM)),
                ce("ce_none", in -> CE.withReduction(Reduction.NONE)),
                ce("ce_none_weight_smooth_ignore", in -> CE.withWeight(in.t("w")).withLabelSmoothing(0.1f).withReduction(Reduction.NONE)),
                ce("ce_sum_weight_smooth_ignore", in -> CE.withWeight(in.t("w")).withLabelSmoothing(0.1f).withReduction(Reduction.SUM)),
                ce("ce_all_ignored", in -> CE),
                ce("ce_large_logits", in -> CE),
                ceProbs("ce_probs", in -> CE),
                ceProbs("ce_probs_smooth", in -> CE.withLabelSmoothing(0.1f)),
                ceProbs("ce_probs_weight_smooth", in -> CE.withWeight(in.t("w")).withLabelSmoothing(0.2f)),
                ceProbs("ce_probs_sum", in -> CE.withReduction(Reduction.SUM)),
                ceProbs("ce_probs_none", in -> CE.withReduction(Reduction.NONE)),
                mse("mse", Reduction.MEAN),
                mse("mse_sum", Reduction.SUM),
                mse("mse_none", Reduction.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(GoldenCase c) {
        c.check(FIXTURE);
    }

    @Test
    void everyFixtureCaseHasARow() {
        GoldenCase.assertCovers(FIXTURE, cases());
    }
}
