package io.descent.transfer;

import io.descent.nn.BatchNorm;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Freezes and unfreezes parameters by module path. A frozen parameter is a leaf with
 * {@code requiresGrad(false)}: no op records a tape node for it, backward gives it no
 * gradient, and the optimizers skip parameters without a gradient, so it takes no optimizer
 * state and is never changed (weight decay included).
 *
 * <p>A path matches a parameter name when it is the empty path (everything), equal to the
 * name, or a dotted prefix of it: {@code "layer4"} matches {@code layer4.0.conv1.weight} but
 * not {@code layer40.weight}.
 */
public final class Freezing {
    private Freezing() {}

    /** Freezes every parameter under one of {@code paths}; returns how many tensors changed. */
    public static int freeze(Module model, String... paths) {
        return setTrainable(model, false, paths);
    }

    /** Unfreezes every parameter under one of {@code paths}; returns how many tensors changed. */
    public static int unfreeze(Module model, String... paths) {
        return setTrainable(model, true, paths);
    }

    /** Freezes everything except the parameters under {@code keep} (e.g. the head). */
    public static void freezeAllBut(Module model, String... keep) {
        freeze(model, "");
        unfreeze(model, keep);
    }

    /** Freezes everything except the classifier head found by {@link Heads#path}. */
    public static void freezeAllButHead(Module model) {
        freezeAllBut(model, Heads.path(model));
    }

    /**
     * Freezes everything except the last {@code n} groups (the head is the last group, so
     * {@code n = 1} trains the head only, {@code n = 2} also the last stage).
     */
    public static void freezeAllButLast(Module model, List<LayerGroup> groups, int n) {
        if (n < 0 || n > groups.size()) throw new IllegalArgumentException("freezeAllButLast: n must be in [0, " + groups.size() + "], got " + n);
        freeze(model, "");
        for (LayerGroup g : groups.subList(groups.size() - n, groups.size())) unfreeze(model, g.paths().toArray(String[]::new));
    }

    /** Whether the parameter named {@code name} lies under {@code path}. */
    public static boolean under(String name, String path) {
        return path.isEmpty() || name.equals(path) || name.startsWith(path + ".");
    }

    /** Names of the parameters that currently require grad. */
    public static List<String> trainable(Module model) {
        List<String> out = new ArrayList<>();
        model.namedParameters().forEach((n, p) -> {
            if (p.requiresGrad()) out.add(n);
        });
        return out;
    }

    /**
     * Replaces every batch-norm layer whose parameters are all frozen by a
     * {@link FrozenBatchNorm} (same tensors, same state_dict names), so that its running
     * statistics are used and left untouched even while the model trains. Returns the paths
     * replaced. Call after freezing; {@link #thawBatchNorm} undoes it under a path.
     */
    public static List<String> keepFrozenBatchNormInEval(Module model) {
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof BatchNorm bn && !e.getKey().isEmpty() && frozen(bn)) {
                model.set(e.getKey(), new FrozenBatchNorm(bn));
                replaced.add(e.getKey());
            }
        }
        return replaced;
    }

    /** Puts the original batch-norm layers back under {@code path} (they follow train()/eval() again). */
    public static List<String> thawBatchNorm(Module model, String path) {
        List<String> restored = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof FrozenBatchNorm f && under(e.getKey(), path)) {
                BatchNorm bn = f.inner();
                bn.train(model.isTraining());
                model.set(e.getKey(), bn);
                restored.add(e.getKey());
            }
        }
        return restored;
    }

    private static boolean frozen(BatchNorm bn) {
        for (Tensor p : bn.parameters()) if (p.requiresGrad()) return false;
        return true;
    }

    private static int setTrainable(Module model, boolean on, String... paths) {
        if (paths.length == 0) throw new IllegalArgumentException((on ? "unfreeze" : "freeze") + ": give at least one module path (\"\" for all)");
        var params = model.namedParameters();
        int changed = 0;
        for (String path : paths) {
            boolean any = false;
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                if (!under(e.getKey(), path)) continue;
                any = true;
                Tensor p = e.getValue();
                if (p.requiresGrad() != on) {
                    p.requiresGrad(on);
                    if (!on) p.zeroGrad();
                    changed++;
                }
            }
            if (!any && !path.isEmpty()) {
                throw new IllegalArgumentException((on ? "unfreeze" : "freeze") + ": no parameter under '" + path + "' (top-level modules: " + model.children().keySet() + ")");
            }
        }
        return changed;
    }
}
