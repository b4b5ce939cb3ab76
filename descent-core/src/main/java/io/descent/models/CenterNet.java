package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.Conv2d;
import io.descent.nn.ConvBatchNormFold;
import io.descent.nn.Module;
import io.descent.nn.ModuleDict;
import io.descent.nn.Sequential;
import io.descent.nn.init.Init;
import io.descent.ops.ShapeOps;
import io.descent.ops.Upsample;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An anchor-free object detector on a ResNet backbone: CenterNet ("Objects as Points", Zhou,
 * Wang and Krähenbühl, 2019). Each object is the peak of its class's heatmap at the centre of
 * its box; two more maps at every location give the box's width and height and the centre's
 * sub-cell offset. Decoding needs no anchors and no NMS (a 3×3 max-pool keeps the peaks:
 * {@link io.descent.detect.CenterNetDecoder}); the loss is {@link io.descent.detect.CenterNetLoss}.
 *
 * <p>Structure and parameter names:
 * <ul>
 *   <li>the backbone is torchvision's ResNet without {@code avgpool} and {@code fc}, under its own
 *       names ({@code conv1, bn1, layer1..layer4}), so that an ImageNet ResNet's state dict loads
 *       into it as it is (its {@code fc.*} left over): a pretrained backbone;</li>
 *   <li>{@code neck}: torchvision's {@code FeaturePyramidNetwork} (Lin et al., 2017) down to the
 *       stage at stride 4, CenterNet's output stride R: a 1×1 conv
 *       {@code neck.inner_blocks.K.0} on each stage from layer4 down to it (K = 0..3 for
 *       layer1..layer4), each coarser sum upsampled (nearest) to the next stage's size and added
 *       to its lateral, then the 3×3 conv {@code neck.layer_blocks.K.0} of the output stage;
 *       {@link #neckWidth} channels (256 as torchvision's for the bottleneck ResNets, 128 for
 *       resnet18/34). The output stage is layer1 with the ImageNet stem, layer3 with the small
 *       one. Under these names the backbone and pyramid of torchvision's two-stage detectors
 *       ({@code fasterrcnn_resnet50_fpn}, {@code maskrcnn_resnet50_fpn},
 *       {@code keypointrcnn_resnet50_fpn}: {@code backbone.body.*}, {@code backbone.fpn.*})
 *       load into centernet-resnet50 through {@link #torchvisionName};</li>
 *   <li>{@code head.heatmap}, {@code head.size}, {@code head.offset}: each a 3×3 conv to
 *       {@value #HEAD} channels, ReLU and a 1×1 conv, to C, 2 and 2 channels (CenterNet's heads);
 *       the heatmap's last bias starts at log(0.1/0.9) ≈ −2.19, a prior of 0.1 per location, as
 *       in CenterNet's code.</li>
 * </ul>
 * {@link #forward} returns the three maps concatenated, [N, C + 4, H', W'] with H' and W' the
 * output stage's size (⌈H/4⌉ and ⌈W/4⌉ for even sizes): channels 0..C−1 the heatmap logits, then
 * the box's width and height in output cells, then the centre's x and y offsets within its cell.
 */
public final class CenterNet extends Module {
    static final int HEAD = 64;
    /** CenterNet's output stride R: input pixels per heatmap cell. */
    public static final int STRIDE = 4;
    /** The backbone's children, in torchvision's names and order (avgpool and fc left out). */
    public static final List<String> BACKBONE = List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4");

    private final int numClasses;
    private final int level; // the output stage: 0..3 for layer1..layer4
    private final int width;

    /** A detector on {@code backbone}'s layers (taken over, not copied); its {@code avgpool} and {@code fc} are dropped. */
    public CenterNet(ResNet backbone, int numClasses, ResNet.Stem stem, Rng rng) {
        if (numClasses < 1) throw new IllegalArgumentException("CenterNet: num_classes must be positive, got " + numClasses);
        this.numClasses = numClasses;
        for (String name : BACKBONE) registerModule(name, backbone.child(name));
        this.level = stem == ResNet.Stem.SMALL ? 2 : 0; // the small stem keeps full resolution through layer1
        this.width = neckWidth(backbone.expansion());
        ModuleDict inner = new ModuleDict(), layer = new ModuleDict();
        for (int l = level; l < 4; l++) inner.put(Integer.toString(l), new Sequential(conv((64 << l) * backbone.expansion(), width, 1, rng)));
        layer.put(Integer.toString(level), new Sequential(conv(width, width, 3, rng)));
        registerModule("neck", new ModuleDict().put("inner_blocks", inner).put("layer_blocks", layer));
        Sequential heatmap = head(numClasses, rng);
        Conv2d last = (Conv2d) heatmap.child("2");
        if (last.bias != null) Init.constant(last.bias, (float) Math.log(0.1 / 0.9));
        registerModule("head", new ModuleDict().put("heatmap", heatmap).put("size", head(2, rng)).put("offset", head(2, rng)));
    }

    /** The pyramid's channels on a ResNet whose blocks expand by {@code expansion}: torchvision's 256 for bottlenecks, 128 for basic blocks. */
    static int neckWidth(int expansion) {
        return expansion == 1 ? 128 : 256;
    }

    /** The detector on a ResNet of {@code depth} (18, 34, 50, 101, 152), built as {@link Models} builds it. */
    public static CenterNet resnet(int depth, int numClasses, int inChannels, ResNet.Stem stem, Rng rng) {
        ResNet backbone = switch (depth) {
            case 18 -> ResNet.resnet18(1, inChannels, stem, rng);
            case 34 -> ResNet.resnet34(1, inChannels, stem, rng);
            case 50 -> ResNet.resnet50(1, inChannels, stem, rng);
            case 101 -> ResNet.resnet101(1, inChannels, stem, rng);
            case 152 -> ResNet.resnet152(1, inChannels, stem, rng);
            default -> throw new IllegalArgumentException("CenterNet: no ResNet of depth " + depth + " (18, 34, 50, 101, 152)");
        };
        return new CenterNet(backbone, numClasses, stem, rng);
    }

    private static Conv2d conv(int in, int out, int k, Rng rng) {
        return new Conv2d(in, out, new int[] {k, k}, new int[] {1, 1}, new int[] {k / 2, k / 2}, new int[] {1, 1}, 1, true, rng);
    }

    private Sequential head(int out, Rng rng) {
        return new Sequential(conv(width, HEAD, 3, rng), Activation.relu(), conv(HEAD, out, 1, rng));
    }

    /** The output's downsampling R: input pixels per heatmap cell. */
    public int stride() {
        return STRIDE;
    }

    /** Where torchvision's detectors keep their backbone and their feature pyramid. */
    private static final String TORCHVISION_BODY = "backbone.body.", TORCHVISION_FPN = "backbone.fpn.";

    /**
     * This model's name for the key {@code key} of a torchvision detection checkpoint's state
     * dict, or null where it has none: {@code backbone.body.X} is the backbone's {@code X},
     * {@code backbone.fpn.X} the neck's {@code neck.X} where the neck has it (the stages below
     * the output stage, the pyramid's other output levels and torchvision's extra blocks are
     * left out), and the detector's own heads ({@code rpn.*}, {@code roi_heads.*}) are left out.
     */
    public String torchvisionName(String key) {
        if (key.startsWith(TORCHVISION_BODY)) return key.substring(TORCHVISION_BODY.length());
        if (!key.startsWith(TORCHVISION_FPN)) return null;
        String own = "neck." + key.substring(TORCHVISION_FPN.length());
        for (int l = level; l < 4; l++) if (own.startsWith("neck.inner_blocks." + l + ".")) return own;
        return own.startsWith("neck.layer_blocks." + level + ".") ? own : null;
    }

    /** The backbone's tensors of a torchvision detection checkpoint, by their names here ({@code backbone.body.} dropped). */
    public static LinkedHashMap<String, int[]> backboneShapes(Map<String, int[]> torchvision) {
        LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
        torchvision.forEach((k, shape) -> {
            if (k.startsWith(TORCHVISION_BODY)) out.put(k.substring(TORCHVISION_BODY.length()), shape);
        });
        return out;
    }

    /** Whether a state dict's keys are a torchvision detection checkpoint's ({@code backbone.body.*}). */
    public static boolean isTorchvisionDetection(Collection<String> keys) {
        return keys.stream().anyMatch(k -> k.startsWith(TORCHVISION_BODY));
    }

    public int numClasses() {
        return numClasses;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor p = pyramid(x);
        Module head = child("head");
        return ShapeOps.concat(1, head.child("heatmap").forward(p), head.child("size").forward(p), head.child("offset").forward(p));
    }

    /** The features the heads read: the pyramid's output level, [N, {@link #neckWidth}, H', W'] (torchvision's FPN level at stride 4). */
    public Tensor pyramid(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("CenterNet: expects images [N, C, H, W], got " + io.descent.tensor.Shape.str(x.shape()));
        Tensor y = ConvBatchNormFold.forward(child("conv1"), child("bn1"), child("relu"), x);
        y = child("maxpool").forward(y);
        Tensor[] stages = new Tensor[4];
        for (int l = 0; l < 4; l++) stages[l] = y = child("layer" + (l + 1)).forward(y);
        Module inner = child("neck").child("inner_blocks");
        Tensor p = inner.child("3").forward(stages[3]);
        for (int l = 2; l >= level; l--) {
            Tensor lateral = inner.child(Integer.toString(l)).forward(stages[l]);
            p = lateral.add(Upsample.nearest(p, lateral.size(2), lateral.size(3)));
        }
        return child("neck").child("layer_blocks").child(Integer.toString(level)).forward(p);
    }

    @Override
    protected String describe() {
        return numClasses + " classes, stride " + STRIDE + ", pyramid of " + width;
    }
}
