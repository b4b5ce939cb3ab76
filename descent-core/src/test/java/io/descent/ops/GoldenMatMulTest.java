package io.descent.ops;

import static io.descent.ops.GoldenCase.binary;
import static io.descent.ops.GoldenCase.c;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** matmul (1-D, 2-D, batched, shared right operand, transposed operands) and linear against PyTorch. */
class GoldenMatMulTest {
    private static final Map<String, Tensor> FIXTURE = Golden.load("ops_matmul");
    /** [8, 8, 64]·[64, 64]: 64³ multiply-adds, where Gemm starts splitting rows over threads. */
    private static final Map<String, Tensor> LARGE = Golden.load("ops_matmul_large");
    private static final GoldenCase SHARED_RHS_PARALLEL = binary("shared_rhs_parallel", Tensor::matmul);

    static Stream<GoldenCase> cases() {
        return Stream.of(
                binary("mm", Tensor::matmul),
                binary("mm_odd", Tensor::matmul),
                binary("mv", Tensor::matmul),
                binary("vm", Tensor::matmul),
                binary("dot", Tensor::matmul),
                binary("bmm", Tensor::matmul),
                binary("bmm_4d", Tensor::matmul),
                binary("batched_shared_rhs", Tensor::matmul),
                binary("batched_vec", Tensor::matmul),
                binary("mm_tA", (a, b) -> MatMul.matmul(a, b, true, false)),
                binary("mm_tB", (a, b) -> MatMul.matmul(a, b, false, true)),
                binary("bmm_tA", (a, b) -> MatMul.matmul(a, b, true, false)),
                binary("mm_tA_tB", (a, b) -> MatMul.matmul(a, b, true, true)),
                binary("bmm_tA_tB", (a, b) -> MatMul.matmul(a, b, true, true)),
                binary("shared_tA", (a, b) -> MatMul.matmul(a, b, true, false)),
                binary("shared_tB", (a, b) -> MatMul.matmul(a, b, false, true)),
                binary("bmm_tB_odd", (a, b) -> MatMul.matmul(a, b, false, true)),
                c("mm_self", in -> MatMul.matmul(in.t("a"), in.t("a"), false, true)),
                c("linear", in -> MatMul.linear(in.t("x"), in.t("w"), in.t("b"))),
                c("linear_3d_no_bias", in -> MatMul.linear(in.t("x"), in.t("w"), null)),
                c("linear_1d", in -> MatMul.linear(in.t("x"), in.t("w"), in.t("b"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(GoldenCase c) {
        c.check(FIXTURE);
    }

    @Test
    void sharedRhsOnGemmsParallelPath() {
        SHARED_RHS_PARALLEL.check(LARGE);
    }

    @Test
    void everyFixtureCaseHasARow() {
        GoldenCase.assertCovers(FIXTURE, cases());
        GoldenCase.assertCovers(LARGE, Stream.of(SHARED_RHS_PARALLEL));
    }
}
