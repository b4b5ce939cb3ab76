package io.descent.ops;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.descent.autograd.GradCheck;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.function.Function;

/** Shared helpers for gradient-check tests. */
public final class GradCheckSupport {
    private GradCheckSupport() {}

    /** A random input in [-1, 1) that requires grad. */
    public static Tensor input(long seed, int... shape) {
        return Tensor.uniform(new Rng(seed), -1f, 1f, shape).requiresGrad(true);
    }

    /** A random input in [lo, hi) that requires grad. */
    public static Tensor input(long seed, float lo, float hi, int... shape) {
        return Tensor.uniform(new Rng(seed), lo, hi, shape).requiresGrad(true);
    }

    public static void assertGradients(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Mismatch m = GradCheck.check(f, inputs);
        assertNull(m, () -> what + ": " + m);
    }

    /** One case of a parameterized gradient check: {@code f} of {@code inputs}, listed by its name. */
    public record Case(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        @Override
        public String toString() {
            return name;
        }

        /** The analytic gradients of every input match finite differences. */
        public void check() {
            assertGradients(name, f, inputs);
        }
    }

    public static Case c(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return new Case(name, f, inputs);
    }
}
