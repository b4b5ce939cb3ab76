package io.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import io.descent.optim.SGD;
import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ReduceLROnPlateau against PyTorch 1.13 on a fixed metric sequence (with plateaus, noise
 * around the threshold and a NaN), two groups with different lrs: the lrs after every
 * evaluation (tools/golden/gen_schedules.py). Plus a save/restore in the middle.
 */
class PlateauParityTest {
    static Optimizer sgd() {
        Map<String, Tensor> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        a.put("a", Tensor.zeros(1).requiresGrad(true));
        b.put("b", Tensor.zeros(1).requiresGrad(true));
        return new SGD(List.of(new ParamGroup(a), new ParamGroup(b).with("lr", 0.05)), 0.1, 0, 0, 0, false, false);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("min_rel", (Function<Optimizer, ReduceLROnPlateau>) o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 3, 1e-2,
                        ReduceLROnPlateau.ThresholdMode.REL, 0, new double[] {0}, 1e-8)),
                Arguments.of("max_abs", (Function<Optimizer, ReduceLROnPlateau>) o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MAX, 0.3, 2, 0.05,
                        ReduceLROnPlateau.ThresholdMode.ABS, 2, new double[] {1e-3, 5e-4}, 1e-8)),
                Arguments.of("min_abs_cooldown", (Function<Optimizer, ReduceLROnPlateau>) o -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 1, 0.0,
                        ReduceLROnPlateau.ThresholdMode.ABS, 3, new double[] {0.004}, 1e-8)),
                Arguments.of("defaults", (Function<Optimizer, ReduceLROnPlateau>) ReduceLROnPlateau::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matchesPyTorch(String name, Function<Optimizer, ReduceLROnPlateau> make) {
        List<double[]> csv = ScheduleParityTest.csv("sched_plateau_" + name);
        Optimizer opt = sgd();
        ReduceLROnPlateau plateau = make.apply(opt);
        Optimizer resumedOpt = null;
        ReduceLROnPlateau resumed = null;
        for (double[] r : csv) {
            plateau.step(r[1]);
            ScheduleParityTest.assertClose(name + " lr0 at evaluation " + (long) r[0], r[2], opt.paramGroups().get(0).lr());
            ScheduleParityTest.assertClose(name + " lr1 at evaluation " + (long) r[0], r[3], opt.paramGroups().get(1).lr());
            if (resumed != null) {
                resumed.step(r[1]);
                assertEquals(opt.paramGroups().get(0).lr(), resumedOpt.paramGroups().get(0).lr());
                assertEquals(opt.paramGroups().get(1).lr(), resumedOpt.paramGroups().get(1).lr());
            }
            if (r[0] == 23) {
                resumedOpt = sgd();
                resumedOpt.loadStateDict(opt.stateDict());
                resumed = make.apply(resumedOpt);
                resumed.loadStateDict(plateau.stateDict());
                assertEquals(plateau.best(), resumed.best());
            }
        }
    }

    @Test
    void badSettingsAreRefused() {
        Optimizer o = sgd();
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 1.0, 1, 0,
                ReduceLROnPlateau.ThresholdMode.REL, 0, new double[] {0}, 0));
        assertTrue(f.getMessage().contains("factor"), f.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, 1, 0,
                ReduceLROnPlateau.ThresholdMode.REL, 0, new double[] {0, 0, 0}, 0));
        assertTrue(m.getMessage().contains("min_lrs"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Mode.MIN, 0.5, -1, 0,
                ReduceLROnPlateau.ThresholdMode.REL, 0, new double[] {0}, 0));
        assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.Mode.parse("lowest"));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(o).loadStateDict(Map.of("best", 1.0)));
    }
}
