package io.descent.transfer;

import io.descent.nn.Module;
import io.descent.optim.ParamGroup;
import io.descent.tensor.Tensor;
import io.descent.train.Callback;
import io.descent.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Gradual unfreezing (ULMFiT, Howard &amp; Ruder 2018): train the head alone first, then
 * unfreeze one more layer group, from the head backwards, every {@code everyEpochs} epochs.
 * Fine-tuning everything at once lets the large gradients of a random head wreck the
 * pretrained features ("catastrophic forgetting"); unfreezing late groups first lets them
 * adapt before the general, early ones move.
 *
 * <p>Construction freezes every group but the last (the head). Create the optimizer from
 * {@link #initialParamGroups()}, then register this as a {@link Trainer} callback: at the start
 * of epoch {@code e} the last {@code 1 + e / everyEpochs} groups are trainable, and each newly
 * unfrozen group joins the optimizer ({@code addParamGroup}) with its own learning rate, so
 * discriminative rates and a {@code Scheduler.scale} schedule apply to it too. With
 * {@code keepBatchNormEval}, the batch norm of still-frozen groups stays in eval mode and is
 * released when its group unfreezes.
 */
public final class GradualUnfreezing implements Callback {
    private final Module model;
    private final List<LayerGroup> groups;
    private final double[] lrs;
    private final int everyEpochs;
    private final boolean keepBatchNormEval;
    private final List<String> unfrozenLog = new ArrayList<>();
    private int unfrozen;

    public GradualUnfreezing(Module model, List<LayerGroup> groups, double[] lrs, int everyEpochs, boolean keepBatchNormEval) {
        if (groups.isEmpty()) throw new IllegalArgumentException("GradualUnfreezing: no layer groups");
        if (lrs.length != groups.size()) throw new IllegalArgumentException("GradualUnfreezing: " + groups.size() + " groups but " + lrs.length + " learning rates");
        if (everyEpochs < 1) throw new IllegalArgumentException("GradualUnfreezing: everyEpochs must be >= 1, got " + everyEpochs);
        this.model = model;
        this.groups = List.copyOf(groups);
        this.lrs = lrs.clone();
        this.everyEpochs = everyEpochs;
        this.keepBatchNormEval = keepBatchNormEval;
        Freezing.freezeAllButLast(model, this.groups, 1);
        if (keepBatchNormEval) Freezing.keepFrozenBatchNormInEval(model);
        this.unfrozen = 1;
    }

    /** The optimizer's starting groups: the head with its learning rate. */
    public List<ParamGroup> initialParamGroups() {
        LinkedHashMap<String, Tensor> head = LayerGroups.trainableParams(model, groups.get(groups.size() - 1));
        if (head.isEmpty()) throw new IllegalStateException("GradualUnfreezing: the head group '" + groups.get(groups.size() - 1).name() + "' has no parameters");
        return new ArrayList<>(List.of(new ParamGroup(head).with("lr", lrs[lrs.length - 1])));
    }

    /** How many groups (counting the head) should be trainable at the start of {@code epoch}. */
    public int trainableGroupsAt(int epoch) {
        return Math.min(groups.size(), 1 + epoch / everyEpochs);
    }

    /** How many groups are trainable now. */
    public int unfrozen() {
        return unfrozen;
    }

    /** "epoch E: unfroze NAME" lines, in order. */
    public List<String> log() {
        return List.copyOf(unfrozenLog);
    }

    @Override
    public void onEpochStart(Trainer t, int epoch) {
        int want = trainableGroupsAt(epoch);
        while (unfrozen < want) {
            int i = groups.size() - 1 - unfrozen;
            LayerGroup g = groups.get(i);
            Freezing.unfreeze(model, g.paths().toArray(String[]::new));
            if (keepBatchNormEval) for (String p : g.paths()) Freezing.thawBatchNorm(model, p);
            LinkedHashMap<String, Tensor> ps = LayerGroups.trainableParams(model, g);
            ps.keySet().removeAll(t.optimizer().namedParameters().keySet());
            if (!ps.isEmpty()) t.optimizer().addParamGroup(new ParamGroup(ps).with("lr", lrs[i]));
            unfrozen++;
            unfrozenLog.add("epoch " + (epoch + 1) + ": unfroze " + g.name());
        }
    }
}
