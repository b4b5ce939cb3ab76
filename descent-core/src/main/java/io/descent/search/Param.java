package io.descent.search;

import io.descent.tensor.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * One searched hyper-parameter: a list of values, or a range sampled uniformly or
 * log-uniformly (Bergstra and Bengio 2012: random search over log scales for rates and decays).
 * Values are strings, as the command line takes them.
 */
public sealed interface Param {
    /** A value drawn for a random-search trial. */
    String sample(Rng rng);

    /** The values a grid search walks, or {@code null} for a continuous range. */
    List<String> grid();

    /** Any of these values, each equally likely; a grid walks them in order. */
    record Choice(List<String> values) implements Param {
        public Choice {
            if (values.isEmpty()) throw new IllegalArgumentException("a list of values needs at least one value");
            values = List.copyOf(values);
        }

        @Override
        public String sample(Rng rng) {
            return values.get(rng.nextInt(values.size()));
        }

        @Override
        public List<String> grid() {
            return values;
        }
    }

    /** Uniform in [lo, hi). */
    record Uniform(double lo, double hi) implements Param {
        public Uniform {
            if (!(lo < hi)) throw new IllegalArgumentException("uniform range needs lo < hi, got " + lo + ", " + hi);
        }

        @Override
        public String sample(Rng rng) {
            return Double.toString(lo + (hi - lo) * rng.nextDouble());
        }

        @Override
        public List<String> grid() {
            return null;
        }
    }

    /** exp(U(ln lo, ln hi)): each decade of the range equally likely. */
    record LogUniform(double lo, double hi) implements Param {
        public LogUniform {
            if (!(lo > 0 && lo < hi)) throw new IllegalArgumentException("log-uniform range needs 0 < lo < hi, got " + lo + ", " + hi);
        }

        @Override
        public String sample(Rng rng) {
            return Double.toString(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.nextDouble()));
        }

        @Override
        public List<String> grid() {
            return null;
        }
    }

    /** {@code log:LO:HI}, {@code uniform:LO:HI}, or values {@code A,B,C} (one value: fixed). */
    static Param parse(String spec) {
        String[] p = spec.split(":", -1);
        if (p.length == 3 && (p[0].equals("log") || p[0].equals("uniform"))) {
            double lo = number(p[1], spec), hi = number(p[2], spec);
            return p[0].equals("log") ? new LogUniform(lo, hi) : new Uniform(lo, hi);
        }
        if (spec.contains(":")) throw new IllegalArgumentException("'" + spec + "' is not log:LO:HI, uniform:LO:HI or a list A,B,C");
        List<String> values = Arrays.stream(spec.split(",", -1)).map(String::strip).toList();
        if (values.stream().anyMatch(String::isEmpty)) throw new IllegalArgumentException("'" + spec + "' has an empty value");
        return new Choice(values);
    }

    private static double number(String s, String spec) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' in '" + spec + "' is not a number");
        }
    }
}
