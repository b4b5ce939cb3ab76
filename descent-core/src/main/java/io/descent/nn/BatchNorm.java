package io.descent.nn;

import io.descent.ops.Norm;
import io.descent.tensor.Tensor;

/**
 * Batch normalisation over the channel dimension 1 (Ioffe & Szegedy, 2015), PyTorch's
 * BatchNorm1d ([N, C] or [N, C, L]) and BatchNorm2d ([N, C, H, W]): batch statistics and a
 * momentum update of the running ones in training mode, running statistics in eval mode.
 * {@code num_batches_tracked} counts training batches; with {@code momentum == null} the
 * running statistics are a cumulative average, as in PyTorch.
 */
public class BatchNorm extends Module implements FusesRelu {
    public final int numFeatures;
    public final float eps;
    public final Float momentum;
    private final int rank;
    public final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    protected BatchNorm(int numFeatures, float eps, Float momentum, boolean affine, boolean trackRunningStats, int rank) {
        if (numFeatures < 1) throw new IllegalArgumentException(name(rank) + ": num_features must be positive, got " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(name(rank) + ": eps must be positive, got " + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(name(rank) + ": momentum must be in [0, 1], got " + momentum);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.rank = rank;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.scalar(0f)) : null;
    }

    /** BatchNorm1d with PyTorch's defaults (eps 1e-5, momentum 0.1, affine, tracking). */
    public static BatchNorm batchNorm1d(int numFeatures) {
        return new BatchNorm(numFeatures, 1e-5f, 0.1f, true, true, 1);
    }

    /** BatchNorm2d with PyTorch's defaults (eps 1e-5, momentum 0.1, affine, tracking). */
    public static BatchNorm batchNorm2d(int numFeatures) {
        return new BatchNorm(numFeatures, 1e-5f, 0.1f, true, true, 2);
    }

    public static BatchNorm batchNorm2d(int numFeatures, float eps, Float momentum, boolean affine, boolean trackRunningStats) {
        return new BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, 2);
    }

    private static String name(int rank) {
        return rank == 1 ? "BatchNorm1d" : "BatchNorm2d";
    }

    @Override
    public Tensor forward(Tensor x) {
        return run(x, false);
    }

    @Override
    public Tensor forwardRelu(Tensor x) {
        return run(x, true);
    }

    /** Whether this is a BatchNorm2d (input [N, C, H, W]). */
    boolean isSpatial() {
        return rank == 2;
    }

    @Override
    public boolean fusesRelu() {
        return getClass() == BatchNorm.class;
    }

    private Tensor run(Tensor x, boolean relu) {
        boolean ok = rank == 1 ? (x.dim() == 2 || x.dim() == 3) : x.dim() == 4;
        if (!ok || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(name(rank) + "(" + numFeatures + "): expected input " + (rank == 1 ? "[N, " + numFeatures + "] or [N, " + numFeatures + ", L]" : "[N, " + numFeatures + ", H, W]")
                    + ", got " + io.descent.tensor.Shape.str(x.shape()));
        }
        boolean useBatchStats = isTraining() || runningMean == null;
        float m = momentum == null ? 0f : momentum;
        if (isTraining() && numBatchesTracked != null) {
            numBatchesTracked.data()[0] += 1;
            if (momentum == null) m = 1f / numBatchesTracked.data()[0]; // cumulative moving average
        }
        Tensor in = x.dim() == 3 ? x.reshape(x.size(0), x.size(1), x.size(2), 1) : x;
        // training (or no running statistics): batch statistics, running ones updated in place
        Tensor y = relu ? Norm.batchNormRelu(in, runningMean, runningVar, weight, bias, useBatchStats, m, eps)
                : Norm.batchNorm(in, runningMean, runningVar, weight, bias, useBatchStats, m, eps);
        return x.dim() == 3 ? y.reshape(x.shape()) : y;
    }

    @Override
    protected String describe() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum;
    }
}
