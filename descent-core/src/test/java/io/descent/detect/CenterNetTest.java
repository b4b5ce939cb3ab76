package io.descent.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.Golden;
import io.descent.data.Boxes;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CenterNet's targets, loss, gradient and decoding against tools/golden/gen_centernet.py, which
 * follows CenterNet's own code in its sparse (index and mask) form; then the cases it leaves out.
 */
class CenterNetTest {
    private static final int N = 2, C = 3, IMG = 64, R = 4, H = IMG / R;
    private static final Map<String, Tensor> FIXTURE = Golden.load("centernet");

    private static List<Boxes> fixtureBoxes() {
        float[] b = Golden.get(FIXTURE, "boxes").data();
        List<List<float[]>> per = new ArrayList<>();
        for (int i = 0; i < N; i++) per.add(new ArrayList<>());
        for (int r = 0; r < b.length / 6; r++) per.get((int) b[6 * r]).add(Arrays.copyOfRange(b, 6 * r + 1, 6 * r + 6));
        List<Boxes> out = new ArrayList<>();
        for (List<float[]> rows : per) {
            float[] xyxy = new float[4 * rows.size()];
            int[] labels = new int[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                labels[k] = (int) rows.get(k)[0];
                System.arraycopy(rows.get(k), 1, xyxy, 4 * k, 4);
            }
            out.add(new Boxes(xyxy, labels));
        }
        return out;
    }

    private static CenterNetTargets fixtureTargets() {
        return CenterNetTargets.encode(fixtureBoxes(), C, H, H, 1f / R, 1f / R);
    }

    @Test
    void heatmapTargetsMatchCenterNets() {
        CenterNetTargets t = fixtureTargets();
        Golden.assertClose("heatmap", Golden.get(FIXTURE, "heatmap"), Tensor.wrap(t.heatmap(), N, C, H, H), 1e-7, 1e-6);
        assertEquals(12, t.objects());
        float ones = 0;
        for (float v : t.mask()) ones += v;
        assertEquals(12, ones, "one centre cell per object");
    }

    @Test
    void lossTermsAndGradientMatchCenterNets() {
        Tensor out = Golden.get(FIXTURE, "output").copy().requiresGrad(true);
        CenterNetLoss.Terms terms = new CenterNetLoss().terms(out, fixtureTargets());
        float[] expected = Golden.get(FIXTURE, "loss").data();
        float[] actual = {terms.total().item(), terms.heatmap().item(), terms.size().item(), terms.offset().item()};
        assertArrayEquals(expected, actual, 1e-5f * Math.abs(expected[0]));
        terms.total().backward();
        Golden.assertClose("d loss / d output", Golden.get(FIXTURE, "grad"), out.grad(), 1e-7, 1e-4);
    }

    @Test
    void decodingMatchesCenterNets() {
        int k = 10;
        List<Detections> found = new CenterNetDecoder(k, 0f).decode(Golden.get(FIXTURE, "output"), C, IMG, IMG);
        float[] scores = Golden.get(FIXTURE, "det_scores").data(), classes = Golden.get(FIXTURE, "det_classes").data();
        float[] boxes = Golden.get(FIXTURE, "det_boxes").data();
        for (int i = 0; i < N; i++) {
            Detections d = found.get(i);
            assertEquals(k, d.size());
            for (int j = 0; j < k; j++) {
                assertEquals(scores[i * k + j], d.score(j), 1e-6, "image " + i + " detection " + j + " score");
                assertEquals((int) classes[i * k + j], d.label(j), "image " + i + " detection " + j + " class");
                assertArrayEquals(Arrays.copyOfRange(boxes, (i * k + j) * 4, (i * k + j + 1) * 4), d.box(j), 1e-4f, "image " + i + " detection " + j + " box");
            }
        }
    }

    @Test
    void perfectMapsDecodeToTheTrueBoxes() {
        // the targets themselves, as logits (±20 around the centres), decode to each box exactly
        Boxes truth = new Boxes(new float[] {8, 8, 24, 20, 40, 30, 60, 62}, new int[] {2, 0});
        CenterNetTargets t = CenterNetTargets.encode(List.of(truth), C, H, H, 1f / R, 1f / R);
        float[] maps = new float[(C + 4) * H * H];
        for (int i = 0; i < C * H * H; i++) maps[i] = t.heatmap()[i] == 1f ? 20 : -20;
        System.arraycopy(t.regression(), 0, maps, C * H * H, 4 * H * H);
        Detections d = new CenterNetDecoder(100, 0.5f).decode(Tensor.wrap(maps, 1, C + 4, H, H), C, IMG, IMG).get(0);
        assertEquals(2, d.size());
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(d, truth);
        assertEquals(1.0, map.compute().map(), 1e-12);
        for (int j = 0; j < 2; j++) {
            int k = d.label(j) == 2 ? 0 : 1;
            assertArrayEquals(truth.box(k), d.box(j), 1e-5f);
        }
    }

    @Test
    void twoCentresInOneCellKeepTheLaterBoxAndCountBoth() {
        Boxes b = new Boxes(new float[] {0, 0, 10, 10, 1, 1, 9, 9}, new int[] {0, 1});
        CenterNetTargets t = CenterNetTargets.encode(List.of(b), 2, H, H, 1f / R, 1f / R);
        int at = 1 * H + 1; // centre (5, 5) → cell (1, 1)
        assertEquals(2f, t.regression()[at], 1e-6f, "width in cells: the second box's 8 px / 4");
        assertEquals(1f, t.heatmap()[at]);
        assertEquals(1f, t.heatmap()[H * H + at], "both classes peak");
        assertEquals(2, t.objects());
    }

    @Test
    void imagesWithoutBoxesLeaveOnlyTheNegativeTerm() {
        CenterNetTargets t = CenterNetTargets.encode(List.of(Boxes.empty()), C, H, H, 1f / R, 1f / R);
        Tensor out = Tensor.full(-3f, 1, C + 4, H, H);
        CenterNetLoss.Terms terms = new CenterNetLoss().terms(out, t);
        double p = 1 / (1 + Math.exp(3));
        assertEquals(-C * H * H * Math.log(1 - p) * p * p, terms.heatmap().item(), 1e-4);
        assertEquals(0f, terms.size().item());
        assertEquals(0f, terms.offset().item());
    }

    @Test
    void gaussianRadiusIsCenterNets() {
        // CenterNet's gaussian_radius((10, 10), 0.7): min(r1, r2, r3) = r3 here
        double r3 = (-2 * 0.7 * 20 + Math.sqrt(Math.pow(2 * 0.7 * 20, 2) + 4 * 4 * 0.7 * 0.3 * 100)) / 2;
        assertEquals(r3, CenterNetTargets.gaussianRadius(10, 10, 0.7), 1e-12);
        assertTrue(r3 > 0);
    }

    @Test
    void badInputIsRefusedWithTheShapesOrValues() {
        var t = CenterNetTargets.encode(List.of(Boxes.empty()), C, H, H, 1f / R, 1f / R);
        var e = assertThrows(IllegalArgumentException.class, () -> new CenterNetLoss().loss(Tensor.zeros(1, C + 3, H, H), t));
        assertEquals("CenterNetLoss: output [1, 6, 16, 16] does not match the targets' [1, 7, 16, 16] (batch, classes + 4, height, width)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CenterNetTargets.encode(List.of(new Boxes(new float[] {0, 0, 4, 4}, new int[] {5})), C, H, H, 0.25f, 0.25f));
        assertEquals("CenterNetTargets: image 0 has a box of class 5 but the model has 3 classes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CenterNetDecoder().decode(Tensor.zeros(1, C, H, H), C, IMG, IMG));
        assertEquals("CenterNetDecoder: expects [N, 3 + 4, H, W] for 3 classes, got [1, 3, 16, 16]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CenterNetLoss(-1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> new CenterNetDecoder(0, 0f));
    }
}
