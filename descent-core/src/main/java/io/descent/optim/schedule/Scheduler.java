package io.descent.optim.schedule;

import io.descent.optim.Optimizer;
import io.descent.optim.ParamGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Binds {@link Schedule}s to named hyper-parameters of an optimizer's groups and writes their
 * values, once per optimizer update: call {@link #step()} after each {@code optimizer.step()}
 * (never per micro-batch). Before update number {@code t} (from 0) the groups hold the
 * schedules' values at {@code t}, as PyTorch's schedulers would have set them; binding writes
 * the values for the current step at once.
 *
 * <p>Three ways to bind, all relative to each group's <em>base</em> value (the value the
 * group held when bound, like PyTorch's {@code initial_lr}):
 * <ul>
 *   <li>{@link #set}: the same schedule, the same value, in every group;</li>
 *   <li>{@link #scale}: a multiplier schedule times each group's base, so differential
 *       learning rates keep their ratios under any schedule;</li>
 *   <li>{@link #perGroup}: a schedule built from each group's base (PyTorch's semantics for
 *       its schedulers: {@code base -> new Cosine(base, 1000, 1e-5)}), or an explicit list.</li>
 * </ul>
 *
 * <p>The state is the step and the base values ({@link #stateDict()}); the schedules are pure,
 * so resuming needs nothing else. Groups added to the optimizer later get their base value
 * the first time the scheduler writes after they appear.
 */
public final class Scheduler {
    private final Optimizer optimizer;
    private final List<Binding> bindings = new ArrayList<>();
    private long step;

    private static final class Binding {
        final String name;
        final DoubleFunction<Schedule> fromBase;
        final List<Schedule> explicit;
        final List<Double> bases = new ArrayList<>();
        final List<Schedule> schedules = new ArrayList<>();

        Binding(String name, DoubleFunction<Schedule> fromBase, List<Schedule> explicit) {
            this.name = name;
            this.fromBase = fromBase;
            this.explicit = explicit;
        }

        Schedule schedule(int group, double base) {
            while (schedules.size() <= group) {
                int i = schedules.size();
                if (explicit != null) {
                    if (i >= explicit.size()) {
                        throw new IllegalStateException("Scheduler: '" + name + "' has " + explicit.size() + " schedules but the optimizer has group " + i);
                    }
                    schedules.add(explicit.get(i));
                } else {
                    schedules.add(fromBase.apply(i < bases.size() ? bases.get(i) : base));
                }
            }
            return schedules.get(group);
        }
    }

    public Scheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException("Scheduler: optimizer must not be null");
        this.optimizer = optimizer;
    }

    /** Every group's {@code name} follows {@code schedule} (absolute values). */
    public Scheduler set(String name, Schedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("Scheduler: schedule for '" + name + "' is null");
        return bind(new Binding(name, base -> schedule, null));
    }

    /** Every group's {@code name} is its base value times {@code multiplier.at(t)}. */
    public Scheduler scale(String name, Schedule multiplier) {
        if (multiplier == null) throw new IllegalArgumentException("Scheduler: schedule for '" + name + "' is null");
        return bind(new Binding(name, multiplier::scaled, null));
    }

    /** Each group's {@code name} follows the schedule built from that group's base value. */
    public Scheduler perGroup(String name, DoubleFunction<Schedule> fromBase) {
        if (fromBase == null) throw new IllegalArgumentException("Scheduler: schedule factory for '" + name + "' is null");
        return bind(new Binding(name, fromBase, null));
    }

    /** Group {@code i}'s {@code name} follows {@code schedules.get(i)} (one per group). */
    public Scheduler perGroup(String name, List<Schedule> schedules) {
        int groups = optimizer.paramGroups().size();
        if (schedules == null || schedules.size() != groups) {
            throw new IllegalArgumentException("Scheduler: expected " + groups + " schedules for '" + name + "', one per group, got "
                    + (schedules == null ? 0 : schedules.size()));
        }
        return bind(new Binding(name, null, List.copyOf(schedules)));
    }

    private Scheduler bind(Binding b) {
        if (b.name == null || b.name.isEmpty()) throw new IllegalArgumentException("Scheduler: hyper-parameter name is empty");
        for (Binding o : bindings) {
            if (o.name.equals(b.name)) throw new IllegalArgumentException("Scheduler: '" + b.name + "' already has a schedule");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (!g.has(b.name)) {
                throw new IllegalArgumentException("Scheduler: " + optimizer.name() + " has no hyper-parameter '" + b.name + "' (group " + i + " has " + g.options().keySet() + ")");
            }
            b.bases.add(g.get(b.name));
        }
        apply(b);
        bindings.add(b);
        return this;
    }

    /**
     * The name of the hyper-parameter that a momentum schedule drives in this optimizer:
     * {@code momentum} (SGD, RMSprop) or {@code beta1} (the Adam family), as PyTorch's
     * OneCycleLR chooses between {@code momentum} and {@code betas[0]}.
     */
    public static String momentumName(Optimizer optimizer) {
        ParamGroup g = optimizer.paramGroups().get(0);
        if (g.has("momentum")) return "momentum";
        if (g.has("beta1")) return "beta1";
        throw new IllegalArgumentException(optimizer.name() + " has neither momentum nor beta1 to schedule");
    }

    /** Ticks once per optimizer update: writes the values for the next update. */
    public void step() {
        step++;
        for (Binding b : bindings) apply(b);
    }

    /** The update number whose values the groups hold now (0 before the first {@link #step()}). */
    public long currentStep() {
        return step;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    private void apply(Binding b) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (i >= b.bases.size()) b.bases.add(g.get(b.name));
            g.set(b.name, b.schedule(i, b.bases.get(i)).at(step));
        }
    }

    /** {@code "step"} (a {@code Long}) and {@code "bases"}: per bound name, each group's base value. */
    public Map<String, Object> stateDict() {
        Map<String, Object> bases = new LinkedHashMap<>();
        for (Binding b : bindings) bases.put(b.name, b.bases.stream().mapToDouble(Double::doubleValue).toArray());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", step);
        out.put("bases", bases);
        return out;
    }

    /**
     * Restores a {@link #stateDict()} into a scheduler bound to the same names (in any order),
     * and writes the values for the restored step.
     */
    public void loadStateDict(Map<String, Object> sd) {
        if (sd == null || !(sd.get("step") instanceof Number n) || n.longValue() < 0) {
            throw new IllegalArgumentException("Scheduler.loadStateDict: missing or negative 'step'");
        }
        if (!(sd.get("bases") instanceof Map<?, ?> bases)) throw new IllegalArgumentException("Scheduler.loadStateDict: missing 'bases' map");
        if (bases.size() != bindings.size()) {
            throw new IllegalArgumentException("Scheduler.loadStateDict: saved schedules for " + bases.keySet() + " but this scheduler binds " + names());
        }
        List<double[]> restored = new ArrayList<>();
        for (Binding b : bindings) {
            Object v = bases.get(b.name);
            if (!(v instanceof double[] arr)) throw new IllegalArgumentException("Scheduler.loadStateDict: no saved base values for '" + b.name + "' (saved: " + bases.keySet() + ")");
            restored.add(arr.clone());
        }
        step = n.longValue();
        for (int k = 0; k < bindings.size(); k++) {
            Binding b = bindings.get(k);
            b.bases.clear();
            for (double d : restored.get(k)) b.bases.add(d);
            b.schedules.clear();
            apply(b);
        }
    }

    private List<String> names() {
        return bindings.stream().map(b -> b.name).toList();
    }
}
