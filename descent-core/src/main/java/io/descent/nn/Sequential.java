package io.descent.nn;

import io.descent.tensor.Tensor;
import java.util.Arrays;

/** Runs its children in order; they are named "0", "1", ... as in PyTorch. */
public class Sequential extends Module {
    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a layer under the next index. */
    public final Sequential add(Module m) {
        registerModule(Integer.toString(children().size()), m);
        return this;
    }

    /** Appends a layer under a name of its own (PyTorch's OrderedDict form). */
    public final Sequential add(String name, Module m) {
        registerModule(name, m);
        return this;
    }

    public final int size() {
        return children().size();
    }

    /**
     * Runs the children in order; a {@link FusesRelu} layer followed by {@link Activation#relu()}
     * runs as one fused op (same values and gradients, one array and one pass fewer), a Conv2d,
     * a ReLU and a {@link MaxPool2d} as one op that keeps only the pooled output, and a
     * Conv2d followed by a BatchNorm2d (and a ReLU) as one convolution when
     * {@link ConvBatchNormFold#applies} (evaluation without gradients): {@link LayerFusion}.
     * Without gradients, each activation between the children goes back to the buffer pool
     * once the next child has read it ({@link Intermediates}).
     */
    @Override
    public Tensor forward(Tensor x) {
        Module[] layers = children().values().toArray(Module[]::new);
        Intermediates chain = new Intermediates(x);
        for (int i = 0; i < layers.length; ) {
            LayerFusion.Step s = LayerFusion.forward(layers[i], i + 1 < layers.length ? layers[i + 1] : null, i + 2 < layers.length ? layers[i + 2] : null, x);
            x = chain.next(x, s.output(), Arrays.copyOfRange(layers, i, i + s.layers()));
            i += s.layers();
        }
        return x;
    }
}
