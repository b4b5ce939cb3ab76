package io.descent.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A backward pass run inside a node's backward (as gradient checkpointing's recomputation
 * does) reaching a leaf the outer pass is also sending a gradient to.
 */
class NestedBackwardTest {
    /** 3w, whose backward first runs a backward of its own through w: 5w, adding 5 to w.grad. */
    private static Tensor tripleWithInnerBackward(Tensor w) {
        Tensor out = Tensor.wrap(w.mul(3f).toArray(), w.shape());
        return Autograd.record(out, new Node(w) {
            @Override
            protected Tensor[] backward(Tensor g) {
                try (var on = GradMode.enableGrad()) {
                    w.mul(5f).sum().backward();
                }
                return new Tensor[] {g.mul(3f)};
            }
        });
    }

    @Test
    void anInnerPassReachingALeafTheOuterPassHasPendingKeepsBothGradients() {
        // d/dw of sum(2w) + sum(3w) is 5; the inner pass adds another 5. Both orders of the
        // terms: the outer pass reaches w's sink through the plain product first or second.
        for (boolean innerFirst : new boolean[] {false, true}) {
            Tensor w = Tensor.of(1f, 2f, 3f).requiresGrad(true);
            Tensor plain = w.mul(2f).sum(), nested = tripleWithInnerBackward(w).sum();
            (innerFirst ? nested.add(plain) : plain.add(nested)).backward();
            assertArrayEquals(new float[] {10, 10, 10}, w.grad().toArray(), 0f, "inner first: " + innerFirst);
        }
    }
}
