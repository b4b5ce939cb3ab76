package io.descent.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One PyTorch golden case (fixtures written by tools/golden/gen_ops.py): the Descent op runs on
 * the fixture's inputs {@code <name>.<input>}, then its output must match {@code <name>.y} and,
 * after {@code backward(<name>.g)}, every {@code <name>.grad_<input>}. An input is
 * differentiable exactly when the fixture holds its gradient.
 */
record GoldenCase(String name, Function<GoldenCase.Inputs, Tensor> op) {
    static final double ATOL = 1e-5, RTOL = 1e-4;

    /** A case whose op reads its inputs by name. */
    static GoldenCase c(String name, Function<Inputs, Tensor> op) {
        return new GoldenCase(name, op);
    }

    /** A case with one input named {@code x}. */
    static GoldenCase unary(String name, UnaryOperator<Tensor> op) {
        return c(name, in -> op.apply(in.t("x")));
    }

    /** A case with two inputs named {@code a} and {@code b}. */
    static GoldenCase binary(String name, BinaryOperator<Tensor> op) {
        return c(name, in -> op.apply(in.t("a"), in.t("b")));
    }

    @Override
    public String toString() {
        return name;
    }

    /** A case's inputs by name: fresh copies, requiring grad where PyTorch computed a gradient. */
    record Inputs(String caseName, Map<String, Tensor> byName) {
        Tensor t(String key) {
            Tensor t = byName.get(key);
            if (t == null) throw new IllegalStateException(caseName + ": fixture has no input '" + key + "'; it has " + byName.keySet());
            return t;
        }

        /** Class-index targets, stored as floats in the fixture. */
        int[] ints(String key) {
            float[] v = t(key).data();
            int[] out = new int[v.length];
            for (int i = 0; i < v.length; i++) out[i] = Math.round(v[i]);
            return out;
        }
    }

    void check(Map<String, Tensor> fixture) {
        check(fixture, ATOL, RTOL);
    }

    /** Runs the op forward and backward and compares output and every gradient with PyTorch's. */
    void check(Map<String, Tensor> fixture, double atol, double rtol) {
        String p = name + ".";
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String key : fixture.keySet()) {
            if (!key.startsWith(p)) continue;
            String k = key.substring(p.length());
            if (k.equals("y") || k.equals("g") || k.startsWith("grad_")) continue;
            inputs.put(k, fixture.get(key).copy().requiresGrad(fixture.containsKey(p + "grad_" + k)));
        }
        Tensor y = op.apply(new Inputs(name, inputs));
        Golden.assertClose(name + " y", Golden.get(fixture, p + "y"), y, atol, rtol);
        inputs.forEach((k, t) -> assertArrayEquals(fixture.get(p + k).data(), t.data(), name + ": the op modified its input " + k));
        if (!fixture.containsKey(p + "g")) return;
        y.backward(Golden.get(fixture, p + "g"));
        inputs.forEach((k, t) -> {
            if (!t.requiresGrad()) return;
            assertNotNull(t.grad(), name + ": no gradient reached input " + k);
            Golden.assertClose(name + " grad_" + k, Golden.get(fixture, p + "grad_" + k), t.grad(), atol, rtol);
        });
    }

    /** Every case of the fixture has a row (enabled or disabled), and every row a fixture case. */
    static void assertCovers(Map<String, Tensor> fixture, Stream<GoldenCase> rows) {
        Set<String> inFixture = fixture.keySet().stream().filter(k -> k.endsWith(".y"))
                .map(k -> k.substring(0, k.length() - 2)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inTable = rows.map(GoldenCase::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inFixture, inTable, "fixture cases vs Java rows");
    }
}
