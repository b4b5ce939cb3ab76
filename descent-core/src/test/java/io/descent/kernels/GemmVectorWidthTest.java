package io.descent.kernels;


import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The micro-kernel and packing at the vector widths this machine's preferred species does not
 * use: a child JVM with {@code -XX:MaxVectorSize} capped (so SPECIES_PREFERRED is 128 or 256 bits
 * and NR is 8 or 16) runs {@link #main}, which checks every layout over the tile and block
 * edges of that width against {@link GemmScalar}, and with 8 lanes the butterfly transposes of
 * {@link GemmPacking#packByButterflies} against the row-by-row copy.
 */
class GemmVectorWidthTest {
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256})
    void narrowerVectorsMatchScalar(int bits) throws IOException, InterruptedException {
        VectorWidthChild.run(GemmVectorWidthTest.class, bits, "checked 160 shapes at " + bits + " bits" + (bits == 256 ? ", 21 butterfly slivers" : ""));
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
            String butterflies = GemmMicroKernel.L == 8 ? ", " + checkButterflies(rnd) + " butterfly slivers" : "";
            return "checked " + cases + " shapes at " + bits + " bits" + butterflies;
        });
    }

    /** packByButterflies against packRowByRow over widths and depths around the 8×8 blocks; throws on a difference. */
    private static int checkButterflies(Random rnd) {
        int ld = 301, src = 5, checked = 0;
        float[] a = new float[src + 40 * ld];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() * 2 - 1;
        for (int width : new int[] {8, 16, 24}) {
            for (int kc : new int[] {1, 7, 8, 9, 17, 37, 256}) {
                float[] transposed = new float[width * kc + 8], copied = new float[width * kc + 8];
                java.util.Arrays.fill(transposed, Float.NaN);
                java.util.Arrays.fill(copied, Float.NaN);
                GemmPacking.packByButterflies(a, src, ld, width, kc, transposed, 0);
                GemmPacking.packRowByRow(a, src, ld, width, kc, copied, 0);
                if (!java.util.Arrays.equals(copied, transposed)) throw new AssertionError("butterflies differ: width " + width + ", kc " + kc);
                checked++;
            }
        }
        return checked;
    }
}
