package io.descent.cli;

import io.descent.log.LinePlot;
import io.descent.optim.schedule.Constant;
import io.descent.optim.schedule.Cosine;
import io.descent.optim.schedule.CosineWarmRestarts;
import io.descent.optim.schedule.Cyclic;
import io.descent.optim.schedule.Exponential;
import io.descent.optim.schedule.InverseSqrt;
import io.descent.optim.schedule.Linear;
import io.descent.optim.schedule.MultiStep;
import io.descent.optim.schedule.OneCycle;
import io.descent.optim.schedule.Polynomial;
import io.descent.optim.schedule.Schedule;
import io.descent.optim.schedule.Sequential;
import io.descent.optim.schedule.StepDecay;
import io.descent.optim.schedule.Warmup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code descent schedule NAME --steps N --lr BASE [flags]}: prints a learning-rate schedule
 * as CSV, {@code step,lr} ({@code step,lr,momentum} for onecycle and cyclic, which cycle
 * momentum as PyTorch does by default). Row {@code step} is the value optimizer update number
 * {@code step} (from 0) uses, exactly as PyTorch's scheduler would have set it. Flags are
 * PyTorch's argument names in kebab-case; a flag that does not apply to the schedule is
 * refused, so that a typo never passes silently.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a learning-rate schedule as CSV (step,lr[,momentum]); row t is the value used by optimizer update t.",
                "NAME: constant, step, multistep, exponential, linear, polynomial, cosine, inverse-sqrt, cyclic, cosine-restarts, onecycle.",
                "Example: descent schedule cosine --steps 1000 --lr 0.1 --warmup 100 --eta-min 1e-4 --plot lr.png"})
public final class ScheduleCommand implements Callable<Integer> {
    static final Map<String, Set<String>> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("constant", Set.of("--factor", "--total-iters"));
        FLAGS.put("step", Set.of("--step-size", "--gamma"));
        FLAGS.put("multistep", Set.of("--milestones", "--gamma"));
        FLAGS.put("exponential", Set.of("--gamma", "--decay-percent"));
        FLAGS.put("linear", Set.of("--start-factor", "--end-factor", "--total-iters"));
        FLAGS.put("polynomial", Set.of("--total-iters", "--power"));
        FLAGS.put("cosine", Set.of("--t-max", "--eta-min"));
        FLAGS.put("inverse-sqrt", Set.of());
        FLAGS.put("cyclic", Set.of("--max-lr", "--step-size-up", "--step-size-down", "--mode", "--gamma", "--cycle-momentum",
                "--base-momentum", "--max-momentum"));
        FLAGS.put("cosine-restarts", Set.of("--t-0", "--t-mult", "--eta-min"));
        FLAGS.put("onecycle", Set.of("--max-lr", "--pct-start", "--anneal-strategy", "--div-factor", "--final-div-factor", "--three-phase",
                "--cycle-momentum", "--base-momentum", "--max-momentum", "--lecture"));
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule (see above).")
    String name;

    @Option(names = "--steps", required = true, description = "Number of optimizer updates to print (rows 0 .. N-1).")
    long steps;

    @Option(names = "--lr", required = true, description = "Base learning rate (cyclic: base_lr; onecycle: max_lr unless --max-lr).")
    double lr;

    @Mixin
    Flags flags;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the schedule into this PNG file.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        if (!FLAGS.containsKey(name)) throw new IllegalArgumentException("unknown schedule '" + name + "'; choose one of " + String.join(", ", FLAGS.keySet()));
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be a number >= 0, got " + lr);
        Schedule[] built = flags.build(name, steps, lr);
        Schedule lrs = built[0], momentum = built[1];
        double[] x = new double[(int) steps], y = new double[(int) steps], m = momentum == null ? null : new double[(int) steps];
        PrintWriter out = spec.commandLine().getOut();
        out.println(momentum == null ? "step,lr" : "step,lr,momentum");
        StringBuilder row = new StringBuilder();
        for (int t = 0; t < steps; t++) {
            x[t] = t;
            y[t] = lrs.at(t);
            row.setLength(0);
            row.append(t).append(',').append(y[t]);
            if (m != null) row.append(',').append(m[t] = momentum.at(t));
            out.println(row);
        }
        out.flush();
        if (plot != null) {
            List<LinePlot.Panel> panels = new ArrayList<>();
            panels.add(new LinePlot.Panel("learning rate", new LinePlot.Series("lr", x, y)));
            if (m != null) panels.add(new LinePlot.Panel("momentum", new LinePlot.Series("momentum", x, m)));
            LinePlot.write(plot, name + " schedule" + (flags.warmup > 0 ? " with " + flags.warmup + " warm-up updates" : ""), "optimizer update", false, panels);
            spec.commandLine().getErr().println("wrote " + plot);
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    /**
     * The schedule flags, PyTorch's argument names in kebab-case, as a picocli mixin so that
     * every command that takes a schedule (schedule, train, finetune) parses them alike;
     * {@link #build} turns a schedule name and these flags into the lr and momentum schedules.
     */
    public static final class Flags {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--warmup", defaultValue = "0", description = "Warm-up updates in front of the schedule (inverse-sqrt: its own warm-up). Default ${DEFAULT-VALUE}.")
        long warmup;

        @Option(names = "--warmup-start-factor", defaultValue = "0.01", description = "Warm-up starts at this fraction of the first value (default ${DEFAULT-VALUE}, as torchvision's recipes).")
        double warmupStartFactor;

        @Option(names = "--warmup-mode", defaultValue = "linear", description = "linear or exponential warm-up (default ${DEFAULT-VALUE}).")
        String warmupMode;

        @Option(names = "--step-size", description = "step: decay every N updates.")
        Long stepSize;

        @Option(names = "--gamma", description = "step/multistep: decay factor (default 0.1); exponential: per-update factor; cyclic exp_range: per-update factor (default 1.0).")
        Double gamma;

        @Option(names = "--decay-percent", description = "exponential: the lecture's form lr·(1 − α/100)^t, α percent per update (instead of --gamma).")
        Double decayPercent;

        @Option(names = "--milestones", split = ",", description = "multistep: updates where the lr is multiplied by gamma, e.g. 30,60.")
        long[] milestones;

        @Option(names = "--factor", description = "constant: PyTorch's ConstantLR factor for the first --total-iters updates (default: plain constant).")
        Double factor;

        @Option(names = "--start-factor", description = "linear: factor at update 0 (default 1.0).")
        Double startFactor;

        @Option(names = "--end-factor", description = "linear: factor after --total-iters updates (default 0.0: decay to zero).")
        Double endFactor;

        @Option(names = "--total-iters", description = "constant (default 5), linear and polynomial (default: all updates after the warm-up).")
        Long totalIters;

        @Option(names = "--power", description = "polynomial: the power (default 1.0).")
        Double power;

        @Option(names = "--t-max", description = "cosine: updates of the half-period (default: all updates after the warm-up).")
        Long tMax;

        @Option(names = "--eta-min", description = "cosine, cosine-restarts: minimum lr (default 0).")
        Double etaMin;

        @Option(names = "--t-0", description = "cosine-restarts: updates of the first period.")
        Long t0;

        @Option(names = "--t-mult", description = "cosine-restarts: period growth factor (default 1).")
        Long tMult;

        @Option(names = "--max-lr", description = "cyclic: upper lr; onecycle: peak lr (default --lr).")
        Double maxLr;

        @Option(names = "--step-size-up", description = "cyclic: updates of the rising half (default 2000).")
        Long stepSizeUp;

        @Option(names = "--step-size-down", description = "cyclic: updates of the falling half (default --step-size-up).")
        Long stepSizeDown;

        @Option(names = "--mode", description = "cyclic: triangular (default), triangular2 or exp_range.")
        String mode;

        @Option(names = "--pct-start", description = "onecycle: fraction of the updates spent rising (default 0.3).")
        Double pctStart;

        @Option(names = "--anneal-strategy", description = "onecycle: cos (default) or linear.")
        String annealStrategy;

        @Option(names = "--div-factor", description = "onecycle: initial lr = max_lr / div_factor (default 25).")
        Double divFactor;

        @Option(names = "--final-div-factor", description = "onecycle: minimum lr = initial lr / final_div_factor (default 1e4).")
        Double finalDivFactor;

        @Option(names = "--three-phase", description = "onecycle: PyTorch's three_phase (come back down to the initial lr before annihilating).")
        boolean threePhase;

        @Option(names = "--lecture", description = "onecycle: the textbook continuous cosine form instead of PyTorch's OneCycleLR.")
        boolean lecture;

        @Option(names = "--cycle-momentum", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "onecycle, cyclic: print the inversely cycled momentum (β1 for Adam) too (default true, as PyTorch).")
        boolean cycleMomentum;

        @Option(names = "--base-momentum", description = "onecycle (default 0.85), cyclic (default 0.8): momentum at the lr peak.")
        Double baseMomentum;

        @Option(names = "--max-momentum", description = "onecycle (default 0.95), cyclic (default 0.9): momentum at the lr minimum.")
        Double maxMomentum;


        /**
         * The lr schedule and, where the schedule moves momentum, the momentum schedule
         * ({@code null} otherwise) for {@code steps} optimizer updates from base lr {@code lr},
         * with the warm-up in front. Flags that do not apply to {@code name} are refused.
         */
        public Schedule[] build(String name, long steps, double lr) {
            Set<String> allowed = FLAGS.get(name);
            if (allowed == null) throw new IllegalArgumentException("unknown schedule '" + name + "'; choose one of " + String.join(", ", FLAGS.keySet()));
            if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
            for (String flag : FLAGS.values().stream().flatMap(Set::stream).distinct().toList()) {
                if (given(flag) && !allowed.contains(flag)) {
                    throw new IllegalArgumentException(flag + " does not apply to the " + name + " schedule"
                            + (allowed.isEmpty() ? "" : " (it takes " + String.join(", ", sorted(allowed)) + ")"));
                }
            }
            long main = name.equals("inverse-sqrt") ? steps : Math.max(1, steps - warmup);
            Schedule[] built = schedule(name, main, lr);
            if (warmup > 0 && !name.equals("inverse-sqrt")) {
                built[0] = new Warmup(built[0], warmup, warmupStartFactor, Warmup.Ramp.parse(warmupMode));
                if (built[1] != null) built[1] = new Sequential(List.of(new Constant(built[1].at(0)), built[1]), warmup);
            } else if (given("--warmup-start-factor") || given("--warmup-mode")) {
                throw new IllegalArgumentException("--warmup-start-factor and --warmup-mode need --warmup N"
                        + (name.equals("inverse-sqrt") ? " (inverse-sqrt's warm-up is linear)" : ""));
            }
            return built;
        }

        /** The schedule itself, over {@code n} updates after the warm-up. */
        private Schedule[] schedule(String name, long n, double lr) {
            return switch (name) {
                case "constant" -> one(factor == null ? new Constant(lr) : new Constant(lr, factor, or(totalIters, 5L)));
                case "step" -> one(new StepDecay(lr, need(stepSize, "--step-size", name), or(gamma, 0.1)));
                case "multistep" -> one(new MultiStep(lr, need(milestones, "--milestones", name), or(gamma, 0.1)));
                case "exponential" -> {
                    if ((gamma == null) == (decayPercent == null)) throw new IllegalArgumentException("exponential needs exactly one of --gamma and --decay-percent");
                    yield one(gamma != null ? new Exponential(lr, gamma) : Exponential.percent(lr, decayPercent));
                }
                case "linear" -> one(new Linear(lr, or(startFactor, 1.0), or(endFactor, 0.0), or(totalIters, n)));
                case "polynomial" -> one(new Polynomial(lr, or(totalIters, n), or(power, 1.0)));
                case "cosine" -> one(new Cosine(lr, or(tMax, n), or(etaMin, 0.0)));
                case "inverse-sqrt" -> one(new InverseSqrt(lr, warmup));
                case "cosine-restarts" -> one(new CosineWarmRestarts(lr, need(t0, "--t-0", name), or(tMult, 1L), or(etaMin, 0.0)));
                case "cyclic" -> {
                    long up = or(stepSizeUp, 2000L);
                    Cyclic c = new Cyclic(lr, need(maxLr, "--max-lr", name), up, or(stepSizeDown, up), Cyclic.Mode.parse(or(mode, "triangular")), or(gamma, 1.0));
                    yield new Schedule[] {c, cycleMomentum ? c.momentum(or(baseMomentum, 0.8), or(maxMomentum, 0.9)) : null};
                }
                case "onecycle" -> {
                    double peak = or(maxLr, lr), pct = or(pctStart, 0.3), div = or(divFactor, 25.0), fin = or(finalDivFactor, 1e4);
                    double base = or(baseMomentum, 0.85), top = or(maxMomentum, 0.95);
                    if (lecture) {
                        if (threePhase || annealStrategy != null) throw new IllegalArgumentException("--lecture is the cosine two-phase form; it takes no --three-phase or --anneal-strategy");
                        yield new Schedule[] {OneCycle.lecture(peak, n, pct, div, fin), cycleMomentum ? OneCycle.lectureMomentum(n, pct, base, top) : null};
                    }
                    OneCycle oc = new OneCycle(peak, n, pct, OneCycle.Anneal.parse(or(annealStrategy, "cos")), div, fin, threePhase);
                    yield new Schedule[] {oc, cycleMomentum ? oc.momentum(base, top) : null};
                }
                default -> throw new IllegalArgumentException("unknown schedule '" + name + "'");
            };
        }

        private boolean given(String flag) {
            return mixee.commandLine().getParseResult().hasMatchedOption(flag);
        }

        private static Schedule[] one(Schedule s) {
            return new Schedule[] {s, null};
        }

        private static <T> T need(T value, String flag, String name) {
            if (value == null) throw new IllegalArgumentException("the " + name + " schedule needs " + flag);
            return value;
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }

        private static List<String> sorted(Set<String> s) {
            return s.stream().sorted().toList();
        }
    }
}
