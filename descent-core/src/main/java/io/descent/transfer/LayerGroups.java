package io.descent.transfer;

import io.descent.models.CenterNet;
import io.descent.models.ResNet;
import io.descent.models.VGG;
import io.descent.nn.MaxPool2d;
import io.descent.nn.Module;
import io.descent.optim.ParamGroup;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a model into ordered layer groups (input side first, head last) and turns them into
 * optimizer parameter groups with discriminative learning rates.
 *
 * <p>Why: earlier layers hold general features (edges, textures) that transfer as they are,
 * later layers are task-specific. ULMFiT (Howard &amp; Ruder, 2018, "Universal Language Model
 * Fine-tuning for Text Classification") therefore trains each group with its own learning
 * rate, each earlier group's smaller by a constant factor (they use 2.6; fast.ai's vision
 * recipes 3–10). Because the rates live in separate {@link ParamGroup}s, a
 * {@link io.descent.optim.schedule.Scheduler#scale} schedule multiplies them all and keeps
 * their ratios.
 */
public final class LayerGroups {
    private LayerGroups() {}

    /**
     * The default groups: ResNet {@code stem (conv1, bn1), layer1..layer4, head (fc)}; a CenterNet
     * detector the same, its head being everything new on the backbone ({@code neck, head}); VGG one
     * group per conv block of {@code features} (ending at each max-pool), the classifier body,
     * then the head {@code classifier.6}; any other model one group per top-level child that
     * has parameters, the head last.
     */
    public static List<LayerGroup> of(Module model) {
        if (model instanceof ResNet) {
            return List.of(LayerGroup.of("stem", "conv1", "bn1"), LayerGroup.of("layer1", "layer1"), LayerGroup.of("layer2", "layer2"),
                    LayerGroup.of("layer3", "layer3"), LayerGroup.of("layer4", "layer4"), LayerGroup.of("head", Heads.path(model)));
        }
        if (model instanceof CenterNet) {
            return List.of(LayerGroup.of("stem", "conv1", "bn1"), LayerGroup.of("layer1", "layer1"), LayerGroup.of("layer2", "layer2"),
                    LayerGroup.of("layer3", "layer3"), LayerGroup.of("layer4", "layer4"), LayerGroup.of("head", "neck", "head"));
        }
        if (model instanceof VGG) return vgg(model);
        List<LayerGroup> out = new ArrayList<>();
        String head = Heads.path(model);
        for (Map.Entry<String, Module> e : model.children().entrySet()) {
            String name = e.getKey();
            if (e.getValue().parameters().isEmpty()) continue;
            if (Freezing.under(head, name) && !head.equals(name)) {
                throw new IllegalArgumentException("the head '" + head + "' is nested in '" + name + "'; give the groups explicitly");
            }
            out.add(LayerGroup.of(head.equals(name) ? "head" : name, name));
        }
        return out;
    }

    /**
     * A CenterNet's groups when its neck is pretrained too (a torchvision detector's backbone and
     * FPN): {@code stem, layer1..layer4, neck, head}, so that feature extraction freezes the
     * pyramid with the backbone and discriminative rates treat it as the layer below the heads.
     */
    public static List<LayerGroup> withPretrainedNeck(CenterNet model) {
        List<LayerGroup> out = new ArrayList<>(of(model).subList(0, 5));
        out.add(LayerGroup.of("neck", "neck"));
        out.add(LayerGroup.of("head", "head"));
        return out;
    }

    private static List<LayerGroup> vgg(Module model) {
        List<LayerGroup> out = new ArrayList<>();
        List<String> block = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.get("features").children().entrySet()) {
            if (!e.getValue().parameters().isEmpty()) block.add("features." + e.getKey());
            if (e.getValue() instanceof MaxPool2d && !block.isEmpty()) {
                out.add(new LayerGroup("block" + (out.size() + 1), block));
                block = new ArrayList<>();
            }
        }
        if (!block.isEmpty()) out.add(new LayerGroup("block" + (out.size() + 1), block));
        String head = Heads.path(model);
        List<String> body = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.get("classifier").children().entrySet()) {
            String p = "classifier." + e.getKey();
            if (!p.equals(head) && !e.getValue().parameters().isEmpty()) body.add(p);
        }
        if (!body.isEmpty()) out.add(new LayerGroup("classifier", body));
        out.add(LayerGroup.of("head", head));
        return out;
    }

    /** Groups given as user paths, one group per path, in order (the last is the head). */
    public static List<LayerGroup> ofPaths(List<String> paths) {
        List<LayerGroup> out = new ArrayList<>();
        for (String p : paths) out.add(LayerGroup.of(p, p));
        return out;
    }

    /**
     * The learning rate of each group: the last (head) gets {@code headLr}, the one before it
     * {@code bodyLr}, and each earlier one {@code ratio} times less than its successor.
     */
    public static double[] discriminativeLrs(int groups, double headLr, double bodyLr, double ratio) {
        if (!(ratio >= 1)) throw new IllegalArgumentException("lr ratio must be >= 1, got " + ratio);
        if (!(headLr > 0) || !(bodyLr > 0)) throw new IllegalArgumentException("learning rates must be positive, got head " + headLr + ", body " + bodyLr);
        double[] lrs = new double[groups];
        lrs[groups - 1] = headLr;
        double lr = bodyLr;
        for (int i = groups - 2; i >= 0; i--, lr /= ratio) lrs[i] = lr;
        return lrs;
    }

    /** The trainable parameters of one group, by name (frozen ones skipped). */
    public static LinkedHashMap<String, Tensor> trainableParams(Module model, LayerGroup group) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> {
            if (p.requiresGrad() && group.contains(n)) out.put(n, p);
        });
        return out;
    }

    /**
     * One optimizer {@link ParamGroup} per layer group that has trainable parameters, with
     * {@code lrs[i]} as its {@code "lr"}. Frozen parameters are left out, so they take no
     * optimizer state. Throws if no parameter at all is trainable or a parameter falls in two
     * groups.
     */
    public static List<ParamGroup> paramGroups(Module model, List<LayerGroup> groups, double[] lrs) {
        if (lrs.length != groups.size()) throw new IllegalArgumentException(groups.size() + " layer groups but " + lrs.length + " learning rates");
        List<ParamGroup> out = new ArrayList<>();
        Map<String, String> owner = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            LinkedHashMap<String, Tensor> ps = trainableParams(model, groups.get(i));
            for (String n : ps.keySet()) {
                String prev = owner.put(n, groups.get(i).name());
                if (prev != null) throw new IllegalArgumentException("parameter '" + n + "' is in layer groups '" + prev + "' and '" + groups.get(i).name() + "'");
            }
            if (!ps.isEmpty()) out.add(new ParamGroup(ps).with("lr", lrs[i]));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no trainable parameter in any layer group (everything is frozen)");
        return out;
    }
}
