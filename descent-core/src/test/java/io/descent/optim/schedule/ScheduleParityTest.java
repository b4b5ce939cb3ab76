package io.descent.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.optim.ParamGroup;
import io.descent.optim.SGD;
import io.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every PyTorch 1.13 lr scheduler against its Descent schedule (tools/golden/gen_schedules.py):
 * the value for each optimizer update, over a few hundred updates, within 1e-9 relative; and
 * OneCycleLR's / CyclicLR's momentum (β1 for Adam). One row per case, mirroring the generator.
 */
class ScheduleParityTest {
    static final double RTOL = 1e-9, ATOL = 1e-15;

    record Row(String name, Schedule lr, Schedule momentum) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        OneCycle onecycle = new OneCycle(0.5, 300);
        OneCycle linear = new OneCycle(0.5, 300, 0.25, OneCycle.Anneal.LINEAR, 10, 100, false);
        OneCycle three = new OneCycle(0.5, 250, 0.3, OneCycle.Anneal.COS, 25, 1e4, true);
        OneCycle adam = new OneCycle(0.01, 200, 0.4, OneCycle.Anneal.COS, 25, 1e4, false);
        Cyclic tri = new Cyclic(0.01, 0.1, 20, Cyclic.Mode.TRIANGULAR, 1.0);
        Cyclic tri2 = new Cyclic(0.01, 0.1, 15, 25, Cyclic.Mode.TRIANGULAR2, 1.0);
        Cyclic exp = new Cyclic(0.001, 0.1, 25, Cyclic.Mode.EXP_RANGE, 0.99);
        return Stream.of(
                new Row("constant", new Constant(0.1, 0.5, 40), null),
                new Row("step", new StepDecay(0.1, 30, 0.5), null),
                new Row("multistep", new MultiStep(0.1, new long[] {30, 80, 80, 200}, 0.5), null),
                new Row("exponential", new Exponential(0.1, 0.98), null),
                new Row("linear", new Linear(0.1, 0.25, 1.0, 50), null),
                new Row("linear_decay", new Linear(0.1, 1.0, 0.05, 200), null),
                new Row("polynomial", new Polynomial(0.1, 200, 2.0), null),
                new Row("polynomial_linear", new Polynomial(0.1, 250, 1.0), null),
                new Row("cosine", new Cosine(0.1, 100, 0.001), null),
                new Row("cosine_zero", new Cosine(0.1, 300, 0), null),
                new Row("warmup_cosine", Warmup.linear(new Cosine(0.1, 280, 1e-4), 20, 0.01), null),
                new Row("constant_exponential", new Sequential(List.of(new Constant(0.1, 0.1, 10), new Exponential(0.1, 0.97)), 10), null),
                new Row("cyclic_triangular", tri, tri.momentum(0.8, 0.9)),
                new Row("cyclic_triangular2", tri2, tri2.momentum(0.85, 0.95)),
                new Row("cyclic_exp_range", exp, exp.momentum(0.8, 0.9)),
                new Row("restarts", new CosineWarmRestarts(0.1, 10, 2, 1e-3), null),
                new Row("restarts_t1", new CosineWarmRestarts(0.1, 25, 1, 0), null),
                new Row("onecycle_cos", onecycle, onecycle.momentum(0.85, 0.95)),
                new Row("onecycle_linear", linear, linear.momentum(0.85, 0.95)),
                new Row("onecycle_three_phase", three, three.momentum(0.85, 0.95)),
                new Row("onecycle_adam", adam, adam.momentum(0.8, 0.9))
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matchesPyTorchAtEveryUpdate(Row row) {
        List<double[]> csv = csv("sched_" + row.name);
        assertTrue(csv.size() >= 100, "fixture too short");
        for (double[] r : csv) {
            long t = (long) r[0];
            assertClose(row.name + " lr at update " + t, r[1], row.lr.at(t));
            if (r.length > 2) assertClose(row.name + " momentum at update " + t, r[2], row.momentum.at(t));
        }
        assertEquals(row.momentum != null, csv.get(0).length > 2, "momentum column");
    }

    /** The same schedules driven through a {@link Scheduler} on an optimizer: the groups hold the values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void schedulerWritesTheSameValuesIntoTheGroups(Row row) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", Tensor.zeros(2).requiresGrad(true));
        SGD sgd = new SGD(List.of(new ParamGroup(params)), 0.1, 0.9, 0, 0, false, false);
        Scheduler s = new Scheduler(sgd).set("lr", row.lr);
        if (row.momentum != null) s.set(Scheduler.momentumName(sgd), row.momentum);
        List<double[]> csv = csv("sched_" + row.name);
        for (double[] r : csv) {
            assertEquals((long) r[0], s.currentStep());
            assertClose(row.name + " group lr at update " + s.currentStep(), r[1], sgd.paramGroups().get(0).lr());
            if (r.length > 2) assertClose(row.name + " group momentum", r[2], sgd.paramGroups().get(0).get("momentum"));
            sgd.step();
            if (r != csv.get(csv.size() - 1)) s.step();
        }
    }

    static void assertClose(String what, double expected, double actual) {
        assertTrue(Math.abs(expected - actual) <= ATOL + RTOL * Math.abs(expected), () -> what + ": expected " + expected + " but was " + actual);
    }

    /** Rows of a golden CSV (comment and header skipped), parsed as doubles. */
    static List<double[]> csv(String name) {
        String path = "/golden/" + name + ".csv";
        try (InputStream in = ScheduleParityTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing fixture " + path + " (run tools/golden/gen_schedules.py)");
            List<double[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || Character.isLetter(line.charAt(0))) continue;
                String[] f = line.split(",");
                double[] r = new double[f.length];
                for (int i = 0; i < f.length; i++) r[i] = f[i].equals("nan") ? Double.NaN : Double.parseDouble(f[i]);
                rows.add(r);
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
