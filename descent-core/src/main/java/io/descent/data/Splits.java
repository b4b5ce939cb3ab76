package io.descent.data;

import io.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Seeded ways to cut a data set into subsets: random splits and stratified few-shot subsets. */
public final class Splits {
    private Splits() {}

    /**
     * PyTorch's {@code random_split} with fractions: lengths are {@code floor(n · f)} and the
     * remainder goes one by one to the first splits; the examples are assigned by a permutation
     * seeded with {@code seed}. Fractions must be positive and sum to 1.
     */
    public static List<Subset> random(Dataset dataset, double[] fractions, long seed) {
        if (fractions.length == 0) throw new IllegalArgumentException("random split: fractions must not be empty");
        double sum = 0;
        for (double f : fractions) {
            if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("random split: fractions must be in (0, 1], got " + Arrays.toString(fractions));
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) throw new IllegalArgumentException("random split: fractions must sum to 1, got " + Arrays.toString(fractions) + " (sum " + sum + ")");
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < lengths.length; i++) assigned += lengths[i] = (int) Math.floor(n * fractions[i]);
        for (int i = 0; assigned < n; i = (i + 1) % lengths.length, assigned++) lengths[i]++;
        return random(dataset, lengths, seed);
    }

    /** PyTorch's {@code random_split} with lengths that sum to the data set's size. */
    public static List<Subset> random(Dataset dataset, int[] lengths, long seed) {
        long total = 0;
        for (int l : lengths) {
            if (l < 0) throw new IllegalArgumentException("random split: lengths must be >= 0, got " + Arrays.toString(lengths));
            total += l;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("random split: lengths " + Arrays.toString(lengths) + " sum to " + total + ", not the data set's size " + dataset.size());
        }
        int[] perm = new Rng(seed).permutation(dataset.size());
        List<Subset> out = new ArrayList<>(lengths.length);
        int from = 0;
        for (int l : lengths) {
            out.add(new Subset(dataset, Arrays.copyOfRange(perm, from, from + l)));
            from += l;
        }
        return List.copyOf(out);
    }

    /**
     * A stratified few-shot subset: exactly {@code k} examples of every class, drawn without
     * replacement with {@code seed} ({@code --shots k}). Every class the data set names (or,
     * without names, every label it holds) must have at least {@code k} examples. The result
     * keeps the base order; the loader shuffles.
     */
    public static Subset fewShot(Dataset dataset, int k, long seed) {
        if (k < 1) throw new IllegalArgumentException("few-shot subset: shots per class must be >= 1, got " + k);
        int n = dataset.size();
        int[] labels = new int[n];
        int numClasses = dataset.classes().size();
        for (int i = 0; i < n; i++) {
            labels[i] = dataset.label(i);
            if (labels[i] < 0) throw new IllegalArgumentException("few-shot subset: example " + i + " has no label");
            numClasses = Math.max(numClasses, labels[i] + 1);
        }
        int[] counts = new int[numClasses];
        for (int l : labels) counts[l]++;
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) byClass[c] = new int[counts[c]];
        int[] fill = new int[numClasses];
        for (int i = 0; i < n; i++) byClass[labels[i]][fill[labels[i]]++] = i;
        boolean named = !dataset.classes().isEmpty();
        int[] chosen = new int[k * numClasses];
        int used = 0;
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] == 0 && !named) continue;
            if (counts[c] < k) {
                throw new IllegalArgumentException("few-shot subset: class " + c + (named ? " (" + dataset.classes().get(c) + ")" : "")
                        + " has " + counts[c] + " examples, fewer than the " + k + " shots asked");
            }
            Rng rng = new Rng(Seeds.derive(seed, c));
            int[] idx = byClass[c];
            for (int j = 0; j < k; j++) { // partial Fisher–Yates: the first k of a random permutation
                int r = j + rng.nextInt(idx.length - j);
                int t = idx[j];
                idx[j] = idx[r];
                idx[r] = t;
                chosen[used++] = idx[j];
            }
        }
        chosen = Arrays.copyOf(chosen, used);
        Arrays.sort(chosen);
        return new Subset(dataset, chosen);
    }
}
