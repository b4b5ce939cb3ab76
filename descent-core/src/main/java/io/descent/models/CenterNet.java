package io.descent.models;

import io.descent.nn.Activation;
import io.descent.nn.Conv2d;
import io.descent.nn.ConvBatchNormFold;
import io.descent.nn.Module;
import io.descent.nn.ModuleDict;
import io.descent.nn.Sequential;
import io.descent.nn.init.Init;
import io.descent.ops.Activations;
import io.descent.ops.ShapeOps;
import io.descent.ops.Upsample;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.List;

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
 *   <li>{@code neck}: a top-down path as in FPN (Lin et al., 2017): a 1×1 conv
 *       {@code neck.lateral.K} from layer4 (K = 0) down to the output stage to {@value #NECK}
 *       channels, each coarser map upsampled (nearest) to the next one's size and added to its
 *       lateral, then a 3×3 {@code neck.smooth} conv and ReLU. The output stage is layer2
 *       (stride 8) with the ImageNet stem, layer3 (stride 4) with the small one;</li>
 *   <li>{@code head.heatmap}, {@code head.size}, {@code head.offset}: each a 3×3 conv to
 *       {@value #HEAD} channels, ReLU and a 1×1 conv, to C, 2 and 2 channels (CenterNet's heads);
 *       the heatmap's last bias starts at log(0.1/0.9) ≈ −2.19, a prior of 0.1 per location, as
 *       in CenterNet's code.</li>
 * </ul>
 * {@link #forward} returns the three maps concatenated, [N, C + 4, ⌈H/R⌉, ⌈W/R⌉] with R =
 * {@link #stride()}: channels 0..C−1 the heatmap logits, then the box's width and height in
 * output cells, then the centre's x and y offsets within its cell.
 */
public final class CenterNet extends Module {
    static final int NECK = 128;
    static final int HEAD = 64;
    /** The backbone's children, in torchvision's names and order (avgpool and fc left out). */
    public static final List<String> BACKBONE = List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4");

    private final int numClasses;
    private final int levels; // stages feeding the neck, from layer4 downwards
    private final int stride;

    /** A detector on {@code backbone}'s layers (taken over, not copied); its {@code avgpool} and {@code fc} are dropped. */
    public CenterNet(ResNet backbone, int numClasses, ResNet.Stem stem, Rng rng) {
        if (numClasses < 1) throw new IllegalArgumentException("CenterNet: num_classes must be positive, got " + numClasses);
        this.numClasses = numClasses;
        for (String name : BACKBONE) registerModule(name, backbone.child(name));
        boolean small = stem == ResNet.Stem.SMALL;
        this.levels = small ? 2 : 3;
        this.stride = small ? 4 : 8;
        int width = 512 * backbone.expansion();
        Sequential lateral = new Sequential();
        for (int k = 0; k < levels; k++) lateral.add(new Conv2d(width >> k, NECK, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, rng));
        registerModule("neck", new ModuleDict().put("lateral", lateral).put("smooth", conv3x3(NECK, NECK, rng)));
        Sequential heatmap = head(numClasses, rng);
        Conv2d last = (Conv2d) heatmap.child("2");
        if (last.bias != null) Init.constant(last.bias, (float) Math.log(0.1 / 0.9));
        registerModule("head", new ModuleDict().put("heatmap", heatmap).put("size", head(2, rng)).put("offset", head(2, rng)));
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

    private static Conv2d conv3x3(int in, int out, Rng rng) {
        return new Conv2d(in, out, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, rng);
    }

    private static Sequential head(int out, Rng rng) {
        return new Sequential(conv3x3(NECK, HEAD, rng), Activation.relu(),
                new Conv2d(HEAD, out, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, true, rng));
    }

    /** The output's downsampling R: input pixels per heatmap cell. */
    public int stride() {
        return stride;
    }

    public int numClasses() {
        return numClasses;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("CenterNet: expects images [N, C, H, W], got " + io.descent.tensor.Shape.str(x.shape()));
        Tensor y = ConvBatchNormFold.forward(child("conv1"), child("bn1"), child("relu"), x);
        y = child("maxpool").forward(y);
        Tensor[] stages = new Tensor[4];
        for (int l = 0; l < 4; l++) stages[l] = y = child("layer" + (l + 1)).forward(y);
        Module neck = child("neck"), lateral = neck.child("lateral");
        Tensor p = lateral.child("0").forward(stages[3]);
        for (int k = 1; k < levels; k++) {
            Tensor c = stages[3 - k];
            p = lateral.child(Integer.toString(k)).forward(c).add(Upsample.nearest(p, c.size(2), c.size(3)));
        }
        p = Activations.relu(neck.child("smooth").forward(p));
        Module head = child("head");
        return ShapeOps.concat(1, head.child("heatmap").forward(p), head.child("size").forward(p), head.child("offset").forward(p));
    }

    @Override
    protected String describe() {
        return numClasses + " classes, stride " + stride;
    }
}
