package io.descent.ensemble;

import io.descent.nn.Module;
import io.descent.ops.ShapeOps;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/**
 * CenterNet's flip test (Zhou et al. 2019; {@code opt.flip_test} in its {@code ctdet} detector):
 * a detector run on the image and on its mirror image, the mirrored outputs flipped back, their
 * heatmap probabilities and box sizes averaged, the centre offsets taken from the image itself
 * (an offset is not mirror-symmetric within its cell). {@code forward} returns the merged maps
 * as a CenterNet output [N, C + 4, H, W] (the heatmap as logits), so the loss, the decoder and
 * the metrics read it as any other; a mirror image's merged maps are the merged maps mirrored.
 */
public final class FlipTest extends Module {
    /** The averaged probabilities stay inside (ε, 1 − ε) so that their logit is finite. */
    private static final float EPS = 1e-6f;

    private final int classes;

    public FlipTest(Module detector, int classes) {
        if (classes < 1) throw new IllegalArgumentException("FlipTest: classes must be positive, got " + classes);
        this.classes = classes;
        registerModule("detector", detector);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("FlipTest: expects images [N, C, H, W], got " + Shape.str(x.shape()));
        Module detector = child("detector");
        Tensor out = detector.forward(x), mirrored = mirror(detector.forward(mirror(x)));
        if (out.dim() != 4 || out.size(1) != classes + 4) {
            throw new IllegalArgumentException("FlipTest: the detector gave " + Shape.str(out.shape()) + ", expected [N, " + classes + " + 4, H, W]");
        }
        Tensor p = ShapeOps.slice(out, 1, 0, classes, 1).sigmoid().add(ShapeOps.slice(mirrored, 1, 0, classes, 1).sigmoid())
                .mul(0.5f).clamp(EPS, 1 - EPS);
        Tensor logit = p.log().sub(p.neg().add(1f).log()); // log(p / (1 − p))
        Tensor size = ShapeOps.slice(out, 1, classes, classes + 2, 1).add(ShapeOps.slice(mirrored, 1, classes, classes + 2, 1)).mul(0.5f);
        return ShapeOps.concat(1, logit, size, ShapeOps.slice(out, 1, classes + 2, classes + 4, 1));
    }

    /** {@code t} mirrored left to right (its last dimension reversed). */
    static Tensor mirror(Tensor t) {
        int w = t.size(t.dim() - 1);
        int[] reversed = new int[w];
        for (int i = 0; i < w; i++) reversed[i] = w - 1 - i;
        return ShapeOps.indexSelect(t, t.dim() - 1, reversed);
    }

    @Override
    protected String describe() {
        return classes + " classes";
    }
}
