package io.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every optimizer keeps, one row per optimizer (a new optimizer is one row):
 * frozen parameters never change and take no state, parameters without gradient are skipped,
 * the state has PyTorch's names, bad hyper-parameters are refused naming the parameter (at
 * construction and when set later), state dicts round-trip bit-identically and are loaded
 * strictly, and maximizing −f is minimizing f.
 */
class OptimizerContractTest {
    /**
     * @param make  the optimizer with every state-creating option on
     * @param state the PyTorch state names it must keep for an updated parameter
     * @param bad   hyper-parameter values it must refuse: name, value, expected message part
     */
    record Row(String name, Function<List<ParamGroup>, Optimizer> make, Set<String> state, List<Bad> bad) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Bad(String key, Object value, String message) {}

    static Bad bad(String key, Object value) {
        return new Bad(key, value, key + " must be");
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("SGD", g -> new SGD(g, 0.1, 0.9, 0, 0.01, true, false), Set.of("momentum_buffer"),
                        List.of(bad("lr", -1.0), bad("momentum", -0.5), bad("weight_decay", -1e-4), bad("dampening", 1.5),
                                new Bad("dampening", 0.5, "nesterov requires momentum > 0 and dampening = 0"), bad("lr", Double.NaN))),
                new Row("Adagrad", g -> new Adagrad(g, 0.1, 0.01, 0.01, 0.1, 1e-10, false), Set.of("step", "sum"),
                        List.of(bad("lr", -1.0), bad("lr_decay", -1.0), bad("initial_accumulator_value", -0.1), bad("eps", 0.0), bad("weight_decay", -1.0))),
                new Row("RMSprop", g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0.01, 0.9, true, false), Set.of("step", "square_avg", "momentum_buffer", "grad_avg"),
                        List.of(bad("lr", -1.0), bad("alpha", 1.0), bad("eps", -1e-8), bad("momentum", -0.1), bad("weight_decay", -1.0))),
                new Row("Adam", g -> new Adam(g, 0.01, 0.9, 0.999, 1e-8, 0.01, true, false), Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
                        List.of(bad("lr", -1.0), bad("beta1", 1.0), bad("beta2", -0.1), bad("eps", 0.0), bad("weight_decay", -1.0))),
                new Row("AdamW", g -> new AdamW(g, 0.01, 0.9, 0.999, 1e-8, 0.01, true, false), Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
                        List.of(bad("lr", -1.0), bad("beta1", 1.5), bad("beta2", 1.0), bad("eps", 0.0), bad("weight_decay", -1.0))),
                new Row("NAdam", g -> new NAdam(g, 0.01, 0.9, 0.999, 1e-8, 0.01, 4e-3, false), Set.of("step", "mu_product", "exp_avg", "exp_avg_sq"),
                        List.of(bad("lr", -1.0), bad("beta1", 1.0), bad("beta2", 1.0), bad("eps", 0.0), bad("momentum_decay", -1.0))),
                new Row("Adamax", g -> new Adamax(g, 0.01, 0.9, 0.999, 1e-8, 0.01, false), Set.of("step", "exp_avg", "exp_inf"),
                        List.of(bad("lr", -1.0), bad("beta1", -0.1), bad("beta2", 1.0), bad("eps", 0.0), bad("weight_decay", -1.0))),
                new Row("Adadelta", g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0.01, false), Set.of("step", "square_avg", "acc_delta"),
                        List.of(bad("lr", -1.0), bad("rho", 1.5), bad("eps", 0.0), bad("weight_decay", -1.0))));
    }

    /** Three parameters: "w" trains, "frozen" has a gradient but requiresGrad false, "nograd" has no gradient. */
    static Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new float[] {0.5f, -1f, 2f, 0.25f}, 2, 2).requiresGrad(true));
        Tensor frozen = Tensor.of(1f, 2f, 3f);
        frozen.setGrad(Tensor.of(1f, 1f, 1f));
        m.put("frozen", frozen);
        m.put("nograd", Tensor.of(4f, 5f).requiresGrad(true));
        return m;
    }

    static void gradients(Map<String, Tensor> p, int step) {
        float[] w = p.get("w").data();
        float[] g = new float[w.length];
        for (int i = 0; i < g.length; i++) g[i] = 2 * w[i] - 0.3f * (i + 1) + 0.01f * step;
        p.get("w").setGrad(Tensor.wrap(g, 2, 2));
    }

    static Optimizer make(Row row, Map<String, Tensor> p) {
        return row.make.apply(List.of(new ParamGroup(p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void frozenAndGradlessParametersAreUntouchedAndStateless(Row row) {
        Map<String, Tensor> p = params();
        Optimizer opt = make(row, p);
        float[] w0 = p.get("w").toArray();
        for (int s = 0; s < 3; s++) {
            gradients(p, s);
            opt.step();
        }
        assertArrayEquals(new float[] {1f, 2f, 3f}, p.get("frozen").data());
        assertArrayEquals(new float[] {4f, 5f}, p.get("nograd").data());
        assertNull(opt.state("frozen"));
        assertNull(opt.state("nograd"));
        assertFalse(java.util.Arrays.equals(w0, p.get("w").data()), "the trained parameter moved");
        assertEquals(row.state, stateNames(opt.stateDict(), "w"));
    }

    @SuppressWarnings("unchecked")
    static Set<String> stateNames(Map<String, Object> sd, String param) {
        return ((Map<String, Map<String, Object>>) sd.get("state")).get(param).keySet();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badHyperParametersAreRefusedNamingTheParameter(Row row) {
        for (Bad b : row.bad) {
            ParamGroup g = new ParamGroup(params());
            if (b.value instanceof Double d) g.with(b.key, d);
            else g.with(b.key, (Boolean) b.value);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> row.make.apply(List.of(g)), b.toString());
            assertTrue(e.getMessage().startsWith(row.name + ": ") && e.getMessage().contains(b.message), e.getMessage());
            assertTrue(e.getMessage().contains(b.key), e.getMessage());

            Optimizer ok = make(row, params());
            ParamGroup live = ok.paramGroups().get(0);
            Object before = live.options().get(b.key);
            IllegalArgumentException later = assertThrows(IllegalArgumentException.class, () -> live.set(b.key, (Double) b.value));
            assertTrue(later.getMessage().contains(b.key), later.getMessage());
            assertEquals(before, live.options().get(b.key), "a refused value leaves the group unchanged");
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> row.make.apply(List.of(new ParamGroup(params()).with("lrr", 0.1))));
        assertTrue(unknown.getMessage().contains("unknown hyper-parameter 'lrr'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> make(row, params()).paramGroups().get(0).set("lrr", 0.1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void stateDictRoundTripIsBitIdentical(Row row) {
        Map<String, Tensor> a = params(), b = params();
        Optimizer oa = make(row, a);
        for (int s = 0; s < 4; s++) {
            gradients(a, s);
            oa.step();
        }
        Map<String, Object> saved = oa.stateDict();
        System.arraycopy(a.get("w").data(), 0, b.get("w").data(), 0, 4);
        Optimizer ob = make(row, b);
        ob.loadStateDict(saved);
        for (int s = 4; s < 8; s++) {
            gradients(a, s);
            gradients(b, s);
            oa.step();
            ob.step();
        }
        assertArrayEquals(a.get("w").data(), b.get("w").data());
        assertEquals(oa.state("w").step(), ob.state("w").step());
        for (String k : oa.state("w").tensors().keySet()) {
            assertArrayEquals(oa.state("w").get(k).data(), ob.state("w").get(k).data(), k);
        }
        saved.put("param_groups", List.of());
        assertThrows(IllegalArgumentException.class, () -> ob.loadStateDict(saved));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @SuppressWarnings("unchecked")
    void loadingChecksNamesAndShapes(Row row) {
        Map<String, Tensor> p = params();
        Optimizer opt = make(row, p);
        gradients(p, 0);
        opt.step();
        Map<String, Object> sd = opt.stateDict();
        Map<String, Object> wState = ((Map<String, Map<String, Object>>) sd.get("state")).get("w");
        String buffer = wState.keySet().stream().filter(k -> !k.equals("step") && !k.equals("mu_product")).findFirst().orElseThrow();
        Object good = wState.get(buffer);
        wState.put(buffer, Tensor.zeros(4));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
        assertTrue(shape.getMessage().contains("'" + buffer + "'") && shape.getMessage().contains("'w'")
                && shape.getMessage().contains("[4]") && shape.getMessage().contains("[2, 2]"), shape.getMessage());
        wState.put(buffer, good);

        Map<String, Map<String, Object>> st = (Map<String, Map<String, Object>>) sd.get("state");
        st.put("ghost", st.get("w"));
        IllegalArgumentException ghost = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
        assertTrue(ghost.getMessage().contains("'ghost'"), ghost.getMessage());
        st.remove("ghost");

        wState.put("bogus", Tensor.zeros(2, 2));
        IllegalArgumentException bogus = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
        assertTrue(bogus.getMessage().contains("unknown state 'bogus'"), bogus.getMessage());
        wState.remove("bogus");

        List<Map<String, Object>> groups = (List<Map<String, Object>>) sd.get("param_groups");
        groups.get(0).put("params", List.of("w", "frozen", "renamed"));
        IllegalArgumentException renamed = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
        assertTrue(renamed.getMessage().contains("'renamed'"), renamed.getMessage());
        groups.get(0).put("params", List.of("w", "frozen", "nograd"));
        groups.get(0).put("lr", -1.0);
        double lr = opt.paramGroups().get(0).lr();
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
        assertEquals(lr, opt.paramGroups().get(0).lr(), "a refused load changes nothing");
        groups.get(0).put("lr", 0.5);
        opt.loadStateDict(sd);
        assertEquals(0.5, opt.paramGroups().get(0).lr());
    }

    /** maximize on −∇f follows exactly the trajectory of minimizing f. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void maximizingTheNegationIsMinimizing(Row row) {
        Map<String, Tensor> a = params(), b = params();
        Optimizer min = make(row, a);
        ParamGroup g = new ParamGroup(b).with("maximize", true);
        Optimizer max = row.make.apply(List.of(g));
        for (int s = 0; s < 5; s++) {
            gradients(a, s);
            gradients(b, s);
            float[] gb = b.get("w").grad().data();
            for (int i = 0; i < gb.length; i++) gb[i] = -gb[i];
            min.step();
            max.step();
        }
        assertArrayEquals(a.get("w").data(), b.get("w").data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void groupsAreValidatedAndNamesAreUnique(Row row) {
        Map<String, Tensor> p = params();
        Optimizer opt = make(row, p);
        Map<String, Tensor> again = new LinkedHashMap<>();
        again.put("w", Tensor.zeros(1).requiresGrad(true));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(new ParamGroup(again)));
        assertTrue(dup.getMessage().contains("'w' appears in more than one parameter group"), dup.getMessage());
        Map<String, Tensor> alias = new LinkedHashMap<>();
        alias.put("w2", p.get("w"));
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(new ParamGroup(alias)));
        assertThrows(IllegalArgumentException.class, () -> row.make.apply(List.of()));

        Map<String, Tensor> extra = new LinkedHashMap<>();
        extra.put("head", Tensor.of(1f, 1f).requiresGrad(true));
        ParamGroup head = new ParamGroup(extra).with("lr", 0.5);
        opt.addParamGroup(head);
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.5, opt.paramGroups().get(1).lr());
        assertEquals(opt.paramGroups().get(0).options().keySet(), opt.paramGroups().get(1).options().keySet());
        extra.get("head").setGrad(Tensor.of(1f, -1f));
        gradients(p, 0);
        opt.step();
        assertNotNull(opt.state("head"));
        opt.zeroGrad();
        for (Tensor t : opt.namedParameters().values()) assertNull(t.grad());
    }

    @Test
    void paramGroupReadsAndWritesByName() {
        ParamGroup g = new SGD(params(), 0.1).paramGroups().get(0);
        assertEquals(0.1, g.get("lr"));
        assertFalse(g.flag("nesterov"));
        g.lr(0.2);
        assertEquals(0.2, g.lr());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> g.get("beta1"));
        assertTrue(unknown.getMessage().contains("unknown hyper-parameter 'beta1'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.flag("lr"));
        assertThrows(IllegalArgumentException.class, () -> g.get("nesterov"));
        assertThrows(IllegalArgumentException.class, () -> g.set("nesterov", 1.0));
        IllegalArgumentException nesterov = assertThrows(IllegalArgumentException.class, () -> g.set("nesterov", true));
        assertTrue(nesterov.getMessage().contains("nesterov requires momentum > 0"), nesterov.getMessage());
        assertFalse(g.flag("nesterov"));
        assertThrows(IllegalArgumentException.class, () -> new ParamGroup(Map.of("y", Tensor.ones(2).requiresGrad(true).mul(2f))));
    }

    /** AdamW is Adam with decoupled decay: with weight_decay 0 the two are the same optimizer. */
    @Test
    void adamWWithoutDecayIsAdam() {
        Map<String, Tensor> a = params(), b = params();
        Optimizer adam = new Adam(List.of(new ParamGroup(a)), 0.05, 0.9, 0.999, 1e-8, 0, true, false);
        Optimizer adamW = new AdamW(List.of(new ParamGroup(b)), 0.05, 0.9, 0.999, 1e-8, 0, true, false);
        for (int s = 0; s < 6; s++) {
            gradients(a, s);
            gradients(b, s);
            adam.step();
            adamW.step();
        }
        assertArrayEquals(a.get("w").data(), b.get("w").data());
        assertEquals(0.01, new AdamW(params(), 1e-3).paramGroups().get(0).get("weight_decay"));
        assertEquals(0.0, new Adam(params(), 1e-3).paramGroups().get(0).get("weight_decay"));
    }

    /** The lecture's EMA momentum v = βv + (1−β)g is dampening = β (after PyTorch's first step, which starts v at g). */
    @Test
    void dampeningIsTheLecturesEmaMomentum() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("x", Tensor.of(1f).requiresGrad(true));
        SGD sgd = new SGD(p, 0.1, 0.9, 0.9, 0, false);
        float v = 0, x = 1;
        float[] grads = {1f, 0.5f, -0.25f, 2f};
        for (int i = 0; i < grads.length; i++) {
            p.get("x").setGrad(Tensor.of(grads[i]));
            sgd.step();
            v = i == 0 ? grads[i] : Math.fma(0.1f, grads[i], v * 0.9f);
            x = Math.fma(-0.1f, v, x);
            assertEquals(x, p.get("x").data()[0]);
        }
    }
}
