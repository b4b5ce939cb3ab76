package io.descent.kernels;

import java.util.Arrays;

/**
 * 2-D convolution on {@code float[]} as im2col + GEMM, per image and per group
 * ({@link Im2col}; for group γ, {@code W_γ} is the [o/groups, K] slice of the weight and
 * {@code cols_γ} the [K, oh·ow] column matrix, K = (c/groups)·kh·kw):
 * <ul>
 *   <li>forward: {@code y_γ = W_γ · cols_γ + b} — the bias is written first and the GEMM
 *       adds onto it (β = 1), so no separate pass;</li>
 *   <li>input gradient: {@code dx_γ = col2im(W_γᵀ · dy_γ)} — also the forward pass of a
 *       transposed convolution, which is this operator's adjoint;</li>
 *   <li>weight gradient: {@code dW_γ = Σ_images dy_γ · cols_γᵀ}, the columns recomputed from
 *       the saved input rather than kept (they are kh·kw times larger);</li>
 *   <li>bias gradient: {@code db_o = Σ_{images, pixels} dy}.</li>
 * </ul>
 * A 1×1 stride-1 unpadded kernel skips im2col: the input planes are the column matrix. A
 * large image is done in bands of output rows ({@link #bandRows}), each band's columns built
 * just before its GEMM, so the column matrix stays in cache. Small
 * output planes go to {@link ConvBatched}, which puts several images side by side in one GEMM.
 *
 * <p>Images are spread over {@link Parallel} workers, each with its own scratch; GEMMs issued
 * from a worker run single-threaded, and with one image the GEMM parallelises itself. The
 * weight gradient sums per-chunk partials in chunk order, so results are bit-identical for a
 * given thread count. Scalar reference: {@code ConvReference} in the tests (a direct
 * seven-loop convolution). 3×3 stride-1 layers with enough output tiles go to {@link Winograd}
 * instead (forward and input gradient, and the weight gradient of layers at least 64 channels wide).
 * The forward pass of a 3×3 stride-1 layer on a one-channel image goes to
 * {@link ConvSingleChannel} (direct, same bits as im2col + GEMM).
 */
public final class ConvKernels {
    private ConvKernels() {}

    /**
     * Lets 3×3 stride-1 convolutions use {@link Winograd}'s algorithm (the default unless the JVM
     * runs with {@code -Ddescent.winograd=false}): 1.6–3× faster on ResNet-sized layers, with
     * several times the rounding of a direct sum (a few 1e-6 of the magnitudes summed). Off, every
     * convolution is im2col + GEMM, as close to PyTorch's as float32 summation allows. Like
     * {@code torch.backends.cudnn} flags, this is process-wide.
     */
    public static void setWinograd(boolean enabled) {
        Winograd.enabled = enabled;
    }

    /** Whether this geometry's passes take the Winograd path (3×3, stride 1, enough tiles and channels, and allowed). */
    public static boolean usesWinograd(ConvGeometry g) {
        return Winograd.suits(g);
    }

    /** Whether {@link #setWinograd} allows the Winograd path. */
    public static boolean winograd() {
        return Winograd.enabled;
    }

    /** {@code y[n, o, oh, ow] = conv(x, w) + bias}; {@code bias} may be null; y is overwritten. */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        forward(g, x, w, bias, y, false);
    }

    /** {@link #forward(ConvGeometry, float[], float[], float[], float[])}, then {@code max(y, 0)} when {@code relu}, image by image while in cache. */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
        if (ConvSingleChannel.suits(g)) {
            ConvSingleChannel.forward(g, x, w, bias, y, relu);
            return;
        }
        if (Winograd.suits(g)) {
            Winograd.forward(g, x, w, bias, y, relu);
            return;
        }
        if (ConvBatched.suits(g)) {
            ConvBatched.forward(g, x, w, bias, y, relu);
            return;
        }
        int k = g.k(), p = g.p(), og = g.og(), planes = g.cg() * g.h() * g.w();
        boolean pointwise = g.isPointwise();
        int band = bandRows(g), ow = g.ow(), parts = partsPerImage(g), partRows = ceilDiv(g.oh(), parts);
        Gemm.PackedA[] wp = packWeights(g, w, false); // every image and band multiplies the same weights
        Parallel.forRange(g.n() * parts, 1, (from, to) -> {
            float[] cols = pointwise ? null : SCRATCH.get().cols(k * Math.min(p, band * ow));
            for (int item = from; item < to; item++) {
                int i = item / parts, r0 = item % parts * partRows, r1 = Math.min(g.oh(), r0 + partRows);
                for (int gr = 0; gr < g.groups(); gr++) {
                    int xOff = i * g.imageSize() + gr * planes, yOff = i * g.outImageSize() + gr * og * p;
                    if (pointwise) {
                        product(wp[gr], (r1 - r0) * ow, x, xOff + r0 * ow, p, bias, gr * og, y, yOff + r0 * ow, p);
                        continue;
                    }
                    for (int oy0 = r0; oy0 < r1; oy0 += band) {
                        int oy1 = Math.min(r1, oy0 + band), bp = (oy1 - oy0) * ow;
                        Im2col.im2colRows(g, x, xOff, oy0, oy1, cols, 0, bp);
                        product(wp[gr], bp, cols, 0, bp, bias, gr * og, y, yOff + oy0 * ow, p);
                    }
                }
                if (relu && parts == 1) {
                    VectorOps.relu(y, y, i * g.outImageSize(), (i + 1) * g.outImageSize());
                } else if (relu) {
                    for (int ch = 0; ch < g.o(); ch++) {
                        int at = i * g.outImageSize() + ch * p;
                        VectorOps.relu(y, y, at + r0 * ow, at + r1 * ow);
                    }
                }
            }
        });
    }

    /**
     * {@code dx[n, c, h, w] = col2im(Wᵀ · dy) + bias}: the input gradient of the convolution
     * (bias null), or the forward pass of the transposed convolution whose input is {@code dy}
     * (with its bias over the c channels). {@code dx} is overwritten.
     */
    public static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] bias, float[] dx) {
        if (Winograd.suits(g)) {
            Winograd.backwardData(g, dy, w, bias, dx);
            return;
        }
        if (ConvBatched.suits(g)) {
            ConvBatched.backwardData(g, dy, w, bias, dx);
            return;
        }
        int k = g.k(), p = g.p(), og = g.og(), hw = g.h() * g.w(), planes = g.cg() * hw;
        boolean pointwise = g.isPointwise();
        int band = bandRows(g), ow = g.ow();
        Gemm.PackedA[] wt = packWeights(g, w, true); // Wᵀ, shared by every image and band
        if (pointwise) { // no col2im: an image's pixels split like the forward pass's
            int parts = partsPerImage(g), partRows = ceilDiv(g.oh(), parts);
            Parallel.forRange(g.n() * parts, 1, (from, to) -> {
                for (int item = from; item < to; item++) {
                    int i = item / parts, q0 = item % parts * partRows * ow, q1 = Math.min(g.oh(), (item % parts + 1) * partRows) * ow;
                    for (int gr = 0; gr < g.groups(); gr++) {
                        int dxOff = i * g.imageSize() + gr * planes, dyOff = i * g.outImageSize() + gr * og * p;
                        product(wt[gr], q1 - q0, dy, dyOff + q0, p, bias, gr * g.cg(), dx, dxOff + q0, p);
                    }
                }
            });
            return;
        }
        int shares = channelShares(g);
        if (shares > 1) {
            backwardDataByChannels(g, dy, wt, bias, dx, shares);
            return;
        }
        Parallel.forRange(g.n(), 1, (from, to) -> {
            float[] cols = SCRATCH.get().cols(k * Math.min(p, band * ow));
            for (int i = from; i < to; i++) {
                for (int gr = 0; gr < g.groups(); gr++) {
                    int dxOff = i * g.imageSize() + gr * planes, dyOff = i * g.outImageSize() + gr * og * p;
                    float beta = initPlanes(dx, dxOff, g.cg(), hw, bias, gr * g.cg());
                    if (beta == 0f) Arrays.fill(dx, dxOff, dxOff + planes, 0f);
                    for (int oy0 = 0; oy0 < g.oh(); oy0 += band) {
                        int oy1 = Math.min(g.oh(), oy0 + band), bp = (oy1 - oy0) * ow;
                        Gemm.sgemm(wt[gr], false, bp, 1f, dy, dyOff + oy0 * ow, p, 0f, cols, 0, bp);
                        Im2col.col2imRows(g, cols, 0, bp, oy0, oy1, dx, dxOff);
                    }
                }
            }
        });
    }

    /**
     * The im2col input gradient with each image's input channels cut into {@code shares}:
     * col2im writes channel c's plane from rows {@code [c·kh·kw, (c+1)·kh·kw)} of the column
     * matrix alone, so a share computes its channels' rows of {@code Wᵀ·dy}
     * ({@link Gemm#sgemmRows}) and adds them onto planes no other share touches. Cutting by
     * output rows instead would overlap: neighbouring rows' windows cover the same input rows.
     * Every value is the one the whole image gives (the same FMA chains, the same additions in
     * the same order), so the cut changes no bits.
     */
    private static void backwardDataByChannels(ConvGeometry g, float[] dy, Gemm.PackedA[] wt, float[] bias, float[] dx, int shares) {
        int kk = g.kh() * g.kw(), p = g.p(), og = g.og(), hw = g.h() * g.w(), ow = g.ow();
        int per = GemmDriver.roundUp(ceilDiv(g.cg(), shares), channelQuantum(g));
        int items = g.n() * g.groups() * shares;
        Parallel.forRange(items, 1, (from, to) -> {
            for (int item = from; item < to; item++) {
                int i = item / (g.groups() * shares), gr = item / shares % g.groups(), c0 = item % shares * per, c1 = Math.min(g.cg(), c0 + per);
                if (c0 >= c1) continue;
                ConvGeometry sub = g.channelSlice(c1 - c0);
                int rows = (c1 - c0) * kk, band = bandRows(g); // the whole image's bands: col2im adds band by band
                float[] cols = SCRATCH.get().cols(rows * Math.min(p, band * ow));
                int dxOff = i * g.imageSize() + (gr * g.cg() + c0) * hw, dyOff = i * g.outImageSize() + gr * og * p;
                if (initPlanes(dx, dxOff, c1 - c0, hw, bias, gr * g.cg() + c0) == 0f) Arrays.fill(dx, dxOff, dxOff + (c1 - c0) * hw, 0f);
                for (int oy0 = 0; oy0 < g.oh(); oy0 += band) {
                    int oy1 = Math.min(g.oh(), oy0 + band), bp = (oy1 - oy0) * ow;
                    Gemm.sgemmRows(wt[gr], c0 * kk, c0 * kk + rows, false, bp, dy, dyOff + oy0 * ow, p, cols, 0, bp);
                    Im2col.col2imRows(sub, cols, 0, bp, oy0, oy1, dx, dxOff);
                }
            }
        });
    }

    /**
     * Shares of input channels that each image's im2col input gradient is cut into: 1 when
     * there are at least as many images (times groups) as threads, else about threads / images,
     * each at least {@link #channelQuantum} channels (its rows of the packed Wᵀ start on a
     * sliver). With one image per thread or more nothing changes.
     */
    static int channelShares(ConvGeometry g) {
        int want = ceilDiv(Parallel.threads(), Math.max(1, g.n() * g.groups()));
        if (want <= 1) return 1;
        int q = channelQuantum(g), most = g.cg() / q;
        if (most <= 1) return 1;
        int per = GemmDriver.roundUp(ceilDiv(g.cg(), Math.min(want, most)), q);
        return ceilDiv(g.cg(), per); // no empty share at the end
    }

    /** Fewest channels whose kh·kw rows each fill whole slivers of the packed Wᵀ: MR / gcd(MR, kh·kw). */
    private static int channelQuantum(ConvGeometry g) {
        int kk = g.kh() * g.kw(), mr = GemmMicroKernel.MR, gcd = mr;
        for (int r = kk % gcd; r != 0; ) { // Euclid on (mr, kk)
            int t = gcd % r;
            gcd = r;
            r = t;
        }
        return mr / gcd;
    }

    /**
     * {@code dw[o, c/groups, kh, kw] = Σ_images dy · colsᵀ} (overwritten). Each parallel chunk
     * of images accumulates its own partial (the first chunk directly in {@code dw}); the
     * partials are then added in chunk order.
     */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int k = g.k(), p = g.p(), og = g.og(), planes = g.cg() * g.h() * g.w(), n = g.n();
        if (n == 0) {
            Arrays.fill(dw, 0, g.weightSize(), 0f);
            return;
        }
        if (Winograd.suitsWeightGrad(g)) {
            Winograd.backwardWeight(g, x, dy, dw);
            return;
        }
        if (ConvBatched.suits(g)) {
            ConvBatched.backwardWeight(g, x, dy, dw);
            return;
        }
        boolean pointwise = g.isPointwise();
        int band = bandRows(g), ow = g.ow(), parts = partsPerImage(g), partRows = ceilDiv(g.oh(), parts), items = n * parts;
        float[][] partials = new float[items][];
        Parallel.forRange(items, 1, (from, to) -> {
            // a partial per chunk, not per thread: one thread may run several chunks of an op
            float[] acc = from == 0 ? dw : BufferPool.take(g.weightSize()); // written (β = 0) by its first item
            float[] cols = pointwise ? null : SCRATCH.get().cols(k * Math.min(p, band * ow));
            for (int item = from; item < to; item++) {
                int i = item / parts, r0 = item % parts * partRows, r1 = Math.min(g.oh(), r0 + partRows);
                for (int gr = 0; gr < g.groups(); gr++) {
                    int xOff = i * g.imageSize() + gr * planes, dyOff = i * g.outImageSize() + gr * og * p;
                    if (pointwise) {
                        Gemm.sgemm(false, true, og, k, (r1 - r0) * ow, 1f, dy, dyOff + r0 * ow, p, x, xOff + r0 * ow, p,
                                item == from ? 0f : 1f, acc, gr * og * k, k);
                        continue;
                    }
                    for (int oy0 = r0; oy0 < r1; oy0 += band) {
                        int oy1 = Math.min(r1, oy0 + band), bp = (oy1 - oy0) * ow;
                        Im2col.im2colRows(g, x, xOff, oy0, oy1, cols, 0, bp);
                        float beta = item == from && oy0 == r0 ? 0f : 1f;
                        Gemm.sgemm(false, true, og, k, bp, 1f, dy, dyOff + oy0 * ow, p, cols, 0, bp, beta, acc, gr * og * k, k);
                    }
                }
            }
            partials[from] = acc;
        });
        Partials.sumIntoFirst(partials, g.weightSize());
        for (int i = 1; i < items; i++) if (partials[i] != null) BufferPool.give(partials[i]);
    }

    /**
     * {@code db[ch] = Σ_images Σ_pixels dy[image, ch, ·]} for dy laid out [n, channels, pixels];
     * each plane summed by {@link VectorOps#sum}, the planes added in image order in double.
     */
    public static void biasGrad(float[] dy, int n, int channels, int pixels, float[] db) {
        Parallel.forRange(channels, Math.max(1, 16384 / Math.max(1, n * pixels)), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += VectorOps.sum(dy, (i * channels + ch) * pixels, pixels);
                db[ch] = (float) s;
            }
        });
    }

    /**
     * A thread's arrays for its convolutions, only ever grown: allocated per call, each would
     * cost the JVM a zeroing pass (and G1 a humongous region when it is megabytes) on top of the
     * work. The packed weights (one per group) belong to the thread that calls the op, and the
     * team only reads them during the call; a column matrix band belongs to whichever thread
     * runs a chunk, for the length of that chunk. Every element used is written first.
     * Measured with packed weights allocated per call: resnet50's 512→2048 1×1 layer at batch 1
     * ran at 94–98 GFLOPS, at 105–128 with the array kept (2 threads, best of runs).
     */
    private static final class Scratch {
        private float[][] packed = new float[0][];
        private float[] cols = new float[0];

        float[] cols(int n) {
            if (cols.length < n) cols = new float[n];
            return cols;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Each group's W (o/groups × K), or its transpose, packed as GEMM's left operand. */
    private static Gemm.PackedA[] packWeights(ConvGeometry g, float[] w, boolean transposed) {
        int k = g.k(), og = g.og();
        Scratch sc = SCRATCH.get();
        if (sc.packed.length < g.groups()) sc.packed = Arrays.copyOf(sc.packed, g.groups());
        float[][] scratch = sc.packed;
        Gemm.PackedA[] packed = new Gemm.PackedA[g.groups()];
        for (int gr = 0; gr < g.groups(); gr++) {
            packed[gr] = transposed ? Gemm.packA(true, k, og, w, gr * og * k, k, scratch[gr]) : Gemm.packA(false, og, k, w, gr * og * k, k, scratch[gr]);
            scratch[gr] = packed[gr].data();
        }
        return packed;
    }

    /** Fewest output pixels (GEMM columns) in a share of an image, when images are cut to feed more threads. */
    static final int MIN_PART_PIXELS = 64;

    /**
     * Shares (bands of whole output rows) that each image's work is cut into: 1 when there are
     * at least as many images as threads, else about threads / images, so that every thread
     * gets work (resnet50's batch of 8 on 16 cores left half the cores idle in its per-image
     * layers), but none under {@link #MIN_PART_PIXELS} pixels. A share's output columns are a
     * GEMM of their own, and every output element is the same FMA chain in any share, so the
     * forward and input-gradient values do not depend on the cut; the weight gradient's
     * partial sums follow the thread count, as they already did.
     */
    static int partsPerImage(ConvGeometry g) {
        int want = ceilDiv(Parallel.threads(), Math.max(1, g.n()));
        if (want <= 1) return 1;
        int parts = Math.min(want, Math.min(g.oh(), g.p() / MIN_PART_PIXELS));
        return parts <= 1 ? 1 : ceilDiv(g.oh(), ceilDiv(g.oh(), parts)); // no empty share at the end
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Floats of column matrix kept per band: 1 MiB, so that a band and the weight's sliver share L2. */
    static final int COLS_BUDGET = 1 << 18;

    /**
     * Output rows per band: all of them when the image's column matrix fits {@link #COLS_BUDGET},
     * else as many as fit (at least one). A 64-channel 3×3 layer at 224×224 would otherwise
     * write and re-read a 115 MB column matrix per image, which costs as much as its GEMM.
     */
    static int bandRows(ConvGeometry g) {
        long full = (long) g.k() * g.p();
        return full <= COLS_BUDGET ? Math.max(1, g.oh()) : (int) Math.max(1, COLS_BUDGET / ((long) g.k() * g.ow()));
    }

    /** {@code c = w · b}, plus {@code bias[biasOff + row]} on each row when there is a bias (added in the GEMM's write of c). */
    private static void product(Gemm.PackedA w, int n, float[] b, int bOff, int ldb, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        if (bias == null) Gemm.sgemm(w, false, n, 1f, b, bOff, ldb, 0f, c, cOff, ldc);
        else Gemm.sgemmRowBias(w, false, n, 1f, b, bOff, ldb, bias, biasOff, c, cOff, ldc);
    }

    /**
     * Fills {@code count} planes of {@code pixels} values at {@code dst[off]} with
     * {@code bias[biasOff + plane]} and returns 1, the GEMM β that keeps them; without a bias
     * writes nothing and returns 0 (the GEMM then overwrites).
     */
    private static float initPlanes(float[] dst, int off, int count, int pixels, float[] bias, int biasOff) {
        if (bias == null) return 0f;
        for (int i = 0; i < count; i++) Arrays.fill(dst, off + i * pixels, off + (i + 1) * pixels, bias[biasOff + i]);
        return 1f;
    }
}
