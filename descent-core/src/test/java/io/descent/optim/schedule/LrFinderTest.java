package io.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.optim.Optimizer;
import io.descent.optim.SGD;
import io.descent.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LR range test on a convex problem: restores the parameters and optimizer exactly, suggests a sane lr. */
class LrFinderTest {
    /** f(w) = ½·Σ h_i·w_i² with curvatures up to 10: plain gradient descent diverges above lr = 2/10. */
    static final float[] H = {10f, 4f, 1f, 0.5f};

    static double trainStep(Optimizer opt, Tensor w) {
        float[] x = w.data(), g = new float[x.length];
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            loss += 0.5 * H[i] * x[i] * x[i];
            g[i] = H[i] * x[i];
        }
        w.setGrad(Tensor.wrap(g, x.length));
        opt.step();
        opt.zeroGrad();
        return loss;
    }

    @Test
    void sweepRestoresStateAndSuggestsAStableLr(@TempDir Path dir) throws Exception {
        Map<String, Tensor> p = new LinkedHashMap<>();
        Tensor w = Tensor.of(1f, -1f, 2f, 0.5f).requiresGrad(true);
        p.put("w", w);
        SGD sgd = new SGD(p, 0.01, 0.9, 0, 0, false);
        w.setGrad(Tensor.of(0.1f, 0.1f, 0.1f, 0.1f));
        trainStep(sgd, w);
        w.setGrad(Tensor.of(0.5f, 0.25f, 0f, 1f));
        float[] before = w.toArray();
        Map<String, Object> stateBefore = sgd.stateDict();
        float[] bufferBefore = sgd.state("w").get("momentum_buffer").toArray();

        LrFinder finder = new LrFinder(sgd, 1e-4, 10, 100);
        LrFinder.Result r = finder.run(lr -> trainStep(sgd, w));

        assertArrayEquals(before, w.data(), "parameters restored");
        assertArrayEquals(new float[] {0.5f, 0.25f, 0f, 1f}, w.grad().data(), "gradient restored");
        assertArrayEquals(bufferBefore, sgd.state("w").get("momentum_buffer").data(), "optimizer state restored");
        assertEquals(0.01, sgd.paramGroups().get(0).lr(), "lr restored");
        assertEquals(stateBefore.get("param_groups"), sgd.stateDict().get("param_groups"));

        assertTrue(r.diverged(), "an lr of 10 diverges on this problem");
        assertTrue(r.lrs().length > 20 && r.lrs().length < 100, "stopped early: " + r.lrs().length);
        assertEquals(1e-4, r.lrs()[0], 1e-18);
        double s = r.suggestion();
        assertTrue(s > 1e-3 && s < 0.2, "steepest-descent suggestion " + s + " must lie below the divergence bound 0.2");
        assertTrue(r.minLossLrOver10() > 1e-4 && r.minLossLrOver10() < 0.2, "min-loss/10 " + r.minLossLrOver10());

        Path csv = dir.resolve("lr_find.csv"), png = dir.resolve("plots/lr_find.png");
        r.writeCsv(csv);
        r.writePng(png);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,lr,loss,smoothed_loss", lines.get(0));
        assertEquals(r.lrs().length + 1, lines.size());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
    }

    @Test
    void smoothingHasBiasCorrectionAndLinearSweepIsLinear() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        Tensor w = Tensor.of(1f).requiresGrad(true);
        p.put("w", w);
        SGD sgd = new SGD(p, 0.1);
        LrFinder finder = new LrFinder(sgd, 0.1, 1.0, 10, LrFinder.Sweep.LINEAR, 0.9, 4);
        assertEquals(0.4, finder.lrAt(3), 1e-15);
        assertEquals(1.0, finder.lrAt(9), 1e-15);
        double[] losses = {2, 1, 1.5, 1, 0.5, 0.7, 0.4, 0.3, 0.35, 0.2};
        int[] i = {0};
        LrFinder.Result r = finder.run(lr -> losses[i[0]++]);
        assertFalse(r.diverged());
        assertEquals(2.0, r.smoothed()[0], 1e-12, "bias correction makes the first smoothed loss the loss");
        double avg = 0;
        for (int k = 0; k < losses.length; k++) {
            avg = 0.9 * avg + 0.1 * losses[k];
            assertEquals(avg / (1 - Math.pow(0.9, k + 1)), r.smoothed()[k], 1e-12);
        }
        assertNull(w.grad());
        assertEquals(1f, w.data()[0]);
    }

    @Test
    void stopsOnNonFiniteLossAndRestoresOnException() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        Tensor w = Tensor.of(3f).requiresGrad(true);
        p.put("w", w);
        SGD sgd = new SGD(p, 0.1);
        LrFinder.Result r = new LrFinder(sgd, 1e-3, 1, 50).run(lr -> lr > 0.01 ? Double.NaN : 1.0);
        assertTrue(r.diverged());
        assertTrue(r.lrs()[r.lrs().length - 1] <= 0.01);
        assertThrows(IllegalStateException.class, () -> new LrFinder(sgd, 1e-3, 1, 50).run(lr -> {
            w.data()[0] = 99f;
            throw new IllegalStateException("boom");
        }));
        assertEquals(3f, w.data()[0], "restored even when the step throws");
        assertEquals(0.1, sgd.paramGroups().get(0).lr());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new LrFinder(sgd, 1, 0.1, 10));
        assertTrue(bad.getMessage().contains("end_lr"), bad.getMessage());
    }

    @org.junit.jupiter.api.Test
    void steepestIgnoresTheFallBackFromADivergenceSpike() {
        double[] lr = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
        double[] s = {2.3, 2.3, 1.0, 0.99, 90, 5};
        org.junit.jupiter.api.Assertions.assertEquals(1e-2, LrFinder.steepest(lr, s), 1e-12);
    }
}
