package io.descent.train;

import io.descent.nn.Dropout;
import io.descent.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/** The random generators inside a model (dropout masks), by module path, for checkpoints. */
final class RngStates {
    private RngStates() {}

    static Map<String, Object> capture(Module model) {
        Map<String, Object> out = new LinkedHashMap<>();
        model.namedModules().forEach((path, m) -> {
            if (m instanceof Dropout d) out.put(path.isEmpty() ? "_" : path, d.rng().state());
        });
        return out;
    }

    static void restore(Module model, Map<String, Object> states) {
        if (states == null) return;
        model.namedModules().forEach((path, m) -> {
            if (m instanceof Dropout d && states.get(path.isEmpty() ? "_" : path) instanceof long[] s) d.rng().restore(s);
        });
    }
}
