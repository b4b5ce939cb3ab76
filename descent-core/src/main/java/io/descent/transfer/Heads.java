package io.descent.transfer;

import io.descent.models.ResNet;
import io.descent.models.VGG;
import io.descent.nn.Activation;
import io.descent.nn.Dropout;
import io.descent.nn.Linear;
import io.descent.nn.Module;
import io.descent.nn.Sequential;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The classifier head: where it is ({@code fc} of ResNet, {@code classifier.6} of VGG, the
 * last {@link Linear} of a {@link Sequential} such as the small CNN), what it receives, and a
 * new one for the target task. Replacing the head keeps every other module and tensor as it
 * was, so pretrained backbone weights survive.
 */
public final class Heads {
    private Heads() {}

    /** The path of the classifier head: the last {@link Linear} in module order. */
    public static String path(Module model) {
        String last = null;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Linear && !e.getKey().isEmpty()) last = e.getKey();
        }
        if (last == null) throw new IllegalArgumentException("no Linear head found in " + model.getClass().getSimpleName() + "; give the head path explicitly");
        return last;
    }

    /** The number of features the head at {@code path} receives. */
    public static int inFeatures(Module model, String path) {
        Module head = model.get(path);
        if (head instanceof Linear l) return l.inFeatures;
        if (head instanceof Sequential s && s.children().values().iterator().next() instanceof Linear l) return l.inFeatures;
        throw new IllegalArgumentException("the head at '" + path + "' is a " + head.getClass().getSimpleName() + ", not a Linear");
    }

    /** Replaces the head with a fresh {@code Linear(in, numClasses)}; returns its path. */
    public static String replaceLinear(Module model, int numClasses, Rng rng) {
        String p = path(model);
        model.set(p, new Linear(inFeatures(model, p), numClasses, true, rng));
        return p;
    }

    /**
     * Replaces the head with {@code Linear(in, hidden), ReLU, Dropout(dropout), Linear(hidden,
     * numClasses)}; returns its path (the MLP lives under it: {@code fc.0}, {@code fc.3}).
     */
    public static String replaceMlp(Module model, int hidden, int numClasses, float dropout, Rng rng) {
        String p = path(model);
        model.set(p, mlp(inFeatures(model, p), hidden, numClasses, dropout, rng));
        return p;
    }

    /** An MLP head on its own (for training on cached features). */
    public static Sequential mlp(int in, int hidden, int numClasses, float dropout, Rng rng) {
        return new Sequential(new Linear(in, hidden, true, rng), Activation.relu(), new Dropout(dropout, rng.fork()), new Linear(hidden, numClasses, true, rng));
    }

    /**
     * The network below the head: input to the head's input. ResNet and VGG use their
     * {@code features} (VGG then its classifier layers before {@code classifier.6}); a
     * {@link Sequential} runs its children before the head.
     */
    public static UnaryOperator<Tensor> backbone(Module model) {
        String head = path(model);
        if (model instanceof ResNet r && head.equals("fc")) return r::features;
        if (model instanceof VGG v && head.startsWith("classifier.")) {
            List<Module> before = before(v.child("classifier"), head.substring("classifier.".length()));
            return x -> run(before, v.features(x));
        }
        if (model instanceof Sequential && !head.contains(".")) {
            List<Module> before = before(model, head);
            return x -> run(before, x);
        }
        throw new IllegalArgumentException("no backbone split known for " + model.getClass().getSimpleName() + " with head '" + head + "'");
    }

    private static List<Module> before(Module parent, String childName) {
        List<Module> out = new ArrayList<>();
        for (Map.Entry<String, Module> e : parent.children().entrySet()) {
            if (e.getKey().equals(childName)) return out;
            out.add(e.getValue());
        }
        throw new IllegalArgumentException("no child '" + childName + "'");
    }

    private static Tensor run(List<Module> layers, Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}
