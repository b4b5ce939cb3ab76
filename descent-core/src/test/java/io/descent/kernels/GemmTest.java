package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Gemm} against its scalar twin {@link GemmScalar}: layouts, edges, alpha/beta, threads, bad input. */
class GemmTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Sizes around the tile and block edges of every vector width (MR=12, NR=8/16/32, MC, KC). */
    private static final int[] EDGES = {1, 2, 3, 4, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 63, 64, 65,
            191, 192, 193, 255, 256, 257};

    static Stream<Arguments> layouts() {
        return Stream.of(Arguments.of(false, false), Arguments.of(true, false), Arguments.of(false, true), Arguments.of(true, true));
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("layouts")
    void randomShapesMatchScalar(boolean transA, boolean transB) {
        Random rnd = new Random(transA ? (transB ? 4 : 3) : (transB ? 2 : 1));
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int it = 0; it < 60; it++) {
                int m = pick(rnd), n = pick(rnd), k = pick(rnd);
                float[] alphas = {1f, -0.75f, 2f};
                float[] betas = {0f, 1f, 0.5f};
                Case.random(rnd, transA, transB, m, n, k, alphas[it % 3], betas[(it / 3) % 3], rnd.nextInt(3), rnd.nextInt(5)).check();
            }
        }
    }

    private static int pick(Random rnd) {
        return rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(300) : EDGES[rnd.nextInt(EDGES.length)];
    }

    @Test
    void largeShapesAboveThePrepackLimitAreCovered() {
        assertTrue(GemmDriver.prepackedSize(16, 4100, 1024) > Gemm.PREPACK_MAX);
        assertTrue(GemmDriver.prepackedSize(4100, 16, 1024) > Gemm.PREPACK_MAX);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("skinny")
    void skinnyAndBlockCrossingShapes(int m, int n, int k) {
        Random rnd = new Random(m * 31L + n * 7L + k);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    Case.random(rnd, transA, transB, m, n, k, 1f, 0f, 0, 0).check();
                }
            }
        }
    }

    static Stream<Arguments> skinny() {
        return Stream.of(Arguments.of(1, 1000, 1), Arguments.of(1000, 1, 1000), Arguments.of(1, 1, 1),
                Arguments.of(1, 1, 5000), Arguments.of(1, 700, 300), Arguments.of(700, 1, 300),
                Arguments.of(128, 128, 3136), Arguments.of(3136, 128, 128), Arguments.of(128, 3136, 64),
                Arguments.of(13, 4200, 3), Arguments.of(5, 3, 2000), Arguments.of(400, 37, 513),
                // too big to prepack (> Gemm.PREPACK_MAX floats): each thread packs for itself
                Arguments.of(16, 4100, 1024), Arguments.of(4100, 16, 1024));
    }

    @Test
    void prepackedAGivesTheSameBitsAsThePlainCall() {
        Random rnd = new Random(17);
        int[][] shapes = {{64, 448, 576}, {13, 40, 300}, {1, 1, 1}, {400, 37, 513}, {12, 1100, 257}, {576, 200, 64}, {5, 3, 0}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] sh : shapes) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false}) { // NT may take GemmDot, whose sums differ in the last bits
                        int m = sh[0], n = sh[1], k = sh[2], lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1;
                        float[] a = values(rnd, 2 + (transA ? k : m) * lda), b = values(rnd, 1 + (transB ? n : k) * ldb);
                        float[] c0 = values(rnd, m * ldc), c1 = c0.clone();
                        Gemm.sgemm(transA, transB, m, n, k, 1.5f, a, 2, lda, b, 1, ldb, 0.5f, c0, 0, ldc);
                        Gemm.PackedA pa = Gemm.packA(transA, m, k, a, 2, lda);
                        Gemm.sgemm(pa, transB, n, 1.5f, b, 1, ldb, 0.5f, c1, 0, ldc);
                        assertArrayEquals(c0, c1, 0f, Arrays.toString(sh) + " transA=" + transA + " transB=" + transB + " threads=" + threads);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Gemm.packA(false, 4, 5, new float[19], 0, 5));
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(Gemm.packA(false, 4, 5, new float[20], 0, 5), false, 3, 1f, new float[14], 0, 3, 0f, new float[12], 0, 3));
    }

    @Test
    void rowBiasIsTheBiasMultipliedInWithBetaOne() {
        Random rnd = new Random(19);
        int[][] shapes = {{64, 448, 576}, {13, 40, 300}, {1, 1, 1}, {400, 37, 513}, {12, 1100, 257}, {5, 3, 0}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] sh : shapes) {
                int m = sh[0], n = sh[1], k = sh[2], ldb = n + 2, ldc = n + 1;
                float[] a = values(rnd, m * k), b = values(rnd, 1 + k * ldb), bias = values(rnd, m + 3);
                float[] want = values(rnd, m * ldc), got = want.clone(); // garbage beyond column n must stay
                for (int i = 0; i < m; i++) Arrays.fill(want, i * ldc, i * ldc + n, bias[3 + i]);
                Gemm.PackedA pa = Gemm.packA(false, m, k, a, 0, Math.max(1, k));
                Gemm.sgemm(pa, false, n, 1.5f, b, 1, ldb, 1f, want, 0, ldc);
                Gemm.sgemmRowBias(pa, false, n, 1.5f, b, 1, ldb, bias, 3, got, 0, ldc);
                assertArrayEquals(want, got, 0f, Arrays.toString(sh) + " threads=" + threads);
            }
        }
        Gemm.PackedA pa = Gemm.packA(false, 4, 5, new float[20], 0, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmRowBias(pa, false, 3, 1f, new float[15], 0, 3, new float[5], 2, new float[12], 0, 3));
        assertEquals("sgemm: row bias (4 values at offset 2) exceeds its array of 5", e.getMessage());
    }

    @Test
    void packedAIndexIsWherePackAPutsEachElement() {
        Random rnd = new Random(23);
        for (int[] sh : new int[][] {{1, 1}, {12, 256}, {13, 257}, {30, 600}, {7, 3}}) {
            int m = sh[0], k = sh[1];
            float[] a = values(rnd, m * k);
            Gemm.PackedA packed = Gemm.packA(false, m, k, a, 0, k);
            Gemm.PackedA written = new Gemm.PackedA(m, k, new float[Gemm.PackedA.size(m, k)]);
            for (int r = 0; r < m; r++) for (int s = 0; s < k; s++) written.data()[written.index(r, s)] = a[r * k + s];
            assertArrayEquals(packed.data(), written.data(), 0f, m + "x" + k);
        }
        assertThrows(IllegalArgumentException.class, () -> new Gemm.PackedA(13, 4, new float[16 * 3]));
    }

    private static float[] values(Random rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = rnd.nextFloat() * 2 - 1;
        return v;
    }

    /**
     * A tile's merge into C (alpha, beta, row bias) takes whole vectors for a whole tile and
     * masked ones for a partial tile at the right edge: an element of C gets the same bits
     * either way. The same product is taken once with whole tiles only and once one row and one
     * column short (its last tiles partial, every other element the same FMA chain and merge),
     * over two k slabs, for each kind of merge: beta 0 (with alpha 1 and not), beta nonzero, and
     * a row bias.
     */
    @Test
    void wholeAndPartialTilesMergeWithTheSameBits() {
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR, m = 2 * mr, n = 2 * nr, k = GemmDriver.KC + 40;
        Random rnd = new Random(12);
        float[] a = values(rnd, m * k), b = values(rnd, k * n), c0 = values(rnd, m * n);
        for (float[] ab : new float[][] {{1f, 0f}, {0.75f, 0f}, {1f, 1f}, {-1.25f, 0.5f}}) {
            float[] whole = c0.clone(), partial = c0.clone();
            Gemm.sgemm(false, false, m, n, k, ab[0], a, 0, k, b, 0, n, ab[1], whole, 0, n);
            Gemm.sgemm(false, false, m - 1, n - 1, k, ab[0], a, 0, k, b, 0, n, ab[1], partial, 0, n);
            assertSameBitsInside(whole, partial, c0, m, n, "alpha " + ab[0] + " beta " + ab[1]);
        }
        float[] bias = values(rnd, m), whole = c0.clone(), partial = c0.clone();
        Gemm.sgemmRowBias(Gemm.packA(false, m, k, a, 0, k), false, n, 0.75f, b, 0, n, bias, 0, whole, 0, n);
        Gemm.sgemmRowBias(Gemm.packA(false, m - 1, k, a, 0, k), false, n - 1, 0.75f, b, 0, n, bias, 0, partial, 0, n);
        assertSameBitsInside(whole, partial, c0, m, n, "row bias");
    }

    /** {@code partial} equals {@code whole} except in its last row and column, which kept {@code before}. */
    private static void assertSameBitsInside(float[] whole, float[] partial, float[] before, int m, int n, String what) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float expected = i < m - 1 && j < n - 1 ? whole[i * n + j] : before[i * n + j];
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(partial[i * n + j]), what + " at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Random rnd = new Random(9);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] s : new int[][] {{37, 45, 19}, {100, 70, 300}, {1, 1, 1}}) {
                Case g = Case.random(rnd, false, false, s[0], s[1], s[2], 1.5f, 0f, 2, 3);
                g.fillC(Float.NaN);
                g.check();
                assertFalse(g.anyNaN(), "NaN from old C leaked into the result");
            }
        }
    }

    @Test
    void alphaZeroOrEmptyKOnlyScalesC() {
        Random rnd = new Random(10);
        for (int k : new int[] {0, 5}) {
            for (float beta : new float[] {0f, 1f, 0.5f}) {
                Case g = Case.random(rnd, false, true, 9, 33, k, k == 0 ? 1f : 0f, beta, 1, 2);
                if (beta == 0f) g.fillC(Float.NaN);
                g.check();
                assertFalse(g.anyNaN());
            }
        }
    }

    @Test
    void emptyOutputTouchesNothing() {
        float[] c = {Float.NaN};
        Gemm.sgemm(false, false, 0, 1, 3, 1f, new float[0], 0, 3, new float[3], 0, 1, 0f, c, 0, 1);
        Gemm.sgemm(false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
        assertTrue(Float.isNaN(c[0]));
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void repeatedRunsAreBitIdentical(int threads) {
        Parallel.setThreads(threads);
        Random rnd = new Random(11);
        for (int[] s : new int[][] {{300, 200, 600}, {128, 128, 3136}, {3136, 40, 128}}) {
            Case g = Case.random(rnd, s[0] % 2 == 0, false, s[0], s[1], s[2], 1f, 0.5f, 0, 0);
            float[] first = g.run();
            for (int r = 0; r < 3; r++) assertArrayEquals(first, g.run(), "run " + r + " differs");
        }
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Random rnd = new Random(12);
        for (int[] s : new int[][] {{250, 333, 700}, {128, 128, 3136}, {64, 3000, 100}}) {
            Case g = Case.random(rnd, false, true, s[0], s[1], s[2], 0.5f, 1f, 0, 0);
            Parallel.setThreads(1);
            float[] one = g.run();
            Parallel.setThreads(2);
            assertArrayEquals(one, g.run());
        }
    }

    @Test
    void rowsOfAPackedProductAreThoseOfTheWholeProduct() {
        // sgemmRows: any run of whole slivers of A's rows, into its own C, bit for bit the whole product's rows
        Random rnd = new Random(11);
        int mr = GemmMicroKernel.MR;
        for (int[] s : new int[][] {{5 * mr + 3, 70, 300}, {2 * mr, 33, 9}, {mr + 1, 1, 257}, {4 * mr, 200, 40}}) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transB : new boolean[] {false, true}) {
                float[] a = new float[m * k], b = new float[n * k], whole = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
                for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
                Gemm.PackedA pa = Gemm.packA(false, m, k, a, 0, k);
                Gemm.sgemm(pa, transB, n, 1f, b, 0, transB ? k : n, 0f, whole, 0, n);
                for (int r0 = 0; r0 < m; r0 += mr) {
                    for (int r1 : new int[] {Math.min(m, r0 + mr), m, Math.min(m, r0 + 2 * mr + 1)}) {
                        float[] c = new float[3 + (r1 - r0) * (n + 2)];
                        Arrays.fill(c, Float.NaN); // β = 0: stale values must not leak in
                        Gemm.sgemmRows(pa, r0, r1, transB, n, b, 0, transB ? k : n, c, 3, n + 2);
                        for (int i = r0; i < r1; i++) {
                            assertArrayEquals(Arrays.copyOfRange(whole, i * n, (i + 1) * n), Arrays.copyOfRange(c, 3 + (i - r0) * (n + 2), 3 + (i - r0) * (n + 2) + n),
                                    "row " + i + " of rows [" + r0 + ", " + r1 + ") of " + m + "x" + n + "x" + k + " transB=" + transB);
                        }
                    }
                }
            }
        }
        Gemm.PackedA pa = Gemm.packA(false, 2 * mr, 4, new float[8 * mr], 0, 4);
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmRows(pa, 1, 2 * mr, false, 2, new float[8], 0, 2, new float[4 * mr], 0, 2), "a first row inside a sliver");
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmRows(pa, 0, 2 * mr + 1, false, 2, new float[8], 0, 2, new float[6 * mr], 0, 2), "rows past A's");
    }

    @Test
    void manyThreadsShareCOutOnAGrid() {
        // 1024³ on 16 threads: a 4×4 grid of blocks packs half of what a 1-D split packs
        assertEquals(new Gemm.Split(4, 4, false), Gemm.split(problem(1024, 1024, 1024), 16));
        // two threads: rows or columns, as before grids existed
        Gemm.Split two = Gemm.split(problem(1024, 1024, 1024), 2);
        assertEquals(2, two.rows() * two.cols(), two.toString());
        // a deep product with a small C (11 × 4 tiles with AVX-512, 32 × 8 with AVX2; B read in
        // place): at least one block per row of tiles, on 11 or more of 16 threads
        Gemm.Split deep = Gemm.split(problem(128, 128, 3136), 16);
        assertTrue(deep.rows() * deep.cols() >= Math.min(16, (128 + GemmMicroKernel.MR - 1) / GemmMicroKernel.MR), deep.toString());
        // shared packed copies never on a single row of blocks (A's broadcasts would be read
        // from the other cores' caches)
        for (int[] s : new int[][] {{128, 128, 3136}, {512, 512, 512}, {12, 4096, 512}, {128, 512, 256}}) {
            for (int t : new int[] {2, 3, 16}) {
                Gemm.Split sp = Gemm.split(problem(s[0], s[1], s[2]), t);
                assertFalse(sp.shared() && sp.rows() == 1, Arrays.toString(s) + " on " + t + " threads: " + sp);
            }
        }
    }

    private static GemmDriver.Problem problem(int m, int n, int k) {
        return new GemmDriver.Problem(false, false, m, n, k, 1f, new float[m * k], 0, k, new float[k * n], 0, n, 0f, new float[m * n], 0, n, null, 0);
    }

    @Test
    void gridSplitsOnManyThreadsGiveTheSameBitsAsOneThread() {
        // 3 to 16 threads cut C into grids of blocks (2×2, 3×2, 4×4, ...), per-thread packed or
        // from the shared prepacked copies; every element stays the same FMA chain over k
        Random rnd = new Random(14);
        int[][] shapes = {{200, 300, 100}, {1030, 70, 300}, {70, 1030, 300}, {128, 128, 600}, {100, 130, 700}, {16, 4100, 300}, {300, 2100, 1100}};
        for (int[] s : shapes) {
            for (int layout = 0; layout < 4; layout++) {
                boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
                Case g = Case.random(rnd, ta, tb, s[0], s[1], s[2], 0.75f, 0.5f, 1, 2);
                Parallel.setThreads(1);
                float[] one = g.run();
                for (int t : new int[] {3, 4, 6, 16}) {
                    Parallel.setThreads(t);
                    assertArrayEquals(one, g.run(), Arrays.toString(s) + " transA=" + ta + " transB=" + tb + " threads=" + t);
                }
                g.check();
            }
        }
    }

    @Test
    void everyPrepackedGridGivesTheBitsOfOneThread() {
        // runPrepacked on grids of one row or one column packs the blocks' own slivers inside
        // the blocks (slab by slab, A once per column block); other grids pack up front
        Random rnd = new Random(15);
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        int[][] shapes = {{128, 512, 784}, {GemmDriver.MC + 3 * mr + 5, 3 * nr + 7, 300}, {2 * mr + 1, GemmDriver.NC + 2 * nr + 3, 600}, {mr + 3, nr - 5, 40}};
        int[][] grids = {{1, 2}, {2, 1}, {1, 3}, {3, 1}, {2, 2}};
        for (int[] s : shapes) {
            for (int layout = 0; layout < 4; layout++) {
                boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
                for (int[] grid : grids) {
                    for (int threads : new int[] {2, 3}) {
                        // fresh operands each time: the shared packed copies still hold the last product's
                        Case g = Case.random(rnd, ta, tb, s[0], s[1], s[2], 0.75f, 0.5f, 1, 2);
                        float[] one = g.c0.clone();
                        Parallel.setThreads(1);
                        GemmDriver.run(g.problem(one), 0, s[0], 0, s[1]);
                        Parallel.setThreads(threads);
                        float[] c = g.c0.clone();
                        GemmDriver.runPrepacked(g.problem(c), grid[0], grid[1]);
                        assertArrayEquals(one, c, Arrays.toString(s) + " transA=" + ta + " transB=" + tb + " grid " + grid[0] + "x" + grid[1] + " threads=" + threads);
                    }
                }
            }
        }
    }

    @Test
    void nestedCallsFromPoolWorkersRunSeriallyAndMatch() {
        Parallel.setThreads(2);
        Random rnd = new Random(13);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 4; i++) cases.add(Case.random(rnd, i % 2 == 1, i >= 2, 150, 170, 260, 1f, 0f, 0, 0));
        List<float[]> expected = new ArrayList<>();
        for (Case g : cases) expected.add(g.run());
        float[][] nested = new float[cases.size()][];
        Parallel.forRange(cases.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) nested[i] = cases.get(i).run();
        });
        for (int i = 0; i < cases.size(); i++) assertArrayEquals(expected.get(i), nested[i], "case " + i);
    }

    @Test
    void badArgumentsNameSgemm() {
        float[] x = new float[100];
        assertBad(() -> Gemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2), "negative size");
        assertBad(() -> Gemm.sgemm(false, false, 2, 2, -3, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2), "negative size");
        assertBad(() -> Gemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4), "leading dimension");
        assertBad(() -> Gemm.sgemm(true, false, 4, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 3), "leading dimension");
        assertBad(() -> Gemm.sgemm(false, true, 4, 5, 4, 1f, x, 0, 4, x, 0, 3, 0f, x, 0, 5), "leading dimension");
        assertBad(() -> Gemm.sgemm(false, false, 11, 10, 10, 1f, x, 0, 10, x, 0, 10, 0f, new float[110], 0, 10), "A (11x10");
        assertBad(() -> Gemm.sgemm(false, false, 10, 10, 10, 1f, x, 1, 10, x, 0, 10, 0f, new float[110], 0, 10), "A (10x10");
        assertBad(() -> Gemm.sgemm(false, true, 5, 21, 5, 1f, x, 0, 5, x, 0, 5, 0f, new float[110], 0, 21), "B (21x5");
        assertBad(() -> Gemm.sgemm(false, false, 5, 5, 5, 1f, x, 0, 5, x, 0, 5, 0f, new float[24], 0, 5), "C (5x5");
        assertBad(() -> Gemm.sgemm(false, false, 5, 5, 5, 1f, x, -1, 5, x, 0, 5, 0f, x, 0, 5), "offset -1");
    }

    private static void assertBad(Runnable call, String detail) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith("sgemm: "), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void tileSizesFollowTheVectorWidth() {
        assertEquals(2 * jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length(), GemmMicroKernel.NR);
        assertEquals(0, GemmDriver.MC % GemmMicroKernel.MR);
        assertEquals(0, GemmDriver.NC % GemmMicroKernel.NR);
    }

    @Test
    void smallOutputLongKPathsMatchTheReference() {
        // GemmDot (NT, small C, long k) and the swapped path (few columns): every shape class,
        // odd sizes, padded leading dimensions, offsets, both merges with C, 1 and 2 threads.
        int saved = Parallel.threads();
        try {
            Random rnd = new Random(77);
            for (int t : new int[] {1, 2}) {
                Parallel.setThreads(t);
                for (int[] s : new int[][] {{32, 9, 784}, {9, 32, 784}, {1, 1, 64}, {3, 5, 65}, {2, 4, 100}, {7, 3, 1000},
                        {45, 45, 129}, {128, 10, 256}, {40, 16, 40}, {100, 2, 7},
                        {8, 1030, 600}, {13, 515, 520}, {16, 70, 1030}, {1, 2000, 513}}) { // the last four: few rows, wide C
                    for (boolean ta : new boolean[] {false, true}) {
                        for (boolean tb : new boolean[] {false, true}) {
                            Case.random(rnd, ta, tb, s[0], s[1], s[2], 1f, 0f, 3, 5).check();
                            Case.random(rnd, ta, tb, s[0], s[1], s[2], 0.5f, 1f, 0, 0).check();
                            Case.random(rnd, ta, tb, s[0], s[1], s[2], -2f, 0.25f, 1, 2).check();
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void dotTiledNtMatchesTheReference() {
        // GemmDotTiled: few rows of A, long k, both operands read in place; edges of 1-3 rows
        // and columns, k not a multiple of 16, padded leading dimensions, offsets, both merges
        int saved = Parallel.threads();
        try {
            Random rnd = new Random(91);
            int[][] shapes = {{128, 128, 3136}, {4, 4, 768}, {13, 37, 800}, {128, 66, 1601}, {7, 5, 999}, {5, 130, 4096}};
            for (int[] s : shapes) {
                assertEquals(GemmDotTiled.CHOSEN, GemmDotTiled.suits(false, true, s[0], s[1], s[2]), Arrays.toString(s));
            }
            for (int t : new int[] {1, 2}) {
                Parallel.setThreads(t);
                for (int[] s : shapes) {
                    Case[] cases = {Case.random(rnd, false, true, s[0], s[1], s[2], 1f, 0f, 3, 5),
                            Case.random(rnd, false, true, s[0], s[1], s[2], -0.5f, 1f, 0, 0),
                            Case.random(rnd, false, true, s[0], s[1], s[2], 2f, 0.25f, 1, 2)};
                    for (Case g : cases) {
                        g.check(); // the routed product
                        if (GemmDotTiled.AVAILABLE) g.check(g.runDotTiled()); // the kernel itself, where Gemm does not choose it
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
        // the edges of the routing: short k, more rows, a transposed A, a k past the in-cache bound
        assertFalse(GemmDotTiled.suits(false, true, 128, 128, 767));
        assertFalse(GemmDotTiled.suits(false, true, 129, 128, 3136));
        assertFalse(GemmDotTiled.suits(true, true, 128, 128, 3136));
        assertFalse(GemmDotTiled.suits(false, true, 64, 576, 4097));
        assertFalse(GemmDotTiled.suits(false, true, 3, 128, 3136));
    }

    @Test
    void dotTiledNtIsTheSameBitsForAnyThreadCountAndCallsItDirectly() {
        Random rnd = new Random(8);
        int m = 14, n = 1031, k = 1001; // several 64-row blocks of B per thread, edges both ways
        float[] a = new float[m * k], b = new float[n * k];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        int saved = Parallel.threads();
        try {
            float[][] c = new float[3][m * n];
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                GemmDotTiled.nt(m, n, k, 1f, a, 0, k, b, 0, k, 0f, c[t - 1], 0, n);
            }
            assertArrayEquals(c[0], c[1]);
            assertArrayEquals(c[0], c[2]);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void sum16AddsEachVectorsLanesInTheFixedTree() {
        Random rnd = new Random(12);
        float[] acc = new float[256], sums = new float[16];
        for (int i = 0; i < acc.length; i++) acc[i] = (rnd.nextFloat() - 0.5f) * (float) Math.pow(10, rnd.nextInt(7) - 3);
        GemmDotTiled.sum16(acc, sums);
        for (int v = 0; v < 16; v++) {
            float[] p = Arrays.copyOfRange(acc, 16 * v, 16 * v + 16);
            for (int h = 8; h >= 1; h /= 2) for (int l = 0; l < h; l++) p[l] = p[l] + p[l + h]; // lanes l and l + 8, then l + 4, ...
            assertEquals(Float.floatToRawIntBits(p[0]), Float.floatToRawIntBits(sums[v]), "vector " + v);
        }
    }

    @Test
    void fewRowsWideOutputNtIsTheSameBitsForAnyThreadCount() {
        // GemmDot's wide split (threads share B's rows): every element is one FMA chain
        int saved = Parallel.threads();
        try {
            Random rnd = new Random(5);
            int m = 7, n = 4099, k = 600;
            float[] a = new float[m * k], b = new float[n * k];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
            assertTrue(GemmDot.suits(false, true, m, n, k));
            float[][] c = new float[3][m * n];
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                Gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c[t - 1], 0, n);
            }
            assertArrayEquals(c[0], c[1]);
            assertArrayEquals(c[0], c[2]);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * One random sgemm problem for the tests: operands with offsets and padded leading dimensions,
     * checked element by element against {@link GemmScalar} with a tolerance that grows with k.
     * Padding around C must come back untouched.
     */
    static final class Case {
        final boolean transA, transB;
        final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        final float alpha, beta;
        final float[] a, b, c0;

        private Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c0, int cOff, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c0 = c0;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        /** Values in [-1, 1); leading dimensions exceed the widths by {@code pad}, offsets are {@code off}. */
        static Case random(Random rnd, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int pad, int off) {
            int lda = Math.max(1, (transA ? m : k) + pad), ldb = Math.max(1, (transB ? k : n) + pad), ldc = Math.max(1, n + pad);
            float[] a = values(rnd, off + (transA ? k : m) * lda + pad);
            float[] b = values(rnd, off + (transB ? n : k) * ldb + pad);
            float[] c = values(rnd, off + m * ldc + pad);
            return new Case(transA, transB, m, n, k, alpha, beta, a, off, lda, b, off, ldb, c, off, ldc);
        }

        private static float[] values(Random rnd, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() * 2 - 1;
            return x;
        }

        /** This case as the driver's problem, writing into {@code c}. */
        GemmDriver.Problem problem(float[] c) {
            return new GemmDriver.Problem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0);
        }

        void fillC(float v) {
            Arrays.fill(c0, v);
        }

        /** Gemm's result on a fresh copy of C. */
        float[] run() {
            float[] c = c0.clone();
            Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return c;
        }

        /** Whether Gemm's result has a NaN inside C's m×n window. */
        boolean anyNaN() {
            float[] c = run();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) if (Float.isNaN(c[cOff + i * ldc + j])) return true;
            }
            return false;
        }

        /** GemmDotTiled's result (an NT product) on a fresh copy of C, whatever Gemm would choose. */
        float[] runDotTiled() {
            float[] c = c0.clone();
            GemmDotTiled.nt(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return c;
        }

        /** Gemm against GemmScalar; everything outside C's m×n window must be unchanged. */
        void check() {
            check(run());
        }

        /** {@code got} (this case's C after some kernel) against GemmScalar, as {@link #check()}. */
        void check(float[] got) {
            float[] want = c0.clone();
            GemmScalar.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
            double tol = 1e-5 * Math.max(1, k) * Math.abs(alpha) + 1e-6 + 1e-6 * Math.abs(beta);
            for (int idx = 0; idx < got.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    if (Float.compare(got[idx], c0[idx]) != 0) fail(where(rel) + ": written outside C");
                    continue;
                }
                double diff = Math.abs((double) got[idx] - want[idx]);
                if (!(diff <= tol)) fail(where(rel) + ": got " + got[idx] + " want " + want[idx] + " (tol " + tol + ")");
            }
        }

        private String where(int rel) {
            return "sgemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " off=" + cOff + ") at C[" + Math.floorDiv(rel, ldc) + "][" + Math.floorMod(rel, ldc) + "]";
        }
    }
}
