package io.descent.kernels;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WinogradTest}'s transform and convolution checks at 128 and 256 bits, where a vector
 * holds fewer lanes than a GEMM sliver has rows (MR = 12), in a child JVM
 * ({@link VectorWidthChild}).
 */
class WinogradVectorWidthTest {
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256})
    void narrowerVectorsGiveTheSameConvolutions(int bits) throws IOException, InterruptedException {
        VectorWidthChild.run(WinogradVectorWidthTest.class, bits, "Winograd checked at " + bits + " bits");
    }

    /** Child entry point: exits 1 on any mismatch. */
    public static void main(String[] args) {
        int bits = Integer.parseInt(args[0]);
        VectorWidthChild.runChecks(bits, () -> {
            WinogradTest t = new WinogradTest();
            t.weightTransformIsGgGtPackedForTheGemm();
            WinogradTest.geometries().forEach(t::convolutionMatchesTheDirectDefinition);
            return "Winograd checked at " + bits + " bits";
        });
    }
}
