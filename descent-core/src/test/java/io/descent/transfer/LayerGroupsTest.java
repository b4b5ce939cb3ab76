package io.descent.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.models.ResNet;
import io.descent.optim.Optimizer;
import io.descent.optim.Optimizers;
import io.descent.optim.ParamGroup;
import io.descent.optim.schedule.OneCycle;
import io.descent.optim.schedule.Scheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerGroupsTest {
    @Test
    void resnetAndSequentialGroups() {
        assertEquals(List.of("stem", "layer1", "layer2", "layer3", "layer4", "head"),
                LayerGroups.of(TransferFixtures.resnet(1)).stream().map(LayerGroup::name).toList());
        assertEquals(List.of("0", "3", "7", "head"), LayerGroups.of(TransferFixtures.cnn(1)).stream().map(LayerGroup::name).toList());
    }

    @Test
    void aDetectorsNeckJoinsItsHeadsUnlessPretrained() {
        var detector = (io.descent.models.CenterNet) io.descent.models.Models.create("centernet-resnet18",
                new io.descent.models.Models.Config(3, 3, 32, ResNet.Stem.IMAGENET, 8, 1));
        List<LayerGroup> fresh = LayerGroups.of(detector), pretrained = LayerGroups.withPretrainedNeck(detector);
        assertEquals(List.of("stem", "layer1", "layer2", "layer3", "layer4", "head"), fresh.stream().map(LayerGroup::name).toList());
        assertEquals(List.of("neck", "head"), fresh.getLast().paths());
        assertEquals(List.of("stem", "layer1", "layer2", "layer3", "layer4", "neck", "head"), pretrained.stream().map(LayerGroup::name).toList());
        assertEquals(List.of("head"), pretrained.getLast().paths());
    }

    @Test
    void discriminativeLrsShrinkByTheRatio() {
        assertArrayEquals(new double[] {1e-4 / 9, 1e-4 / 3, 1e-4, 1e-3}, LayerGroups.discriminativeLrs(4, 1e-3, 1e-4, 3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LayerGroups.discriminativeLrs(3, 1e-3, 1e-4, 0.5));
    }

    @Test
    void paramGroupsSkipFrozenParameters() {
        ResNet m = TransferFixtures.resnet(2);
        List<LayerGroup> groups = LayerGroups.of(m);
        Freezing.freezeAllButLast(m, groups, 2);
        List<ParamGroup> pgs = LayerGroups.paramGroups(m, groups, LayerGroups.discriminativeLrs(6, 1e-2, 1e-3, 10));
        assertEquals(2, pgs.size());
        assertEquals(1e-3, (double) pgs.get(0).options().get("lr"), 1e-15);
        assertEquals(m.namedParameters().keySet().stream().filter(n -> n.startsWith("layer4.")).toList(), List.copyOf(pgs.get(0).params().keySet()));
        Freezing.freeze(m, "");
        assertThrows(IllegalArgumentException.class, () -> LayerGroups.paramGroups(m, groups, new double[6]));
    }

    /** OneCycle as a multiplier: every group's lr moves, the ratios between neighbours never do. */
    @Test
    void ratiosHoldUnderOneCycle() {
        ResNet m = TransferFixtures.resnet(3);
        List<LayerGroup> groups = LayerGroups.of(m);
        double[] lrs = LayerGroups.discriminativeLrs(groups.size(), 1e-2, 1e-3, 3);
        Optimizer opt = Optimizers.create("sgd", LayerGroups.paramGroups(m, groups, lrs), Optimizers.Settings.lr(1e-2));
        Scheduler s = new Scheduler(opt).scale("lr", new OneCycle(1.0, 20));
        double firstHead = opt.paramGroups().get(5).lr();
        for (int step = 0; step < 20; step++) {
            List<ParamGroup> g = opt.paramGroups();
            for (int i = 0; i < 4; i++) assertEquals(3.0, g.get(i + 1).lr() / g.get(i).lr(), 1e-9, "step " + step + " group " + i);
            assertEquals(10.0, g.get(5).lr() / g.get(4).lr(), 1e-9);
            s.step();
        }
        assertEquals(true, opt.paramGroups().get(5).lr() != firstHead);
    }
}
