package io.descent.optim;

import io.descent.Golden;
import io.descent.ops.Losses;
import io.descent.ops.MatMul;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer and option set against PyTorch 1.13 (tools/golden/gen_optim.py): 50 steps
 * on an ill-conditioned quadratic and on a 4-6-3 tanh MLP, parameters compared after every
 * step within 1e-5 relative (+1e-6). Both sides feed the same float32 gradient (computed in
 * float64), so what is compared is the optimizers' arithmetic; in practice it is
 * bit-identical. One row per case; the rows mirror the generator's table.
 */
class OptimizerParityTest {
    static final double RTOL = 1e-5, ATOL = 1e-6, ENGINE_RTOL = 1e-4, ENGINE_ATOL = 1e-5;
    static final int STEPS = 50, ENGINE_STEPS = 30;
    static final Map<String, Tensor> DATA = Golden.load("optim_problems");

    /** A case: the optimizer for each problem, and the second group's overrides (null: one group). */
    record Row(String optimizer, String name, Function<List<ParamGroup>, Optimizer> quad,
               Function<List<ParamGroup>, Optimizer> mlp, UnaryOperator<ParamGroup> secondGroup, boolean negate) {
        Row groups(UnaryOperator<ParamGroup> second) {
            return new Row(optimizer, name, quad, mlp, second, negate);
        }

        Row negated() {
            return new Row(optimizer, name, quad, mlp, secondGroup, true);
        }
    }

    static Row row(String optimizer, String name, Function<List<ParamGroup>, Optimizer> quad, Function<List<ParamGroup>, Optimizer> mlp) {
        return new Row(optimizer, name, quad, mlp, null, false);
    }

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        r.add(row("sgd", "plain", g -> new SGD(g, 0.015, 0, 0, 0, false, false), g -> new SGD(g, 0.5, 0, 0, 0, false, false)));
        r.add(row("sgd", "momentum", g -> new SGD(g, 0.015, 0.9, 0, 0, false, false), g -> new SGD(g, 0.3, 0.9, 0, 0, false, false)));
        r.add(row("sgd", "dampening", g -> new SGD(g, 0.015, 0.9, 0.9, 0, false, false), g -> new SGD(g, 0.5, 0.9, 0.9, 0, false, false)));
        r.add(row("sgd", "nesterov", g -> new SGD(g, 0.008, 0.9, 0, 0, true, false), g -> new SGD(g, 0.3, 0.9, 0, 0, true, false)));
        r.add(row("sgd", "weight_decay", g -> new SGD(g, 0.015, 0.5, 0, 0.5, false, false), g -> new SGD(g, 0.3, 0.5, 0, 0.05, false, false)));
        r.add(row("sgd", "maximize", g -> new SGD(g, 0.015, 0.9, 0, 0, false, true), g -> new SGD(g, 0.3, 0.9, 0, 0, false, true)).negated());
        r.add(row("sgd", "groups", g -> new SGD(g, 0.015, 0.9, 0, 0, false, false), g -> new SGD(g, 0.3, 0.9, 0, 0, false, false))
                .groups(s -> s.with("lr", 0.002).with("momentum", 0.5)));

        r.add(row("adagrad", "plain", g -> new Adagrad(g, 0.5, 0, 0, 0, 1e-10, false), g -> new Adagrad(g, 0.5, 0, 0, 0, 1e-10, false)));
        r.add(row("adagrad", "decay", g -> new Adagrad(g, 0.5, 0.05, 0.1, 0.1, 1e-10, false), g -> new Adagrad(g, 0.5, 0.05, 0.01, 0.1, 1e-10, false)));
        r.add(row("adagrad", "maximize", g -> new Adagrad(g, 0.5, 0, 0, 0, 1e-10, true), g -> new Adagrad(g, 0.5, 0, 0, 0, 1e-10, true)).negated());
        r.add(row("adagrad", "groups", g -> new Adagrad(g, 0.5, 0, 0, 0, 1e-10, false), g -> new Adagrad(g, 0.5, 0, 0, 0, 1e-10, false))
                .groups(s -> s.with("lr", 0.05).with("eps", 1e-3)));

        r.add(row("rmsprop", "plain", g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, false, false), g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, false, false)));
        r.add(row("rmsprop", "centered", g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, true, false), g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, true, false)));
        r.add(row("rmsprop", "momentum", g -> new RMSprop(g, 0.01, 0.9, 1e-8, 0, 0.9, false, false), g -> new RMSprop(g, 0.01, 0.9, 1e-8, 0, 0.9, false, false)));
        r.add(row("rmsprop", "centered_momentum_wd", g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0.1, 0.5, true, false),
                g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0.01, 0.5, true, false)));
        r.add(row("rmsprop", "maximize", g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, false, true), g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, false, true)).negated());
        r.add(row("rmsprop", "groups", g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, false, false), g -> new RMSprop(g, 0.01, 0.99, 1e-8, 0, 0, false, false))
                .groups(s -> s.with("lr", 0.001).with("centered", true)));

        r.add(row("adam", "plain", g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0, false, false), g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0, false, false)));
        r.add(row("adam", "weight_decay", g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0.5, false, false), g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0.05, false, false)));
        r.add(row("adam", "amsgrad", g -> new Adam(g, 0.05, 0.8, 0.99, 1e-8, 0, true, false), g -> new Adam(g, 0.05, 0.8, 0.99, 1e-8, 0, true, false)));
        r.add(row("adam", "maximize", g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0, false, true), g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0, false, true)).negated());
        r.add(row("adam", "groups", g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0, false, false), g -> new Adam(g, 0.05, 0.9, 0.999, 1e-8, 0, false, false))
                .groups(s -> s.with("lr", 0.005).with("beta1", 0.5).with("beta2", 0.9)));

        r.add(row("adamw", "plain", g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 1e-2, false, false), g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 1e-2, false, false)));
        r.add(row("adamw", "weight_decay", g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 0.5, false, false), g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 0.5, false, false)));
        r.add(row("adamw", "amsgrad", g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 0.1, true, false), g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 0.1, true, false)));
        r.add(row("adamw", "maximize", g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 1e-2, false, true), g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 1e-2, false, true)).negated());
        r.add(row("adamw", "groups", g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 1e-2, false, false), g -> new AdamW(g, 0.05, 0.9, 0.999, 1e-8, 1e-2, false, false))
                .groups(s -> s.with("lr", 0.005).with("weight_decay", 0.0)));

        r.add(row("nadam", "plain", g -> new NAdam(g, 0.05, 0.9, 0.999, 1e-8, 0, 4e-3, false), g -> new NAdam(g, 0.05, 0.9, 0.999, 1e-8, 0, 4e-3, false)));
        r.add(row("nadam", "weight_decay", g -> new NAdam(g, 0.05, 0.9, 0.999, 1e-8, 0.5, 0.01, false), g -> new NAdam(g, 0.05, 0.9, 0.999, 1e-8, 0.05, 0.01, false)));
        r.add(row("nadam", "groups", g -> new NAdam(g, 0.05, 0.9, 0.999, 1e-8, 0, 4e-3, false), g -> new NAdam(g, 0.05, 0.9, 0.999, 1e-8, 0, 4e-3, false))
                .groups(s -> s.with("lr", 0.005).with("beta1", 0.5).with("beta2", 0.9)));

        r.add(row("adamax", "plain", g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0, false), g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0, false)));
        r.add(row("adamax", "weight_decay", g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0.5, false), g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0.05, false)));
        r.add(row("adamax", "maximize", g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0, true), g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0, true)).negated());
        r.add(row("adamax", "groups", g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0, false), g -> new Adamax(g, 0.05, 0.9, 0.999, 1e-8, 0, false))
                .groups(s -> s.with("lr", 0.005).with("beta1", 0.5).with("beta2", 0.9)));

        r.add(row("adadelta", "plain", g -> new Adadelta(g, 5.0, 0.9, 1e-6, 0, false), g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0, false)));
        r.add(row("adadelta", "rho_wd", g -> new Adadelta(g, 2.0, 0.5, 1e-6, 0.1, false), g -> new Adadelta(g, 2.0, 0.5, 1e-6, 0.01, false)));
        r.add(row("adadelta", "maximize", g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0, true), g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0, true)).negated());
        r.add(row("adadelta", "groups", g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0, false), g -> new Adadelta(g, 1.0, 0.9, 1e-6, 0, false))
                .groups(s -> s.with("lr", 0.1).with("rho", 0.5)));
        return r;
    }

    static Stream<Arguments> cases() {
        return rows().stream().flatMap(r -> Stream.of(Arguments.of(r.optimizer + "/" + r.name + "/quad", r, "quad"),
                Arguments.of(r.optimizer + "/" + r.name + "/mlp", r, "mlp")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAtEveryStep(String id, Row row, String problem) {
        Problem pb = problem.equals("quad") ? new Quadratic() : new Mlp();
        assertTrajectory(id, row, problem, pb, STEPS, ATOL, RTOL);
    }

    static Stream<Arguments> mlpCases() {
        return rows().stream().map(r -> Arguments.of(r.optimizer + "/" + r.name + "/mlp-descent-ops", r));
    }

    /**
     * The MLP rows again, with the gradient from Descent's own float32 forward and backward
     * passes. Their last-bit differences from the float64 gradient grow with training (NAdam
     * at lr 0.05 moves 1e-3 away by step 46), so this checks the first 30 steps, within
     * 1e-4 relative + 1e-5.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mlpCases")
    void tracksPyTorchThroughDescentOps(String id, Row row) {
        assertTrajectory(id, row, "mlp", new EngineMlp(), ENGINE_STEPS, ENGINE_ATOL, ENGINE_RTOL);
    }

    static void assertTrajectory(String id, Row row, String problem, Problem pb, int steps, double atol, double rtol) {
        List<ParamGroup> groups = new ArrayList<>();
        if (row.secondGroup == null) {
            groups.add(new ParamGroup(pb.params()));
        } else {
            groups.add(new ParamGroup(pb.firstGroup()));
            groups.add(row.secondGroup.apply(new ParamGroup(pb.secondGroup())));
        }
        Optimizer opt = (problem.equals("quad") ? row.quad : row.mlp).apply(groups);
        Tensor expected = Golden.get(Golden.load("optim_" + row.optimizer), row.name + "." + problem);
        int n = expected.size(1);
        for (int step = 0; step <= steps; step++) {
            if (step > 0) {
                pb.computeGradients(row.negate);
                opt.step();
            }
            float[] want = new float[n];
            System.arraycopy(expected.data(), step * n, want, 0, n);
            float[] got = pb.flat();
            Golden.assertClose(id + " after step " + step, Tensor.wrap(want, n), Tensor.wrap(got, n), atol, rtol);
        }
    }

    /** A small problem whose parameters an optimizer trains. */
    interface Problem {
        Map<String, Tensor> params();

        Map<String, Tensor> firstGroup();

        Map<String, Tensor> secondGroup();

        /** Fills every parameter's gradient (of −f when {@code negate}). */
        void computeGradients(boolean negate);

        default float[] flat() {
            int n = params().values().stream().mapToInt(Tensor::numel).sum();
            float[] out = new float[n];
            int off = 0;
            for (Tensor p : params().values()) {
                System.arraycopy(p.data(), 0, out, off, p.numel());
                off += p.numel();
            }
            return out;
        }

        static Map<String, Tensor> pick(Map<String, Tensor> all, String... names) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (String s : names) m.put(s, all.get(s));
            return m;
        }
    }

    /** f(x) = ½xᵀAx − bᵀx over x = [u (6), v (2×2)], gradient in double rounded to float (as the generator). */
    static final class Quadratic implements Problem {
        final Map<String, Tensor> params = new LinkedHashMap<>();
        final float[] a = Golden.get(DATA, "quad.A").data(), b = Golden.get(DATA, "quad.b").data();

        Quadratic() {
            float[] x0 = Golden.get(DATA, "quad.x0").data();
            float[] u = new float[6], v = new float[4];
            System.arraycopy(x0, 0, u, 0, 6);
            System.arraycopy(x0, 6, v, 0, 4);
            params.put("u", Tensor.wrap(u, 6).requiresGrad(true));
            params.put("v", Tensor.wrap(v, 2, 2).requiresGrad(true));
        }

        public Map<String, Tensor> params() {
            return params;
        }

        public Map<String, Tensor> firstGroup() {
            return Problem.pick(params, "u");
        }

        public Map<String, Tensor> secondGroup() {
            return Problem.pick(params, "v");
        }

        public void computeGradients(boolean negate) {
            float[] x = flat();
            int n = x.length;
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += (double) a[i * n + j] * x[j];
                g[i] = (float) (s - b[i]);
                if (negate) g[i] = -g[i];
            }
            params.get("u").setGrad(Tensor.wrap(java.util.Arrays.copyOfRange(g, 0, 6), 6));
            params.get("v").setGrad(Tensor.wrap(java.util.Arrays.copyOfRange(g, 6, 10), 2, 2));
        }
    }

    /**
     * A 4-6-3 tanh MLP with mean cross-entropy on 16 fixed points. The gradient is computed in
     * double and rounded to float, as the generator does, so that the comparison tests the
     * optimizer alone; {@link EngineMlp} runs the same network through Descent's float32 ops.
     */
    static class Mlp implements Problem {
        final Map<String, Tensor> params = new LinkedHashMap<>();
        final Tensor x = Golden.get(DATA, "mlp.x");
        final int[] y;

        Mlp() {
            for (String k : new String[] {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}) {
                params.put(k, Golden.get(DATA, "mlp." + k).copy().requiresGrad(true));
            }
            float[] yf = Golden.get(DATA, "mlp.y").data();
            y = new int[yf.length];
            for (int i = 0; i < y.length; i++) y[i] = (int) yf[i];
        }

        public Map<String, Tensor> params() {
            return params;
        }

        public Map<String, Tensor> firstGroup() {
            return Problem.pick(params, "fc1.weight", "fc2.weight");
        }

        public Map<String, Tensor> secondGroup() {
            return Problem.pick(params, "fc1.bias", "fc2.bias");
        }

        public void computeGradients(boolean negate) {
            float[] w1 = params.get("fc1.weight").data(), b1 = params.get("fc1.bias").data();
            float[] w2 = params.get("fc2.weight").data(), b2 = params.get("fc2.bias").data();
            float[] xs = x.data();
            int n = y.length, in = 4, hid = 6, out = 3;
            double[] gw1 = new double[hid * in], gb1 = new double[hid], gw2 = new double[out * hid], gb2 = new double[out];
            for (int s = 0; s < n; s++) {
                double[] h = new double[hid], z = new double[out], dz = new double[out];
                for (int j = 0; j < hid; j++) {
                    double a = b1[j];
                    for (int k = 0; k < in; k++) a += (double) xs[s * in + k] * w1[j * in + k];
                    h[j] = Math.tanh(a);
                }
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < out; c++) {
                    double a = b2[c];
                    for (int j = 0; j < hid; j++) a += h[j] * w2[c * hid + j];
                    z[c] = a;
                    max = Math.max(max, a);
                }
                for (int c = 0; c < out; c++) sum += Math.exp(z[c] - max);
                for (int c = 0; c < out; c++) {
                    dz[c] = (Math.exp(z[c] - max) / sum - (c == y[s] ? 1 : 0)) / n * (negate ? -1 : 1);
                    gb2[c] += dz[c];
                    for (int j = 0; j < hid; j++) gw2[c * hid + j] += dz[c] * h[j];
                }
                for (int j = 0; j < hid; j++) {
                    double dh = 0;
                    for (int c = 0; c < out; c++) dh += dz[c] * w2[c * hid + j];
                    double da = dh * (1 - h[j] * h[j]);
                    gb1[j] += da;
                    for (int k = 0; k < in; k++) gw1[j * in + k] += da * xs[s * in + k];
                }
            }
            setGrad("fc1.weight", gw1);
            setGrad("fc1.bias", gb1);
            setGrad("fc2.weight", gw2);
            setGrad("fc2.bias", gb2);
        }

        private void setGrad(String name, double[] g) {
            Tensor p = params.get(name);
            float[] f = new float[g.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) g[i];
            p.setGrad(Tensor.wrap(f, p.shape()));
        }
    }

    /** The same MLP, forward and backward through Descent's float32 ops (MatMul.linear, tanh, cross-entropy). */
    static final class EngineMlp extends Mlp {
        @Override
        public void computeGradients(boolean negate) {
            params.values().forEach(Tensor::zeroGrad);
            Tensor h = MatMul.linear(x, params.get("fc1.weight"), params.get("fc1.bias")).tanh();
            Tensor out = MatMul.linear(h, params.get("fc2.weight"), params.get("fc2.bias"));
            Tensor loss = Losses.crossEntropy(out, y);
            (negate ? loss.neg() : loss).backward();
        }
    }
}
