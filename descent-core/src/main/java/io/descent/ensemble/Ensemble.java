package io.descent.ensemble;

import io.descent.nn.Module;
import io.descent.ops.ShapeOps;
import io.descent.ops.Softmax;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A probability-averaging ensemble of classifiers: {@code forward} gives
 * {@code log(mean_i softmax(f_i(x)))}, the log of the members' averaged class probabilities,
 * so cross-entropy on it is the ensemble's negative log-likelihood and its argmax the
 * ensemble's prediction. Computed as {@code logsumexp_i log_softmax(f_i(x)) − log n}, with the
 * log-sum-exp taken as {@code l_0 − log_softmax(l, dim 0)[0]} over the members' stacked
 * log-probabilities {@code l}, so no member's tiny probabilities underflow; built from
 * differentiable ops. The members are children {@code "0"}, {@code "1"}, ... (state dict,
 * train/eval and parameters pass through); they must give logits of one shape [N, C].
 */
public final class Ensemble extends Module {
    private final int members;

    public Ensemble(List<? extends Module> models) {
        if (models.isEmpty()) throw new IllegalArgumentException("Ensemble: needs at least one member");
        members = models.size();
        for (int i = 0; i < members; i++) registerModule(Integer.toString(i), models.get(i));
    }

    public int size() {
        return members;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor[] logProbs = new Tensor[members];
        int[] shape = null;
        for (int i = 0; i < members; i++) {
            Tensor logits = child(Integer.toString(i)).forward(x);
            if (logits.dim() != 2) throw new IllegalArgumentException("Ensemble: member " + i + " gave " + Shape.str(logits.shape()) + ", expected logits [N, C]");
            if (shape == null) shape = logits.shape();
            else if (!Arrays.equals(shape, logits.shape())) {
                throw new IllegalArgumentException("Ensemble: member " + i + " gave " + Shape.str(logits.shape()) + ", member 0 " + Shape.str(shape));
            }
            logProbs[i] = ShapeOps.unsqueeze(Softmax.logSoftmax(logits, 1), 0);
        }
        if (members == 1) return ShapeOps.squeeze(logProbs[0], 0);
        Tensor stacked = ShapeOps.concat(0, logProbs); // [n, N, C]
        Tensor first = ShapeOps.squeeze(ShapeOps.slice(stacked, 0, 0, 1, 1), 0);
        Tensor firstShare = ShapeOps.squeeze(ShapeOps.slice(Softmax.logSoftmax(stacked, 0), 0, 0, 1, 1), 0);
        return first.sub(firstShare).add((float) -Math.log(members)); // logsumexp_i l_i − log n
    }

    @Override
    protected String describe() {
        return members + " members";
    }
}
