package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both register tiles of {@link GemmMicroKernel} (4 rows for 16 vector registers, 12 for 32)
 * and both ways {@link GemmPacking} fills a full sliver (gathers, or row by row), whichever of
 * them this machine's {@link VectorHardware} selects: each against its definition, bit for bit.
 */
class GemmMicroKernelTest {
    private static final int L = GemmMicroKernel.L, NR = GemmMicroKernel.NR;

    @Test
    void theTileMatchesTheHardware() {
        assertEquals(VectorHardware.REGISTERS >= 32 ? 12 : 4, GemmMicroKernel.MR);
        // accumulators, two B vectors and a broadcast fit the register file
        assertEquals(true, GemmMicroKernel.MR * 2 + 3 <= VectorHardware.REGISTERS);
    }

    @Test
    void fourRowAndTwelveRowKernelsAreFmaChainsOverK() {
        Random rnd = new Random(7);
        for (int rows : new int[] {4, 12}) {
            for (int kc : new int[] {1, 2, 17, 256}) {
                for (int bStride : new int[] {NR, NR + 5}) {
                    float[] ap = random(rnd, 3 + rows * kc), bp = random(rnd, 2 + bStride * kc + NR);
                    float[] tile = new float[rows * NR];
                    if (rows == 4) GemmMicroKernel.kernel4(kc, ap, 3, bp, 2, bStride, tile);
                    else GemmMicroKernel.kernel12(kc, ap, 3, bp, 2, bStride, tile);
                    float[] want = new float[rows * NR];
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < NR; j++) {
                            float acc = 0f;
                            for (int p = 0; p < kc; p++) acc = Math.fma(ap[3 + p * rows + r], bp[2 + p * bStride + j], acc);
                            want[r * NR + j] = acc;
                        }
                    }
                    assertArrayEquals(want, tile, 0f, rows + " rows, kc " + kc + ", stride " + bStride);
                }
            }
        }
    }

    @Test
    void theNarrowKernelComputesTheFirstVectorOfEachRowAndLeavesTheRest() {
        assertComputesFirstColumns(L, GemmMicroKernel::kernel12Narrow, 8);
    }

    @Test
    void theHalfKernelComputesTheFirstEightColumnsOfEachRowAndLeavesTheRest() {
        assumeTrue(L >= 8, "128-bit vectors: neither the 12-row tile's edges nor this kernel run");
        assertComputesFirstColumns(8, GemmMicroKernel::kernel12Half, 10);
    }

    /** An edge variant of the 12-row kernel, with the same arguments. */
    private interface EdgeKernel {
        void run(int kc, float[] ap, int ai, float[] bp, int bi, int bStride, float[] tile);
    }

    /** {@code edge} writes kernel12's first {@code columns} columns of every row, bit for bit, and leaves the rest alone. */
    private static void assertComputesFirstColumns(int columns, EdgeKernel edge, long seed) {
        Random rnd = new Random(seed);
        int w = 2 * L; // the 12-row tile's width
        for (int kc : new int[] {1, 3, 256}) {
            float[] ap = random(rnd, 1 + 12 * kc), bp = random(rnd, w * kc);
            float[] full = new float[12 * w], part = new float[12 * w];
            Arrays.fill(part, 42f);
            GemmMicroKernel.kernel12(kc, ap, 1, bp, 0, w, full);
            edge.run(kc, ap, 1, bp, 0, w, part);
            for (int r = 0; r < 12; r++) {
                for (int j = 0; j < w; j++) {
                    assertEquals(j < columns ? full[r * w + j] : 42f, part[r * w + j], 0f, "kc " + kc + ", row " + r + ", column " + j);
                }
            }
        }
    }

    @Test
    void rowByRowPackingLaysOutEachStepOfKAcrossTheRows() {
        Random rnd = new Random(11);
        int kc = 37, ld = 301, src = 5;
        float[] a = random(rnd, src + 40 * ld);
        for (int width : new int[] {GemmMicroKernel.MR, NR}) {
            float[] copied = new float[width * kc];
            GemmPacking.packRowByRow(a, src, ld, width, kc, copied, 0);
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < width; j++) {
                    assertEquals(a[src + j * ld + p], copied[p * width + j], "width " + width + ": step " + p + " of k, row " + j);
                }
            }
        }
    }

    @Test
    void transposedPackingWritesWhatTheRowCopiesWriteAndNothingPastTheSliver() {
        Random rnd = new Random(12);
        int ld = 301, src = 7;
        float[] a = random(rnd, src + 40 * ld);
        for (int width : new int[] {12, 32}) {
            for (int kc : new int[] {1, 15, 16, 17, 32, 37, 256}) {
                float[] transposed = new float[width * kc + 8], copied = new float[width * kc + 8];
                Arrays.fill(transposed, Float.NaN);
                Arrays.fill(copied, Float.NaN);
                GemmPacking.packByTransposes(a, src, ld, width, kc, transposed, 0);
                GemmPacking.packRowByRow(a, src, ld, width, kc, copied, 0);
                assertArrayEquals(copied, transposed, 0f, "width " + width + ", kc " + kc);
            }
        }
        float[] block = new float[16 * 16];
        Transpose16.block(a, src, ld, 16, block, 0, 16);
        assertEquals(a[src + 5 * ld + 9], block[9 * 16 + 5], "element (row 5, column 9) lands in lane 5 of column 9");
    }

    @Test
    void fourRowInterleavingWritesWhatTheRowCopiesWriteAndNothingPastTheSliver() {
        Random rnd = new Random(13);
        int ld = 301, src = 3;
        float[] a = random(rnd, src + 4 * ld);
        for (int kc : new int[] {1, L - 1, L, L + 1, 3 * L + 2, 37, 256}) {
            float[] interleaved = new float[4 * kc + 8], copied = new float[4 * kc + 8];
            Arrays.fill(interleaved, Float.NaN);
            Arrays.fill(copied, Float.NaN);
            GemmPacking.packInterleaved4(a, src, ld, kc, interleaved, 0);
            GemmPacking.packRowByRow(a, src, ld, 4, kc, copied, 0);
            assertArrayEquals(copied, interleaved, 0f, "kc " + kc);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }
}
