package io.descent.ops;

import io.descent.Golden;
import io.descent.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reading the case-grouped fixtures of tools/golden/gen_conv.py: every case is the set of
 * tensors {@code <case>.<key>}, with its op arguments in {@code <case>.args}.
 */
final class GoldenCases {
    /** Tolerances of every spatial-op golden comparison. */
    static final double ATOL = 1e-5, RTOL = 1e-4;

    private GoldenCases() {}

    /** The case names of a fixture (those with an {@code .args} entry), optionally by prefix. */
    static Stream<String> names(Map<String, Tensor> fixture, String prefix) {
        return fixture.keySet().stream().filter(k -> k.endsWith(".args") && k.startsWith(prefix))
                .map(k -> k.substring(0, k.length() - ".args".length()));
    }

    /** The integer arguments of a case. */
    static int[] intArgs(Map<String, Tensor> fixture, String name) {
        float[] a = Golden.get(fixture, name + ".args").data();
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.round(a[i]);
        return r;
    }

    /** The float arguments of a case. */
    static float[] args(Map<String, Tensor> fixture, String name) {
        return Golden.get(fixture, name + ".args").data();
    }

    /** A fresh copy of {@code <case>.<key>} that requires grad, or null when the case has no such key. */
    static Tensor leaf(Map<String, Tensor> fixture, String name, String key) {
        Tensor t = fixture.get(name + "." + key);
        return t == null ? null : t.copy().requiresGrad(true);
    }

    /** A copy of {@code <case>.<key>} (no grad). */
    static Tensor value(Map<String, Tensor> fixture, String name, String key) {
        return Golden.get(fixture, name + "." + key).copy();
    }

    /** Compares {@code actual} with {@code <case>.<key>}. */
    static void expect(Map<String, Tensor> fixture, String name, String key, Tensor actual) {
        Golden.assertClose(name + " " + key, Golden.get(fixture, name + "." + key), actual, ATOL, RTOL);
    }

    /**
     * Back-propagates the case's {@code gy} from {@code y} and compares the gradient of each
     * input with {@code g<key>}; {@code keysAndInputs} alternates key and tensor (null skipped).
     */
    static void expectGrads(Map<String, Tensor> fixture, String name, Tensor y, Object... keysAndInputs) {
        y.backward(Golden.get(fixture, name + ".gy"));
        for (int i = 0; i < keysAndInputs.length; i += 2) {
            Tensor t = (Tensor) keysAndInputs[i + 1];
            if (t != null) expect(fixture, name, "g" + keysAndInputs[i], t.grad());
        }
    }
}
