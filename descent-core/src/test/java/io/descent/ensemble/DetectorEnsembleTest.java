package io.descent.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.autograd.GradMode;
import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorEnsembleTest {
    /** A stand-in detector that outputs fixed maps. */
    private static Module fixed(Tensor out) {
        return new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return out;
            }
        };
    }

    @Test
    void averagesHeatmapProbabilitiesAndTheRegressionMaps() {
        // 1 image, 1 class, 1x2 grid: channels heatmap, w, h, ox, oy
        Tensor a = Tensor.of(new float[] {0f, 2f, 4, 4, 6, 6, 0.2f, 0.2f, 0.4f, 0.4f}, 1, 5, 1, 2);
        Tensor b = Tensor.of(new float[] {(float) Math.log(3), -2f, 2, 2, 2, 2, 0.4f, 0.4f, 0.6f, 0.6f}, 1, 5, 1, 2);
        Tensor y;
        try (var ng = GradMode.noGrad()) {
            y = new DetectorEnsemble(List.of(fixed(a), fixed(b)), 1).forward(Tensor.zeros(1, 3, 8, 16));
        }
        double p0 = (0.5 + 0.75) / 2, s2 = 1 / (1 + Math.exp(-2)), p1 = (s2 + (1 - s2)) / 2;
        assertEquals(Math.log(p0 / (1 - p0)), y.data()[0], 1e-5);
        assertEquals(Math.log(p1 / (1 - p1)), y.data()[1], 1e-5, "sigmoid(2) and sigmoid(-2) average to 1/2: logit 0");
        assertArrayEquals(new float[] {3, 3, 4, 4, 0.3f, 0.3f, 0.5f, 0.5f}, java.util.Arrays.copyOfRange(y.data(), 2, 10), 1e-6f);
    }

    @Test
    void oneMemberIsItselfAndMismatchesAreRefused() {
        Tensor a = Tensor.of(new float[] {-1.5f, 0.7f, 3, 3, 1, 1, 0.5f, 0.5f, 0.25f, 0.25f}, 1, 5, 1, 2);
        Tensor y = new DetectorEnsemble(List.of(fixed(a)), 1).forward(Tensor.zeros(1, 3, 8, 16));
        assertArrayEquals(a.data(), y.data(), 1e-5f);
        var e = assertThrows(IllegalArgumentException.class, () -> new DetectorEnsemble(List.of(fixed(a)), 2).forward(Tensor.zeros(1, 3, 8, 16)));
        assertEquals("DetectorEnsemble: member 0 gave [1, 5, 1, 2], expected [N, 2 + 4, H, W]", e.getMessage());
    }
}
