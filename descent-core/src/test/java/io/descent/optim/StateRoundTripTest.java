package io.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.descent.optim.schedule.Cosine;
import io.descent.optim.schedule.OneCycle;
import io.descent.optim.schedule.ReduceLROnPlateau;
import io.descent.optim.schedule.Scheduler;
import io.descent.optim.schedule.Warmup;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Resume = never stopping: optimizer + scheduler (+ plateau) state saved in the middle of a
 * run and loaded into fresh objects continues bit-identically.
 */
class StateRoundTripTest {
    /** A run's objects: parameters in two groups, the optimizer, its scheduler and plateau. */
    record Run(Map<String, Tensor> params, Optimizer opt, Scheduler sched, ReduceLROnPlateau plateau) {
        void train(int from, int to) {
            for (int t = from; t < to; t++) {
                for (Map.Entry<String, Tensor> e : params.entrySet()) {
                    float[] w = e.getValue().data();
                    float[] g = new float[w.length];
                    for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(1.7 * w[i] + 0.3 * i + 0.05 * t) + 0.5f * w[i];
                    e.getValue().setGrad(Tensor.wrap(g, e.getValue().shape()));
                }
                opt.step();
                opt.zeroGrad();
                sched.step();
                if (plateau != null && t % 5 == 4) plateau.step(Math.abs(Math.cos(0.3 * t)));
            }
        }
    }

    static Run build(Function<List<ParamGroup>, Optimizer> make, boolean oneCycle, boolean withPlateau) {
        Map<String, Tensor> body = new LinkedHashMap<>(), head = new LinkedHashMap<>();
        body.put("body.weight", Tensor.of(new float[] {0.3f, -0.7f, 1.1f, 0.2f, -0.4f, 0.9f}, 2, 3).requiresGrad(true));
        head.put("head.bias", Tensor.of(0.5f, -0.5f).requiresGrad(true));
        Optimizer opt = make.apply(List.of(new ParamGroup(body), new ParamGroup(head).with("lr", 0.02)));
        Scheduler s = new Scheduler(opt);
        if (oneCycle) {
            OneCycle oc = new OneCycle(0.05, 60);
            s.perGroup("lr", base -> new OneCycle(base * 5, 60)).set(Scheduler.momentumName(opt), oc.momentum(0.85, 0.95));
        } else {
            s.scale("lr", Warmup.linear(new Cosine(1, 50, 0.01), 5, 0.1));
        }
        Map<String, Tensor> all = new LinkedHashMap<>(body);
        all.putAll(head);
        return new Run(all, opt, s, withPlateau ? new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 1, 1e-3,
                ReduceLROnPlateau.ThresholdMode.REL, 1, new double[] {1e-4}, 1e-8) : null);
    }

    static List<Function<List<ParamGroup>, Optimizer>> optimizers() {
        List<Function<List<ParamGroup>, Optimizer>> l = new ArrayList<>();
        l.add(g -> new SGD(g, 0.01, 0.9, 0, 1e-3, true, false));
        l.add(g -> new Adam(g, 0.01, 0.9, 0.999, 1e-8, 0, true, false));
        l.add(g -> new AdamW(g, 0.01, 0.9, 0.999, 1e-8, 0.05, false, false));
        l.add(g -> new NAdam(g, 0.01, 0.9, 0.999, 1e-8, 0, 4e-3, false));
        l.add(g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0.5, true, false));
        l.add(g -> new Adagrad(g, 0.01, 0.01, 0, 0.1, 1e-10, false));
        l.add(g -> new Adamax(g, 0.01, 0.9, 0.999, 1e-8, 0, false));
        l.add(g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0, false));
        return l;
    }

    @Test
    void resumingMidRunIsIdenticalToNeverStopping() {
        for (Function<List<ParamGroup>, Optimizer> make : optimizers()) {
            for (boolean oneCycle : new boolean[] {false, true}) {
                boolean momentum = oneCycle && hasMomentum(make);
                Run straight = build(make, momentum, !oneCycle);
                straight.train(0, 60);

                Run first = build(make, momentum, !oneCycle);
                first.train(0, 23);
                Map<String, float[]> weights = new LinkedHashMap<>();
                first.params.forEach((k, v) -> weights.put(k, v.data().clone()));
                Map<String, Object> optState = first.opt.stateDict(), schedState = first.sched.stateDict();
                Map<String, Object> plateauState = first.plateau == null ? null : first.plateau.stateDict();

                Run resumed = build(make, momentum, !oneCycle);
                resumed.params.forEach((k, v) -> System.arraycopy(weights.get(k), 0, v.data(), 0, v.numel()));
                resumed.opt.loadStateDict(optState);
                resumed.sched.loadStateDict(schedState);
                if (plateauState != null) resumed.plateau.loadStateDict(plateauState);
                assertEquals(23, resumed.sched.currentStep());
                resumed.train(23, 60);

                String what = straight.opt.name() + (momentum ? " + OneCycle lr/momentum" : " + warm-up cosine + plateau");
                for (String k : straight.params.keySet()) assertArrayEquals(straight.params.get(k).data(), resumed.params.get(k).data(), what + " " + k);
                for (int g = 0; g < 2; g++) {
                    assertEquals(straight.opt.paramGroups().get(g).options(), resumed.opt.paramGroups().get(g).options(), what + " group " + g);
                }
            }
        }
    }

    private static boolean hasMomentum(Function<List<ParamGroup>, Optimizer> make) {
        Optimizer o = build(make, false, false).opt;
        return o.paramGroups().get(0).has("momentum") || o.paramGroups().get(0).has("beta1");
    }

    @Test
    void schedulerStateMustMatchItsBindings() {
        Run a = build(g -> new SGD(g, 0.01, 0.9, 0, 0, false, false), true, false);
        Run b = build(g -> new SGD(g, 0.01, 0.9, 0, 0, false, false), false, false);
        assertThrows(IllegalArgumentException.class, () -> b.sched.loadStateDict(a.sched.stateDict()));
    }
}
