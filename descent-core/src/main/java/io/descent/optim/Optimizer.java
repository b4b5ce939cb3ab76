package io.descent.optim;

import io.descent.autograd.GradMode;
import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parameter groups, named per-parameter state and a plain update loop (PyTorch's
 * {@code torch.optim.Optimizer}, {@code torch/optim/sgd.py}).
 *
 * <p>A subclass declares its hyper-parameters with PyTorch's names and defaults, validates
 * a group ({@link #validate}) and updates one parameter ({@link #update}). The base class
 * owns the rest: {@link #step()} visits every parameter of every group, skipping those
 * without gradient and the frozen ones ({@code requiresGrad() == false}, which never change
 * and take no state); {@link #zeroGrad()}; {@link #addParamGroup}; and
 * {@link #stateDict()}/{@link #loadStateDict} keyed by parameter NAME, with shape checks.
 *
 * <p>Updates compute in float32 in the order of PyTorch 1.13's single-tensor ("for-loop")
 * implementation, so that a run matches PyTorch's to float rounding.
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<String, ParamState> state = new LinkedHashMap<>();
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final IdentityHashMap<Tensor, String> names = new IdentityHashMap<>();

    /**
     * @param name     the optimizer's name, for messages ("SGD")
     * @param defaults every hyper-parameter this optimizer knows, with its default
     *                 ({@code Double} or {@code Boolean} values; iteration order kept)
     * @param groups   the parameter groups; each group's overrides replace the defaults
     */
    protected Optimizer(String name, Map<String, Object> defaults, List<ParamGroup> groups) {
        this.name = name;
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        defaults.forEach((k, v) -> {
            if (!(v instanceof Double || v instanceof Boolean)) throw new IllegalArgumentException(name + ": default '" + k + "' must be a Double or Boolean, got " + v);
            d.put(k, v);
        });
        this.defaults = Collections.unmodifiableMap(d);
        if (groups == null || groups.isEmpty()) throw new IllegalArgumentException(name + ": got an empty list of parameter groups");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** One group holding {@code params}, for the single-group constructors. */
    protected static List<ParamGroup> single(Map<String, Tensor> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        return List.of(new ParamGroup(params));
    }

    /** The ordered defaults map that a subclass builds from its constructor arguments. */
    protected static Map<String, Object> options(Object... nameValuePairs) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            Object v = nameValuePairs[i + 1];
            m.put((String) nameValuePairs[i], v instanceof Number n ? (Object) n.doubleValue() : v);
        }
        return m;
    }

    /** Adds a group (PyTorch's {@code add_param_group}): missing hyper-parameters take the defaults. */
    public final void addParamGroup(ParamGroup group) {
        if (group == null) throw new IllegalArgumentException(name + ": parameter group is null");
        for (Map.Entry<String, Tensor> e : group.params().entrySet()) {
            if (params.containsKey(e.getKey())) throw new IllegalArgumentException(name + ": parameter '" + e.getKey() + "' appears in more than one parameter group");
            String other = names.get(e.getValue());
            if (other != null) throw new IllegalArgumentException(name + ": the tensor of parameter '" + e.getKey() + "' is already in this optimizer as '" + other + "'");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Tensor> e : group.params().entrySet()) {
            if (!seen.add(e.getValue())) throw new IllegalArgumentException(name + ": the tensor of parameter '" + e.getKey() + "' appears twice in one group");
        }
        group.attach(name, defaults, this::validate);
        groups.add(group);
        group.params().forEach((n, p) -> {
            params.put(n, p);
            names.put(p, n);
        });
    }

    /** Checks one group's hyper-parameters; throws {@link IllegalArgumentException} naming the bad one. */
    protected abstract void validate(ParamGroup group);

    /**
     * Updates one parameter in place from its gradient. Called under no-grad, only for
     * parameters that require grad and have one. {@code grad} must not be modified.
     */
    protected abstract void update(ParamGroup group, Tensor param, float[] grad, ParamState state);

    /**
     * The state names this optimizer keeps (PyTorch's), {@code "step"} included when it
     * counts steps; {@link #loadStateDict} refuses others.
     */
    protected abstract List<String> stateNames();

    /** State buffers that are 0-dim scalars rather than shaped like the parameter (NAdam's {@code mu_product}). */
    protected Set<String> scalarStateNames() {
        return Set.of();
    }

    /** One update of every parameter that has a gradient (PyTorch's {@code optimizer.step()}). */
    public void step() {
        try (var ng = GradMode.noGrad()) {
            for (ParamGroup g : groups) {
                for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                    Tensor p = e.getValue();
                    float[] grad = p.gradArray();
                    if (!p.requiresGrad() || grad == null) continue;
                    ParamState s = state.computeIfAbsent(e.getKey(), k -> new ParamState());
                    update(g, p, grad, s);
                }
            }
        }
    }

    /** Clears the gradient of every parameter (to none, as PyTorch's {@code set_to_none=True}). */
    public void zeroGrad() {
        for (Tensor p : params.values()) p.zeroGrad();
    }

    public String name() {
        return name;
    }

    /** The parameter groups (read-only list; the groups themselves are live and writable). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Every parameter by name, across groups, in order. */
    public Map<String, Tensor> namedParameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The defaults given at construction (read-only). */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /** The state of parameter {@code paramName}, or {@code null} before its first update. */
    public ParamState state(String paramName) {
        return state.get(paramName);
    }

    /**
     * A deep copy of the optimizer's state, PyTorch's {@code state_dict()} with names for
     * indices: {@code "state"} maps a parameter name to its state ({@code "step"} as a
     * {@code Long}, buffers as tensors), {@code "param_groups"} is a list of maps holding
     * each group's hyper-parameters and, under {@code "params"}, its parameter names.
     */
    public Map<String, Object> stateDict() {
        boolean steps = stateNames().contains("step");
        Map<String, Object> st = new LinkedHashMap<>();
        state.forEach((pname, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            if (steps) m.put("step", s.step());
            s.tensors().forEach((k, t) -> m.put(k, t.copy()));
            st.put(pname, m);
        });
        List<Map<String, Object>> pg = new ArrayList<>();
        for (ParamGroup g : groups) {
            Map<String, Object> m = new LinkedHashMap<>(g.options());
            m.put("params", List.copyOf(g.params().keySet()));
            pg.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", st);
        out.put("param_groups", pg);
        return out;
    }

    /**
     * Loads a {@link #stateDict()}: parameters are matched by name, buffers must have their
     * parameter's shape, hyper-parameters are validated. Nothing changes if anything is wrong.
     */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> sd) {
        String where = name + ".loadStateDict";
        if (sd == null) throw new IllegalArgumentException(where + ": state dict is null");
        Object rawGroups = sd.get("param_groups"), rawState = sd.get("state");
        if (!(rawGroups instanceof List<?> savedGroups)) throw new IllegalArgumentException(where + ": missing 'param_groups' list");
        if (!(rawState instanceof Map<?, ?> savedState)) throw new IllegalArgumentException(where + ": missing 'state' map");
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(where + ": the saved state has " + savedGroups.size() + " parameter groups, this optimizer has " + groups.size());
        }
        List<Map<String, Object>> groupOptions = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (!(savedGroups.get(i) instanceof Map<?, ?> sg)) throw new IllegalArgumentException(where + ": parameter group " + i + " is not a map");
            Object ps = sg.get("params");
            if (!(ps instanceof List<?> savedNames)) throw new IllegalArgumentException(where + ": parameter group " + i + " has no 'params' list of names");
            Set<String> ours = groups.get(i).params().keySet();
            Set<Object> theirs = new LinkedHashSet<>(savedNames);
            for (Object n : theirs) {
                if (!ours.contains(n)) throw new IllegalArgumentException(where + ": saved parameter group " + i + " has parameter '" + n + "', which this group does not have (it has " + ours + ")");
            }
            for (String n : ours) {
                if (!theirs.contains(n)) throw new IllegalArgumentException(where + ": parameter '" + n + "' of group " + i + " is missing from the saved group " + i);
            }
            Map<String, Object> opts = new LinkedHashMap<>((Map<String, Object>) sg);
            opts.remove("params");
            groupOptions.add(opts);
        }
        List<String> known = stateNames();
        Map<String, ParamState> fresh = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : savedState.entrySet()) {
            String pname = String.valueOf(e.getKey());
            Tensor p = params.get(pname);
            if (p == null) throw new IllegalArgumentException(where + ": saved state for parameter '" + pname + "', which this optimizer does not have");
            if (!(e.getValue() instanceof Map<?, ?> entries)) throw new IllegalArgumentException(where + ": state of parameter '" + pname + "' is not a map");
            ParamState s = new ParamState();
            for (Map.Entry<?, ?> b : entries.entrySet()) {
                String k = String.valueOf(b.getKey());
                if (!known.contains(k)) throw new IllegalArgumentException(where + ": unknown state '" + k + "' for parameter '" + pname + "' (" + name + " keeps " + known + ")");
                if (k.equals("step")) {
                    if (!(b.getValue() instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
                        throw new IllegalArgumentException(where + ": state 'step' of parameter '" + pname + "' must be a non-negative whole number, got " + b.getValue());
                    }
                    s.setStep(n.longValue());
                    continue;
                }
                if (!(b.getValue() instanceof Tensor t)) throw new IllegalArgumentException(where + ": state '" + k + "' of parameter '" + pname + "' is not a tensor");
                int[] want = scalarStateNames().contains(k) ? new int[0] : p.shape();
                if (!Arrays.equals(t.shape(), want)) {
                    throw new IllegalArgumentException(where + ": state '" + k + "' of parameter '" + pname + "' has shape " + Shape.str(t.shape()) + " but must have shape " + Shape.str(want));
                }
                s.put(k, t.copy());
            }
            fresh.put(pname, s);
        }
        List<Map<String, Object>> old = new ArrayList<>();
        for (ParamGroup g : groups) old.add(new LinkedHashMap<>(g.options()));
        try {
            for (int i = 0; i < groups.size(); i++) groups.get(i).replaceOptions(groupOptions.get(i), where + " (group " + i + ")");
        } catch (RuntimeException ex) {
            for (int i = 0; i < groups.size(); i++) groups.get(i).replaceOptions(old.get(i), where);
            throw ex;
        }
        state.clear();
        state.putAll(fresh);
    }

    // ---------------------------------------------------------------- validation helpers

    /** Refuses a value below 0 (or NaN / infinite). */
    protected final void requireNonNegative(ParamGroup g, String key) {
        double v = g.get(key);
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + ": " + key + " must be >= 0, got " + v);
    }

    /** Refuses a value that is not strictly positive and finite. */
    protected final void requirePositive(ParamGroup g, String key) {
        double v = g.get(key);
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + ": " + key + " must be > 0, got " + v);
    }

    /** Refuses a value outside [0, 1) (betas, RMSprop's alpha). */
    protected final void requireUnitOpen(ParamGroup g, String key) {
        double v = g.get(key);
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException(name + ": " + key + " must be in [0, 1), got " + v);
    }

    /** The Adam family's options: lr >= 0, beta1 and beta2 in [0, 1), eps > 0, weight_decay >= 0. */
    protected final void requireAdamOptions(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireUnitOpen(g, "beta1");
        requireUnitOpen(g, "beta2");
        requirePositive(g, "eps");
        requireNonNegative(g, "weight_decay");
    }

    /** Refuses a value outside [0, 1] (dampening, Adadelta's rho). */
    protected final void requireUnitClosed(ParamGroup g, String key) {
        double v = g.get(key);
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + ": " + key + " must be in [0, 1], got " + v);
    }

    @Override
    public String toString() {
        return name + " " + groups;
    }
}
