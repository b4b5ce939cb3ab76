package io.descent.nn;

import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A layer or model: named parameters, buffers and child modules, with PyTorch's hierarchical
 * names ({@code layer4.1.bn2.running_var}) and state_dict order (a module's own parameters,
 * then its own buffers, then each child in registration order).
 *
 * <p>Composite modules reach their children through {@link #child(String)} in forward, so that
 * {@link #set(String, Module)} (head replacement) takes effect. Loading a state dict copies
 * values into the existing tensors, so layers may keep their parameters in fields.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module's computation. */
    public abstract Tensor forward(Tensor x);

    // ---------------------------------------------------------------- registration

    /** Registers a trainable tensor (marked requiresGrad) under {@code name}. */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        if (t != null) t.requiresGrad(true);
        parameters.put(name, t);
        return t;
    }

    /** Registers a state tensor that is saved but not trained (e.g. running statistics). */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers a child module. */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid member name '" + name + "'");
        }
    }

    /** The direct child named {@code name}. */
    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no child '" + name + "' (children: " + children.keySet() + ")");
        return m;
    }

    /** Direct children in registration order. */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    // ---------------------------------------------------------------- modes

    /** Sets training mode on this module and every descendant. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public final Module train() {
        return train(true);
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- traversal

    /** Every parameter tensor (each once), in state_dict order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by hierarchical name, in state_dict order (shared tensors listed once). */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        collect("", out, seen, true, false);
        return out;
    }

    /** Buffers by hierarchical name. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), false, true);
        return out;
    }

    /** Parameters and buffers by name, PyTorch's state_dict (the tensors themselves, not copies). */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean params, boolean bufs) {
        if (params) for (var e : parameters.entrySet()) if (e.getValue() != null && seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        if (bufs) for (var e : buffers.entrySet()) if (e.getValue() != null && seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        for (var c : children.entrySet()) c.getValue().collect(prefix + c.getKey() + ".", out, seen, params, bufs);
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (var e : parameters.entrySet()) if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue());
        for (var e : buffers.entrySet()) if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue());
        for (var c : children.entrySet()) c.getValue().collectState(prefix + c.getKey() + ".", out);
    }

    /** This module ("") and every descendant by path, depth-first in registration order. */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String path, Map<String, Module> out) {
        out.put(path, this);
        for (var c : children.entrySet()) c.getValue().collectModules(path.isEmpty() ? c.getKey() : path + "." + c.getKey(), out);
    }

    /** Applies {@code fn} to every descendant, then to this module (PyTorch's order). */
    public final Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ---------------------------------------------------------------- paths

    /** The module at a dotted path, e.g. {@code "layer4.1.conv2"}; "" is this module. */
    public final Module get(String path) {
        if (path.isEmpty()) return this;
        Module m = this;
        for (String part : path.split("\\.")) {
            Module next = m.children.get(part);
            if (next == null) throw new IllegalArgumentException("no module at path '" + path + "': '" + part + "' not found (children: " + m.children.keySet() + ")");
            m = next;
        }
        return m;
    }

    /** Replaces the module at a dotted path (e.g. a new head: {@code set("fc", new Linear(512, 5))}). */
    public final void set(String path, Module replacement) {
        int dot = path.lastIndexOf('.');
        Module parent = dot < 0 ? this : get(path.substring(0, dot));
        String name = path.substring(dot + 1);
        if (!parent.children.containsKey(name)) {
            throw new IllegalArgumentException("no module at path '" + path + "' to replace (children: " + parent.children.keySet() + ")");
        }
        parent.children.put(name, replacement);
    }

    // ---------------------------------------------------------------- loading

    private static final int MAX_PROBLEMS_NAMED = 6;

    /**
     * Copies values from {@code state} into this module's parameters and buffers. Strict
     * loading refuses missing and unexpected keys; every key present must match in shape. The
     * error names the key and both shapes (the first six problems, and how many more). Nothing
     * is modified when any check fails.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        LinkedHashMap<String, Tensor> own = stateDict();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        state.forEach((k, t) -> shapes.put(k, t.shape()));
        requireLoadable(shapes, strict);
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) System.arraycopy(src.data(), 0, e.getValue().data(), 0, src.numel());
        }
    }

    /**
     * Refuses, as {@link #loadStateDict} does before copying anything, a state of these
     * {@code shapes} (by key): missing and unexpected keys when {@code strict}, and any present
     * key whose shape differs; the error names the key and both shapes (the first six problems,
     * and how many more). Lets a loader check a file's header before reading its data.
     */
    public final void requireLoadable(Map<String, int[]> shapes, boolean strict) {
        LinkedHashMap<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (var e : own.entrySet()) {
            int[] src = shapes.get(e.getKey());
            if (src == null) {
                if (strict) problems.add("missing key '" + e.getKey() + "'");
            } else if (!Arrays.equals(src, e.getValue().shape())) {
                problems.add("size mismatch for '" + e.getKey() + "': checkpoint has " + Shape.str(src)
                        + ", model has " + Shape.str(e.getValue().shape()));
            }
        }
        if (strict) {
            Set<String> unexpected = new LinkedHashSet<>(shapes.keySet());
            unexpected.removeAll(own.keySet());
            for (String k : unexpected) problems.add("unexpected key '" + k + "'");
        }
        if (!problems.isEmpty()) {
            // a wrong architecture misses hundreds of keys: name the first few and count the rest
            int shown = Math.min(problems.size(), MAX_PROBLEMS_NAMED);
            String more = problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : "";
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems.subList(0, shown)) + more);
        }
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    @Override
    public String toString() {
        return toString("");
    }

    private String toString(String indent) {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(describe());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (var c : children.entrySet()) {
                sb.append(indent).append("  (").append(c.getKey()).append("): ").append(c.getValue().toString(indent + "  ")).append('\n');
            }
            sb.append(indent);
        }
        return sb.append(')').toString();
    }

    /** Constructor arguments shown by toString, e.g. "in=784, out=10". */
    protected String describe() {
        return "";
    }
}
