package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;

/** where(condition, a, b) and masked_fill; a condition is a tensor whose non-zero entries are true. */
public final class Where {
    private Where() {}

    /** {@code condition ? a : b} element-wise, with broadcasting of all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        int[] s = Shape.broadcast("where", Shape.broadcast("where", condition.shape(), a.shape()), b.shape());
        float[] c = Broadcast.expand(condition.data(), condition.shape(), s);
        float[] x = Broadcast.expand(a.data(), a.shape(), s), y = Broadcast.expand(b.data(), b.shape(), s);
        float[] out = new float[c.length];
        for (int i = 0; i < out.length; i++) out[i] = c[i] != 0f ? x[i] : y[i];
        Tensor result = Tensor.wrap(out, s);
        if (!Autograd.needsGrad(a, b)) return result;
        int[] as = a.shape(), bs = b.shape();
        Tensor mask = Tensor.wrap(c == condition.data() ? c.clone() : c, s);
        return Autograd.record(result, new Node(a, b) {
            {
                save(mask);
            }

            @Override
            public String name() {
                return "WhereBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] g = gOut.data(), m = saved(0).data();
                Tensor ga = null, gb = null;
                if (needsGrad(0)) {
                    float[] t = new float[g.length];
                    for (int i = 0; i < g.length; i++) t[i] = m[i] != 0f ? g[i] : 0f;
                    ga = Tensor.wrap(Broadcast.sumTo(t, s, as), as);
                }
                if (needsGrad(1)) {
                    float[] t = new float[g.length];
                    for (int i = 0; i < g.length; i++) t[i] = m[i] != 0f ? 0f : g[i];
                    gb = Tensor.wrap(Broadcast.sumTo(t, s, bs), bs);
                }
                return new Tensor[] {ga, gb};
            }
        });
    }

    /** {@code a} with {@code value} where {@code mask} is non-zero. */
    public static Tensor maskedFill(Tensor a, Tensor mask, float value) {
        return where(mask, Tensor.scalar(value), a);
    }
}
