package io.descent.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.autograd.GradMode;
import io.descent.models.Models;
import io.descent.models.ResNet;
import io.descent.nn.Module;
import io.descent.ops.ShapeOps;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FlipTestTest {
    /** A stand-in detector: its output's one row is the image's first row, so a mirrored input gives mirrored maps. */
    private static Module rowDetector() {
        return new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return ShapeOps.slice(ShapeOps.slice(x, 2, 0, 1, 1), 1, 0, 5, 1); // [N, 5, 1, W]
            }
        };
    }

    @Test
    void averagesTheImageAndItsMirrorAsCenterNetDoes() {
        // 1 image of 5 channels, 1 x 3: heatmap logits, w, h, ox, oy per column
        float[] x = {0f, 2f, -1f, /* w */ 4, 6, 8, /* h */ 1, 2, 3, /* ox */ 0.1f, 0.2f, 0.3f, /* oy */ 0.4f, 0.5f, 0.6f};
        Tensor y;
        try (var ng = GradMode.noGrad()) {
            y = new FlipTest(rowDetector(), 1).forward(Tensor.of(x, 1, 5, 1, 3));
        }
        // the mirrored run gives the mirrored row, flipped back: the same maps, so the merge is the maps themselves ...
        assertArrayEquals(x, y.data(), 1e-5f);

        // ... unless the detector is not mirror-symmetric: one that reads column 0 everywhere
        Module leftmost = new Module() {
            @Override
            public Tensor forward(Tensor in) {
                Tensor col = ShapeOps.indexSelect(ShapeOps.slice(in, 2, 0, 1, 1), 3, 0, 0, 0);
                return ShapeOps.slice(col, 1, 0, 5, 1);
            }
        };
        try (var ng = GradMode.noGrad()) {
            y = new FlipTest(leftmost, 1).forward(Tensor.of(x, 1, 5, 1, 3));
        }
        double p = (sigmoid(0) + sigmoid(-1)) / 2; // column 0 of the image, and of the mirror (the image's column 2)
        assertEquals(Math.log(p / (1 - p)), y.data()[0], 1e-5);
        assertEquals((4 + 8) / 2.0, y.data()[3], 1e-5, "widths averaged");
        assertEquals((1 + 3) / 2.0, y.data()[6], 1e-5, "heights averaged");
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 0.4f, 0.4f, 0.4f}, Arrays.copyOfRange(y.data(), 9, 15), "offsets: the image's own");
    }

    /** On a CenterNet, the flip test of a mirror image is the mirrored flip test of the image (heatmaps and sizes). */
    @Test
    void aMirrorImageGivesTheMirroredMaps() {
        Module net = Models.create("centernet-resnet18", new Models.Config(2, 3, 32, ResNet.Stem.IMAGENET, 8, 3));
        net.eval();
        FlipTest ft = new FlipTest(net, 2);
        Tensor x = Tensor.rand(new Rng(4), 1, 3, 32, 32);
        Tensor a, b;
        try (var ng = GradMode.noGrad()) {
            a = ft.forward(x);
            b = ft.forward(FlipTest.mirror(x));
        }
        assertArrayEquals(new int[] {1, 6, 8, 8}, a.shape());
        Tensor back = FlipTest.mirror(b);
        assertArrayEquals(ShapeOps.slice(a, 1, 0, 4, 1).data(), ShapeOps.slice(back, 1, 0, 4, 1).data(), 1e-5f);
        var e = assertThrows(IllegalArgumentException.class, () -> new FlipTest(net, 3).forward(x));
        assertEquals("FlipTest: the detector gave [1, 6, 8, 8], expected [N, 3 + 4, H, W]", e.getMessage());
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
