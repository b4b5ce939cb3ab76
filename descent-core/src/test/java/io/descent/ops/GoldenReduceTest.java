package io.descent.ops;

import static io.descent.ops.GoldenCase.c;
import static io.descent.ops.GoldenCase.unary;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reductions (sum, mean, var, max, argmax) and shape ops against PyTorch (values and gradients). */
class GoldenReduceTest {
    private static final Map<String, Tensor> FIXTURE = Golden.load("ops_reduce");

    static Stream<GoldenCase> cases() {
        return Stream.of(
                unary("sum_all", Tensor::sum),
                unary("sum_dim0", x -> x.sum(0, false)),
                unary("sum_dims02_keep", x -> Reductions.sum(x, new int[] {0, 2}, true)),
                unary("sum_dim_neg", x -> x.sum(-1, false)),
                unary("sum_rows_parallel", x -> x.sum(-1, false)),
                unary("sum_mid_parallel", x -> x.sum(1, false)),
                unary("mean_all", Tensor::mean),
                unary("mean_dim_last", x -> x.mean(-1, false)),
                unary("mean_dims01_keep", x -> Reductions.mean(x, new int[] {0, 1}, true)),
                unary("var_unbiased_dim1", x -> Reductions.var(x, new int[] {1}, 1, false)),
                unary("var_pop_dims02_keep", x -> Reductions.var(x, new int[] {0, 2}, 0, true)),
                unary("var_unbiased_all", x -> Reductions.var(x, new int[] {0, 1}, 1, false)),
                unary("max_dim1", x -> x.max(1, false)),
                unary("max_dim0_keep", x -> x.max(0, true)),
                unary("max_ties", x -> x.max(1, false)),
                unary("argmax_dim1", x -> x.argmax(1)),
                unary("permute", x -> x.permute(2, 0, 1)),
                unary("transpose", x -> x.transpose(0, 2)),
                unary("reshape", x -> x.reshape(4, 6)),
                unary("flatten_1_2", x -> x.flatten(1, 2)),
                c("concat_dim1", in -> ShapeOps.concat(1, in.t("a"), in.t("b"), in.t("c"))),
                c("concat_dim_neg", in -> ShapeOps.concat(-1, in.t("a"), in.t("b"))),
                unary("slice_step", x -> ShapeOps.slice(x, 1, 1, 6, 2)),
                unary("index_select_repeats", x -> ShapeOps.indexSelect(x, 0, 2, 0, 2)),
                unary("pad_last2", x -> ShapeOps.pad(x, new int[] {1, 2, 0, 1}, 0.5f)),
                unary("pad_crop", x -> ShapeOps.pad(x, new int[] {-1, 1}, 0f)),
                unary("pad_3dims", x -> ShapeOps.pad(x, new int[] {1, 0, 0, 2, 1, 1}, 0f)));
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
