package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.kernels.Parallel;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.Arrays;

/** softmax and log_softmax over one dimension (max-shifted, so large logits are safe). */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor a, int dim) {
        return apply(a, dim, false);
    }

    public static Tensor logSoftmax(Tensor a, int dim) {
        return apply(a, dim, true);
    }

    private static Tensor apply(Tensor a, int dim, boolean log) {
        int[] s = a.shape();
        String op = log ? "log_softmax" : "softmax";
        int d = s.length == 0 ? 0 : Shape.dim(op, dim, s.length);
        int outer = Shape.numel(Arrays.copyOf(s, d)), r = s.length == 0 ? 1 : s[d];
        int inner = s.length == 0 ? 1 : Shape.numel(Arrays.copyOfRange(s, d + 1, s.length));
        float[] x = a.data(), y = new float[x.length];
        Parallel.forRange(outer * inner, 64, (from, to) -> {
            for (int row = from; row < to; row++) {
                int base = (row / inner) * r * inner + row % inner;
                rowForward(x, y, base, r, inner, log);
            }
        });
        Tensor out = Tensor.wrap(y, s);
        if (!Autograd.needsGrad(a)) return out;
        Tensor ys = out.detach();
        return Autograd.record(out, new Node(a) {
            {
                save(ys);
            }

            @Override
            public String name() {
                return log ? "LogSoftmaxBackward" : "SoftmaxBackward";
            }

            @Override
            protected Tensor[] backward(Tensor gOut) {
                float[] g = gOut.data(), yv = saved(0).data(), gx = new float[g.length];
                Parallel.forRange(outer * inner, 64, (from, to) -> {
                    for (int row = from; row < to; row++) {
                        int base = (row / inner) * r * inner + row % inner;
                        if (log) { // gx = g - softmax * sum(g)
                            double sg = 0;
                            for (int j = 0; j < r; j++) sg += g[base + j * inner];
                            for (int j = 0; j < r; j++) {
                                int i = base + j * inner;
                                gx[i] = (float) (g[i] - Math.exp(yv[i]) * sg);
                            }
                        } else {   // gx = y * (g - sum(g * y))
                            double dot = 0;
                            for (int j = 0; j < r; j++) dot += (double) g[base + j * inner] * yv[base + j * inner];
                            for (int j = 0; j < r; j++) {
                                int i = base + j * inner;
                                gx[i] = (float) (yv[i] * (g[i] - dot));
                            }
                        }
                    }
                });
                return new Tensor[] {Tensor.wrap(gx, s)};
            }
        });
    }

    /** One softmax row with stride {@code inner}; sums in double. */
    static void rowForward(float[] x, float[] y, int base, int r, int inner, boolean log) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < r; j++) max = Math.max(max, x[base + j * inner]);
        if (max == Float.NEGATIVE_INFINITY) max = 0;
        double sum = 0;
        for (int j = 0; j < r; j++) sum += Math.exp(x[base + j * inner] - max);
        if (log) {
            double lse = max + Math.log(sum);
            for (int j = 0; j < r; j++) y[base + j * inner] = (float) (x[base + j * inner] - lse);
        } else {
            for (int j = 0; j < r; j++) y[base + j * inner] = (float) (Math.exp(x[base + j * inner] - max) / sum);
        }
    }
}
