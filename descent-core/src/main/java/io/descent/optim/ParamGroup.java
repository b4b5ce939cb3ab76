package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A group of named parameters and its own hyper-parameters, as in PyTorch's
 * {@code optimizer.param_groups}: a parameter is a leaf {@link Tensor} (normally with
 * {@code requiresGrad(true)}), named like a state_dict key ({@code "fc.weight"}).
 *
 * <p>Hyper-parameters are read and written by name at any time ({@code get("lr")},
 * {@code set("lr", 0.01)}): this is what schedules and differential learning rates use.
 * Numbers are {@code double}s, switches ({@code nesterov}, {@code amsgrad}, ...) are
 * booleans. PyTorch's {@code betas=(β1, β2)} tuple is stored as two numbers, {@code beta1}
 * and {@code beta2}, so that a schedule can drive β1 by name.
 *
 * <p>Before the group is given to an optimizer, {@link #with} records overrides of the
 * optimizer's defaults (PyTorch's per-group dict entries). Once attached, the optimizer has
 * filled in every hyper-parameter it knows; {@link #set} then accepts only those names, and
 * re-validates the group, so a bad value is refused with the same message as at construction.
 */
public final class ParamGroup {
    private final LinkedHashMap<String, Tensor> params;
    private final LinkedHashMap<String, Object> options = new LinkedHashMap<>();
    private Consumer<ParamGroup> validator;

    /** A group of the given parameters (iteration order kept) with no overrides yet. */
    public ParamGroup(Map<String, Tensor> params) {
        if (params == null) throw new IllegalArgumentException("ParamGroup: params must not be null");
        this.params = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("ParamGroup: a parameter has no name");
            if (p == null) throw new IllegalArgumentException("ParamGroup: parameter '" + name + "' is null");
            if (!p.isLeaf()) throw new IllegalArgumentException("ParamGroup: parameter '" + name + "' is not a leaf tensor (it was computed by " + p.gradFn().name() + ")");
            this.params.put(name, p);
        });
    }

    /** Overrides a numeric hyper-parameter of this group (before or after attaching). */
    public ParamGroup with(String name, double value) {
        return withOption(name, value);
    }

    /** Overrides a switch of this group (before or after attaching). */
    public ParamGroup with(String name, boolean value) {
        return withOption(name, value);
    }

    private ParamGroup withOption(String name, Object value) {
        if (validator != null) {
            if (value instanceof Double d) set(name, d);
            else set(name, (Boolean) value);
        } else {
            options.put(name, value);
        }
        return this;
    }

    /** The parameters by name (read-only view, in insertion order). */
    public Map<String, Tensor> params() {
        return Collections.unmodifiableMap(params);
    }

    /** The hyper-parameters by name (read-only view): {@code Double} or {@code Boolean} values. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** A numeric hyper-parameter. */
    public double get(String name) {
        Object v = options.get(name);
        if (v instanceof Double d) return d;
        if (v == null) throw new IllegalArgumentException("unknown hyper-parameter '" + name + "'; this group has " + options.keySet());
        throw new IllegalArgumentException("hyper-parameter '" + name + "' is a switch (" + v + "), not a number; use flag(\"" + name + "\")");
    }

    /** A boolean hyper-parameter (a switch such as {@code nesterov}). */
    public boolean flag(String name) {
        Object v = options.get(name);
        if (v instanceof Boolean b) return b;
        if (v == null) throw new IllegalArgumentException("unknown hyper-parameter '" + name + "'; this group has " + options.keySet());
        throw new IllegalArgumentException("hyper-parameter '" + name + "' is a number (" + v + "), not a switch; use get(\"" + name + "\")");
    }

    /** Sets a numeric hyper-parameter the optimizer knows; refused (and unchanged) if invalid. */
    public void set(String name, double value) {
        setChecked(name, value, Double.class);
    }

    /** Sets a switch the optimizer knows; refused (and unchanged) if invalid. */
    public void set(String name, boolean value) {
        setChecked(name, value, Boolean.class);
    }

    private void setChecked(String name, Object value, Class<?> type) {
        Object old = options.get(name);
        if (validator != null && old == null) {
            throw new IllegalArgumentException("unknown hyper-parameter '" + name + "'; this group has " + options.keySet());
        }
        if (old != null && !type.isInstance(old)) {
            throw new IllegalArgumentException("hyper-parameter '" + name + "' is a " + (old instanceof Boolean ? "switch" : "number") + ", got " + value);
        }
        options.put(name, value);
        if (validator != null) {
            try {
                validator.accept(this);
            } catch (RuntimeException e) {
                options.put(name, old);
                throw e;
            }
        }
    }

    /** The learning rate, {@code get("lr")}. */
    public double lr() {
        return get("lr");
    }

    /** Sets the learning rate, {@code set("lr", value)}. */
    public void lr(double value) {
        set("lr", value);
    }

    boolean attached() {
        return validator != null;
    }

    /** Called by the optimizer: fills defaults for missing names, refuses unknown names, validates. */
    void attach(String owner, Map<String, Object> defaults, Consumer<ParamGroup> validate) {
        if (validator != null) throw new IllegalArgumentException(owner + ": this parameter group already belongs to an optimizer");
        for (Map.Entry<String, Object> e : options.entrySet()) {
            Object d = defaults.get(e.getKey());
            if (d == null) throw new IllegalArgumentException(owner + ": unknown hyper-parameter '" + e.getKey() + "'; known: " + defaults.keySet());
            if (d.getClass() != e.getValue().getClass()) {
                throw new IllegalArgumentException(owner + ": hyper-parameter '" + e.getKey() + "' must be a " + (d instanceof Boolean ? "switch" : "number") + ", got " + e.getValue());
            }
        }
        LinkedHashMap<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(options);
        options.clear();
        options.putAll(merged);
        validate.accept(this);
        validator = validate;
    }

    /** Replaces all hyper-parameter values at once (state loading); validated as a whole. */
    void replaceOptions(Map<String, Object> values, String owner) {
        LinkedHashMap<String, Object> old = new LinkedHashMap<>(options);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object cur = options.get(e.getKey());
            if (cur == null) throw new IllegalArgumentException(owner + ": saved hyper-parameter '" + e.getKey() + "' is unknown; known: " + options.keySet());
            Object v = e.getValue() instanceof Number n && cur instanceof Double ? (Object) n.doubleValue() : e.getValue();
            if (v == null || v.getClass() != cur.getClass()) {
                throw new IllegalArgumentException(owner + ": saved hyper-parameter '" + e.getKey() + "' must be a " + (cur instanceof Boolean ? "switch" : "number") + ", got " + e.getValue());
            }
            options.put(e.getKey(), v);
        }
        try {
            validator.accept(this);
        } catch (RuntimeException e) {
            options.clear();
            options.putAll(old);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ParamGroup" + params.keySet() + " " + options;
    }
}
