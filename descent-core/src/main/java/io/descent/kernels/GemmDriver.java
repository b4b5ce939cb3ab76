package io.descent.kernels;

import static io.descent.kernels.GemmMicroKernel.MR;
import static io.descent.kernels.GemmMicroKernel.NR;

/**
 * The cache-blocked loop nest of {@link Gemm} over one rectangle of C (Goto's algorithm as
 * BLIS lays it out): for each NC-wide column block and KC-deep slab of k, B's KC×NC block is
 * packed once; for each MC-tall row block A's MC×KC block is packed and the micro-kernel sweeps
 * its tiles, NR-column sliver of B outermost so that sliver stays in L1 while the A slivers
 * stream from L2. Sizes for a core with 48 KiB L1d and 1–2 MiB L2: a B sliver is
 * KC·NR·4 = 32 KiB, the A block MC·KC·4 = 192 KiB, the B block at most KC·NC·4 = 4 MiB (L3).
 *
 * <p>Packing buffers live in a per-thread scratch that only ever grows, so a steady stream of
 * calls allocates nothing.
 */
final class GemmDriver {
    /** Depth of a k slab. Fixed, so each element's summation order is independent of threads. */
    static final int KC = 256;
    /** Rows of an A block (a multiple of MR). */
    static final int MC = 16 * MR;
    /** Columns of a B block (a multiple of NR). */
    static final int NC = 128 * NR;

    /** The arguments of one sgemm call, already checked. */
    record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {}

    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private GemmDriver() {}

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of C on the calling thread. */
    static void run(Problem q, int i0, int i1, int j0, int j1) {
        if (i0 >= i1 || j0 >= j1) return;
        Scratch s = SCRATCH.get();
        int kcMax = Math.min(KC, q.k());
        int aNeed = kcMax * roundUp(Math.min(MC, i1 - i0), MR);
        int bNeed = kcMax * roundUp(Math.min(NC, j1 - j0), NR);
        if (s.a.length < aNeed) s.a = new float[aNeed];
        if (s.b.length < bNeed) s.b = new float[bNeed];
        float[] ap = s.a, bp = s.b, tile = s.tile;
        float alpha = q.alpha();
        float[] c = q.c();
        int ldc = q.ldc();
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < q.k(); pc += KC) {
                int kc = Math.min(KC, q.k() - pc);
                float beta = pc == 0 ? q.beta() : 1f;
                GemmPacking.packB(q.transB(), q.b(), q.bOff(), q.ldb(), pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    GemmPacking.packA(q.transA(), q.a(), q.aOff(), q.lda(), ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int cj = q.cOff() + ic * ldc + jc + jr;
                        for (int ir = 0; ir < mc; ir += MR) {
                            GemmMicroKernel.kernel(kc, ap, ir * kc, bp, jr * kc, tile);
                            GemmMicroKernel.store(tile, Math.min(MR, mc - ir), nr, alpha, beta, c, cj + ir * ldc, ldc);
                        }
                    }
                }
            }
        }
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
