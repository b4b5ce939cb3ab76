package io.descent.models;

import io.descent.nn.Module;
import io.descent.tensor.Tensor;
import java.util.Map;

/**
 * The Java twin of tools/golden/gen_models.py's formula_weights: element i of state_dict
 * entry k gets 2u − 1, u the top 53 bits of SplitMix64((k << 32) + i), scaled by the entry's
 * role (He-uniform for weights). Integer math, so both languages agree exactly.
 */
final class FormulaWeights {
    private FormulaWeights() {}

    static void fill(Module model) {
        fill(model.stateDict());
    }

    /** Fills the tensors of a state dict in its order (entry k by its position, as in Python). */
    static void fill(Map<String, Tensor> state) {
        int k = 0;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            long idx = k++;
            if (name.endsWith("num_batches_tracked")) continue;
            float[] d = t.data();
            int fanIn = t.dim() >= 2 ? t.numel() / t.size(0) : 1;
            for (int i = 0; i < d.length; i++) {
                long z = (idx << 32) + i + 0x9E3779B97F4A7C15L;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                z = z ^ (z >>> 31);
                double v = 2 * ((z >>> 11) * 0x1.0p-53) - 1;
                if (name.endsWith("running_var")) v = 0.5 + 0.25 * (1 + v);
                else if (name.endsWith("running_mean")) v = 0.1 * v;
                else if (t.dim() == 1 && name.endsWith("weight")) v = 1 + 0.2 * v;
                else if (name.endsWith("bias")) v = 0.1 * v;
                else v = v * Math.sqrt(6.0 / fanIn);
                d[i] = (float) v;
            }
        }
    }
}
