package io.descent.kernels;


import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The micro-kernel and packing at the vector widths this machine's preferred species does not
 * use: a child JVM with {@code -XX:MaxVectorSize} capped (so SPECIES_PREFERRED is 128 or 256 bits
 * and NR is 8 or 16) runs {@link #main}, which checks every layout over the tile and block
 * edges of that width against {@link GemmScalar}.
 */
class GemmVectorWidthTest {
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256})
    void narrowerVectorsMatchScalar(int bits) throws IOException, InterruptedException {
        VectorWidthChild.run(GemmVectorWidthTest.class, bits, "checked 160 shapes at " + bits + " bits");
    }

    /** Child entry point: {@code bits} is the expected species width; exits 1 on any mismatch. */
    public static void main(String[] args) {
        int bits = Integer.parseInt(args[0]);
        VectorWidthChild.runChecks(bits, () -> {
            Random rnd = new Random(bits);
            int cases = 0;
            int nr = GemmMicroKernel.NR;
            int[] sizes = {1, 2, nr - 1, nr, nr + 1, 2 * nr + 3, GemmMicroKernel.MR - 1, GemmMicroKernel.MR + 1, 100,
                    GemmDriver.MC + 1, GemmDriver.KC + 1};
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int it = 0; it < 80; it++) {
                    int m = sizes[rnd.nextInt(sizes.length)], n = sizes[rnd.nextInt(sizes.length)], k = sizes[rnd.nextInt(sizes.length)];
                    GemmTest.Case.random(rnd, it % 2 == 1, (it / 2) % 2 == 1, m, n, k, it % 3 == 0 ? 1f : -0.5f,
                            new float[] {0f, 1f, 0.5f}[it % 3], it % 3, it % 4).check();
                    cases++;
                }
                GemmTest.Case.random(rnd, false, true, 13, GemmDriver.NC + nr + 1, 5, 1f, 0f, 0, 0).check();
            }
            return "checked " + cases + " shapes at " + bits + " bits";
        });
    }
}
