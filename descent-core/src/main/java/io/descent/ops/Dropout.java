package io.descent.ops;

import io.descent.autograd.Autograd;
import io.descent.autograd.Node;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;

/** Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p). */
public final class Dropout {
    private Dropout() {}

    /**
     * Identity unless {@code training}. The mask is drawn from {@code rng}, so a run (and a
     * checkpointed recomputation that restores the generator) replays the same mask.
     */
    public static Tensor dropout(Tensor a, float p, boolean training, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
        if (!training || p == 0f) return a;
        float[] x = a.data(), y = new float[x.length];
        float scale = p == 1f ? 0f : 1f / (1f - p);
        float[] mask = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            mask[i] = rng.nextFloat() >= p ? scale : 0f;
            y[i] = x[i] * mask[i];
        }
        Tensor out = Tensor.wrap(y, a.shape());
        if (!Autograd.needsGrad(a)) return out;
        return Autograd.record(out, new Node(a) {
            {
                save(Tensor.wrap(mask, a.shape()));
            }

            @Override
            public String name() {
                return "DropoutBackward";
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                float[] gd = g.data(), m = saved(0).data(), gx = new float[gd.length];
                for (int i = 0; i < gd.length; i++) gx[i] = gd[i] * m[i];
                return new Tensor[] {Tensor.wrap(gx, g.shape())};
            }
        });
    }
}
