package io.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.optim.Adam;
import io.descent.optim.Adagrad;
import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import io.descent.optim.SGD;
import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every schedule keeps, one row per schedule (a new schedule is one row): a
 * pure function of the step (same value whatever the order of calls), finite and
 * non-negative values, negative steps refused, bad arguments refused with the argument's
 * name. Then formula tests for the schedules and forms PyTorch lacks, and the Scheduler's
 * bindings.
 */
class ScheduleContractTest {
    record Row(String name, Schedule schedule, Executable bad, String badName) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        Cyclic cyclic = new Cyclic(0.01, 0.1, 10, Cyclic.Mode.TRIANGULAR2, 1);
        OneCycle oneCycle = new OneCycle(0.5, 300);
        return Stream.of(
                new Row("Constant", new Constant(0.1), () -> new Constant(0.1, 1.5, 3), "factor"),
                new Row("StepDecay", new StepDecay(0.1, 30, 0.1), () -> new StepDecay(0.1, 0, 0.1), "step_size"),
                new Row("MultiStep", new MultiStep(0.1, new long[] {10, 20}, 0.1), () -> new MultiStep(0.1, new long[] {20, 10}, 0.1), "milestones"),
                new Row("Exponential", new Exponential(0.1, 0.99), () -> new Exponential(0.1, -0.5), "gamma"),
                new Row("Exponential.percent", Exponential.percent(0.1, 2), () -> Exponential.percent(0.1, 120), "alpha"),
                new Row("Linear", new Linear(0.1, 1, 0.1, 100), () -> new Linear(0.1, 1, 0.1, 0), "total_iters"),
                new Row("Polynomial", new Polynomial(0.1, 100, 2, 0.001), () -> new Polynomial(0.1, 100, -1), "power"),
                new Row("Cosine", new Cosine(0.1, 100, 0.001), () -> new Cosine(0.1, 0, 0), "T_max"),
                new Row("InverseSqrt", new InverseSqrt(0.1, 10), () -> new InverseSqrt(0.1, -1), "warmup"),
                new Row("Cyclic", cyclic, () -> new Cyclic(0.01, 0.1, 0, Cyclic.Mode.TRIANGULAR, 1), "step_size_up"),
                new Row("Cyclic.momentum", cyclic.momentum(0.8, 0.9), () -> cyclic.momentum(-0.8, 0.9), "base_momentum"),
                new Row("CosineWarmRestarts", new CosineWarmRestarts(0.1, 10, 2, 0), () -> new CosineWarmRestarts(0.1, 10, 0, 0), "T_mult"),
                new Row("OneCycle", oneCycle, () -> new OneCycle(0.5, 300, 1.5, OneCycle.Anneal.COS, 25, 1e4, false), "pct_start"),
                new Row("OneCycle.momentum", oneCycle.momentum(0.85, 0.95), () -> new OneCycle(0.5, 10, 0.1, OneCycle.Anneal.COS, 25, 1e4, false), "phase 1"),
                new Row("OneCycle.lecture", OneCycle.lecture(0.5, 300, 0.3, 25, 1e4), () -> OneCycle.lecture(0.5, 300, 0.3, 0, 1e4), "div_factor"),
                new Row("Warmup", Warmup.exponential(new Cosine(0.1, 100, 0), 10, 0.01), () -> Warmup.exponential(new Constant(1), 10, 0), "start_factor"),
                new Row("Sequential", new Sequential(List.of(new Constant(0.01), new Cosine(0.1, 90, 0)), 10),
                        () -> new Sequential(List.of(new Constant(0.01), new Constant(0.1))), "milestone"),
                new Row("scaled", new Cosine(1, 100, 0).scaled(0.1), () -> new Constant(1).scaled(Double.NaN), "factor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isAPureFunctionOfTheStep(Row row) {
        double[] forward = row.schedule.values(300);
        for (int t = 299; t >= 0; t -= 7) assertEquals(forward[t], row.schedule.at(t), "at(" + t + ") depends on call order");
        for (double v : forward) assertTrue(Double.isFinite(v) && v >= 0, row.name + " value " + v);
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> row.schedule.at(-1));
        assertTrue(neg.getMessage().contains("step must be >= 0"), neg.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badArgumentsAreRefusedNamingThem(Row row) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, row.bad);
        assertTrue(e.getMessage().contains(row.badName), e.getMessage());
    }

    // ---------------------------------------------------------------- formulas PyTorch lacks

    @Test
    void inverseSqrtWarmsUpLinearlyThenDecaysAsOneOverRootT() {
        InverseSqrt s = new InverseSqrt(0.1, 4);
        assertClose(0.025, s.at(0));
        assertClose(0.075, s.at(2));
        assertClose(0.1, s.at(3));
        assertClose(0.1 * Math.sqrt(4.0 / 16), s.at(15));
        assertClose(0.1 * Math.sqrt(4.0 / 100), s.at(99));
        InverseSqrt none = new InverseSqrt(0.1, 0);
        assertClose(0.1, none.at(0));
        assertClose(0.1 / Math.sqrt(9), none.at(8));
    }

    @Test
    void lectureExponentialIsAlphaPercentPerStep() {
        Schedule s = Exponential.percent(0.2, 5);
        for (int t = 0; t < 50; t++) assertClose(0.2 * Math.pow(0.95, t), s.at(t));
    }

    @Test
    void linearDecayReachesTheFinalValueAndHolds() {
        Schedule s = Linear.between(0.1, 0.001, 100);
        assertClose(0.1, s.at(0));
        assertClose(0.1 + (0.001 - 0.1) * 0.25, s.at(25));
        assertClose(0.001, s.at(100));
        assertClose(0.001, s.at(500));
        Polynomial p = new Polynomial(0.1, 100, 2, 0.01);
        assertClose(0.01 + 0.09 * 0.25, p.at(50));
        assertClose(0.01, p.at(150));
    }

    @Test
    void exponentialWarmupRisesGeometrically() {
        Schedule s = Warmup.exponential(new Constant(0.1), 4, 0.01);
        assertClose(0.001, s.at(0));
        assertClose(0.1 * Math.pow(0.01, 0.5), s.at(2));
        assertClose(0.1, s.at(4));
        Schedule lin = Warmup.linear(new StepDecay(0.1, 10, 0.5), 5, 0.2);
        assertClose(0.02, lin.at(0));
        assertClose(0.1 * (0.2 + 0.8 * 3 / 5), lin.at(3));
        assertClose(0.1, lin.at(5));
        assertClose(0.05, lin.at(15), "the main schedule counts its own steps from the end of the warm-up");
    }

    @Test
    void lectureOneCycleIsTheContinuousCosineForm() {
        Schedule s = OneCycle.lecture(1.0, 100, 0.3, 25, 1e4);
        double initial = 1.0 / 25, min = initial / 1e4;
        assertClose(initial, s.at(0));
        assertClose(initial + (1 - initial) * (1 - Math.cos(Math.PI * 15 / 30)) / 2, s.at(15));
        assertClose(1.0, s.at(30));
        assertClose(min + (1 - min) * (1 + Math.cos(Math.PI * 35 / 70)) / 2, s.at(65));
        assertClose(min, s.at(100));
        assertClose(min, s.at(120));
        Schedule m = OneCycle.lectureMomentum(100, 0.3, 0.85, 0.95);
        assertClose(0.95, m.at(0));
        assertClose(0.85, m.at(30));
        assertClose(0.85 + 0.1 * (1 - Math.cos(Math.PI * 35 / 70)) / 2, m.at(65));
        assertClose(0.95, m.at(100));
    }

    @Test
    void oneCycleRefusesStepsBeyondTotal() {
        OneCycle s = new OneCycle(0.5, 100);
        s.at(100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.at(101));
        assertTrue(e.getMessage().contains("total steps is 100"), e.getMessage());
    }

    @Test
    void cosineIsPeriodicAsPyTorchAndSequentialHoldsTheMinimum() {
        Cosine c = new Cosine(0.1, 10, 0);
        assertClose(0.0, c.at(10));
        assertClose(c.at(5), c.at(15));
        Schedule hold = new Sequential(List.of(c, new Constant(0.0)), 10);
        assertClose(0.0, hold.at(15));
    }

    // ---------------------------------------------------------------- Scheduler bindings

    static Optimizer twoGroupSgd() {
        Map<String, Tensor> body = new LinkedHashMap<>(), head = new LinkedHashMap<>();
        body.put("body.w", Tensor.zeros(2).requiresGrad(true));
        head.put("head.w", Tensor.zeros(2).requiresGrad(true));
        return new SGD(List.of(new ParamGroup(body).with("lr", 0.001), new ParamGroup(head)), 0.01, 0.9, 0, 0, false, false);
    }

    @Test
    void scaleKeepsDifferentialLearningRateRatios() {
        Optimizer o = twoGroupSgd();
        Scheduler s = new Scheduler(o).scale("lr", Warmup.linear(new Cosine(1, 100, 0), 10, 0.1));
        for (int t = 0; t < 110; t++) {
            double body = o.paramGroups().get(0).lr(), head = o.paramGroups().get(1).lr();
            if (head > 0) assertClose(0.1, body / head);
            s.step();
        }
    }

    @Test
    void perGroupBuildsPyTorchStyleSchedulesFromEachBase() {
        Optimizer o = twoGroupSgd();
        Scheduler s = new Scheduler(o).perGroup("lr", base -> new Cosine(base, 50, 1e-4));
        for (int t = 0; t < 30; t++) s.step();
        assertClose(new Cosine(0.001, 50, 1e-4).at(30), o.paramGroups().get(0).lr());
        assertClose(new Cosine(0.01, 50, 1e-4).at(30), o.paramGroups().get(1).lr());
        Optimizer o2 = twoGroupSgd();
        new Scheduler(o2).perGroup("lr", List.of(new Constant(0.5), new Constant(0.25)));
        assertClose(0.25, o2.paramGroups().get(1).lr());
        assertThrows(IllegalArgumentException.class, () -> new Scheduler(twoGroupSgd()).perGroup("lr", List.of(new Constant(0.5))));
    }

    @Test
    void momentumScheduleDrivesMomentumOrBeta1() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.zeros(2).requiresGrad(true));
        Adam adam = new Adam(p, 1e-3);
        OneCycle oc = new OneCycle(0.01, 100);
        assertEquals("beta1", Scheduler.momentumName(adam));
        new Scheduler(adam).set("lr", oc).set(Scheduler.momentumName(adam), oc.momentum(0.85, 0.95));
        assertClose(0.95, adam.paramGroups().get(0).get("beta1"));
        assertClose(0.0004, adam.paramGroups().get(0).lr());
        assertEquals("momentum", Scheduler.momentumName(twoGroupSgd()));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Scheduler.momentumName(new Adagrad(p, 0.1)));
        assertTrue(none.getMessage().contains("neither momentum nor beta1"), none.getMessage());
    }

    @Test
    void schedulerRefusesUnknownNamesDuplicatesAndInvalidValues() {
        Optimizer o = twoGroupSgd();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new Scheduler(o).set("beta1", new Constant(0.9)));
        assertTrue(unknown.getMessage().contains("no hyper-parameter 'beta1'"), unknown.getMessage());
        Scheduler s = new Scheduler(o).set("lr", new Constant(0.1));
        assertThrows(IllegalArgumentException.class, () -> s.set("lr", new Constant(0.2)));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new Scheduler(o).set("momentum", t -> -1));
        assertTrue(negative.getMessage().contains("momentum must be >= 0"), negative.getMessage());
    }

    @Test
    void groupsAddedLaterTakeTheirBaseWhenTheyAppear() {
        Optimizer o = twoGroupSgd();
        Scheduler s = new Scheduler(o).scale("lr", new Exponential(1, 0.5));
        s.step();
        Map<String, Tensor> extra = new LinkedHashMap<>();
        extra.put("new.w", Tensor.zeros(1).requiresGrad(true));
        o.addParamGroup(new ParamGroup(extra).with("lr", 0.04));
        s.step();
        assertClose(0.01, o.paramGroups().get(2).lr());
        assertClose(0.0025, o.paramGroups().get(1).lr());
    }

    static void assertClose(double expected, double actual) {
        assertClose(expected, actual, "");
    }

    static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-12 + 1e-12 * Math.abs(expected), what + " expected " + expected + " but was " + actual);
    }
}
