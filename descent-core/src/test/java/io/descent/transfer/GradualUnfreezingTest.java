package io.descent.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.descent.data.DataLoader;
import io.descent.models.SmallCnn;
import io.descent.optim.Optimizer;
import io.descent.optim.Optimizers;
import io.descent.train.Callback;
import io.descent.train.Task;
import io.descent.train.TrainConfig;
import io.descent.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradualUnfreezingTest {
    @Test
    void unfreezesOneGroupEveryNEpochsWithItsLr() {
        SmallCnn m = TransferFixtures.cnn(1);
        List<LayerGroup> groups = LayerGroups.of(m); // 0, 3, 7, head
        double[] lrs = LayerGroups.discriminativeLrs(groups.size(), 1e-2, 1e-3, 4);
        GradualUnfreezing gu = new GradualUnfreezing(m, groups, lrs, 2, true);
        assertEquals(List.of("9.weight", "9.bias"), Freezing.trainable(m));
        Optimizer opt = Optimizers.create("adam", gu.initialParamGroups(), Optimizers.Settings.lr(1e-2));
        List<Integer> trainableAtEpoch = new ArrayList<>();
        List<Integer> groupsAtEpoch = new ArrayList<>();
        Callback probe = new Callback() {
            @Override
            public void onEpochStart(Trainer t, int epoch) {
                trainableAtEpoch.add(Freezing.trainable(m).size());
                groupsAtEpoch.add(t.optimizer().paramGroups().size());
            }
        };
        try (DataLoader train = TransferFixtures.loader(TransferFixtures.images(30, 2), 10, true)) {
            new Trainer(m, opt, new Task.Classification(), TrainConfig.defaults().withEpochs(8)).callback(gu).callback(probe).fit(train, null);
        }
        // epochs 1-2: head; 3-4: +7; 5-6: +3; 7-8: +0 (each group a weight and a bias)
        assertEquals(List.of(2, 2, 4, 4, 6, 6, 8, 8), trainableAtEpoch);
        assertEquals(List.of(1, 1, 2, 2, 3, 3, 4, 4), groupsAtEpoch);
        assertEquals(List.of("epoch 3: unfroze 7", "epoch 5: unfroze 3", "epoch 7: unfroze 0"), gu.log());
        assertEquals(lrs[2], opt.paramGroups().get(1).lr(), 1e-15);
        assertEquals(lrs[0], opt.paramGroups().get(3).lr(), 1e-15);
        assertEquals(4, gu.unfrozen());
    }

    @Test
    void stillFrozenGroupsTakeNoState() {
        SmallCnn m = TransferFixtures.cnn(2);
        List<LayerGroup> groups = LayerGroups.of(m);
        GradualUnfreezing gu = new GradualUnfreezing(m, groups, LayerGroups.discriminativeLrs(4, 1e-2, 1e-3, 3), 5, false);
        Optimizer opt = Optimizers.create("adamw", gu.initialParamGroups(), Optimizers.Settings.lr(1e-2));
        try (DataLoader train = TransferFixtures.loader(TransferFixtures.images(30, 2), 10, true)) {
            new Trainer(m, opt, new Task.Classification(), TrainConfig.defaults().withEpochs(2)).callback(gu).fit(train, null);
        }
        assertNull(opt.state("0.weight"));
        assertNull(m.namedParameters().get("7.weight").grad());
    }
}
