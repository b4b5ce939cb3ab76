package io.descent.search;

import io.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named hyper-parameters ({@link Param}) and the trials a search runs over them: every
 * combination of their values ({@link #grid()}), or configurations drawn at random
 * ({@link #random}). A trial is the name → value map, in the order the parameters were given.
 */
public final class SearchSpace {
    private final Map<String, Param> params;

    public SearchSpace(Map<String, Param> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("a search needs at least one parameter");
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** From {@code NAME=SPEC} entries ({@link Param#parse}: {@code lr=log:1e-4:1e-1}, {@code batch=32,64}). */
    public static SearchSpace parse(List<String> entries) {
        Map<String, Param> m = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("search parameter '" + e + "' is not NAME=SPEC (e.g. lr=log:1e-4:1e-1, batch=32,64)");
            String name = e.substring(0, eq).strip();
            if (m.containsKey(name)) throw new IllegalArgumentException("search parameter '" + name + "' is given twice");
            try {
                m.put(name, Param.parse(e.substring(eq + 1).strip()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("search parameter '" + name + "': " + ex.getMessage());
            }
        }
        return new SearchSpace(m);
    }

    public Map<String, Param> params() {
        return params;
    }

    /** Every combination, the last parameter changing fastest. Refuses continuous ranges. */
    public List<Map<String, String>> grid() {
        List<Map<String, String>> trials = new ArrayList<>();
        trials.add(new LinkedHashMap<>());
        for (var e : params.entrySet()) {
            List<String> values = e.getValue().grid();
            if (values == null) throw new IllegalArgumentException("a grid search needs a list of values for '" + e.getKey() + "' (e.g. " + e.getKey() + "=A,B,C), not a range");
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> t : trials) {
                for (String v : values) {
                    Map<String, String> m = new LinkedHashMap<>(t);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            trials = next;
        }
        return trials;
    }

    /** {@code n} trials drawn from one generator seeded with {@code seed}: the first k are the same whatever n. */
    public List<Map<String, String>> random(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("a random search needs at least one trial, got " + n);
        Rng rng = new Rng(seed);
        List<Map<String, String>> trials = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> m = new LinkedHashMap<>();
            params.forEach((name, p) -> m.put(name, p.sample(rng)));
            trials.add(m);
        }
        return trials;
    }
}
