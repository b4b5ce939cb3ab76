package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.Parallel;
import io.descent.tensor.Tensor;

/**
 * The shared machinery of element-wise unary ops: a forward {@code y = f(x)} and a local
 * derivative {@code dy/dx} written in terms of x and/or y. Each op says which of the two its
 * backward needs, and only that one is saved on the tape.
 */
abstract class Pointwise {
    enum Saves { INPUT, OUTPUT, BOTH }

    final String name;
    final Saves saves;

    Pointwise(String name, Saves saves) {
        this.name = name;
        this.saves = saves;
    }

    abstract float f(float x);

    /** dy/dx at input x with output y. */
    abstract float df(float x, float y);

    Tensor apply(Tensor a) {
        float[] x = a.data();
        float[] y = new float[x.length];
        Parallel.forRange(x.length, 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) y[i] = f(x[i]);
        });
        Tensor out = Tensor.wrap(y, a.shape());
        if (!Autograd.needsGrad(a)) return out;
        Tensor outData = out.detach();
        return Autograd.record(out, new Node(a) {
            {
                switch (saves) {
                    case INPUT -> save(a, null);
                    case OUTPUT -> save(null, outData);
                    case BOTH -> save(a, outData);
                }
            }

            @Override
            public String name() {
                return name + "Backward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] g = gOut.data();
                float[] xs = saved(0) == null ? null : saved(0).data();
                float[] ys = saved(1) == null ? null : saved(1).data();
                float[] gx = new float[g.length];
                Parallel.forRange(g.length, 1 << 15, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        gx[i] = g[i] * df(xs == null ? 0f : xs[i], ys == null ? 0f : ys[i]);
                    }
                });
                return new Tensor[] {Tensor.wrap(gx, gOut.shape())};
            }
        });
    }
}
