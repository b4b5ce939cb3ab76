package io.descent.train;

import io.descent.autograd.GradMode;
import io.descent.data.Batch;
import io.descent.nn.Module;
import io.descent.optim.Optimizer;
import io.descent.tensor.Tensor;
import java.util.Map;

/**
 * The checks the lecture recommends before a long run (Karpathy, "A Recipe for Training
 * Neural Networks"): the initial loss should be near log(C) for C balanced classes, and the
 * model must be able to overfit one small batch.
 */
public final class SanityChecks {
    private SanityChecks() {}

    /** The initial loss on {@code batch}, its expected value log(C), and whether it is within a factor of 2. */
    public record InitialLoss(double loss, double expected, boolean plausible) {
        public String message() {
            return String.format(java.util.Locale.ROOT, "initial loss %.4f, expected about log(C) = %.4f%s", loss, expected,
                    plausible ? "" : " — far off: check the output layer's initialisation, the labels and the loss");
        }
    }

    public static InitialLoss initialLoss(Module model, Task task, Batch batch, int numClasses) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var ng = GradMode.noGrad()) {
            double loss = task.loss(model.forward(batch.inputs()), batch).item();
            double expected = Math.log(numClasses);
            return new InitialLoss(loss, expected, loss > expected / 2 && loss < expected * 2);
        } finally {
            model.train(wasTraining);
        }
    }

    /** Result of {@link #overfitOneBatch}: steps taken, final loss and training accuracy on the batch. */
    public record Overfit(int steps, double loss, double accuracy, boolean success) {}

    /**
     * Trains on one batch until it reaches 100% training accuracy (classification) or the loss
     * falls below 1% of its start (reconstruction), or {@code maxSteps} pass. The model's
     * weights change: run it on a fresh model.
     */
    public static Overfit overfitOneBatch(Module model, Task task, Optimizer optimizer, Batch batch, int maxSteps) {
        model.train();
        double first = Double.NaN, loss = Double.NaN, acc = 0;
        for (int s = 1; s <= maxSteps; s++) {
            Tensor out = model.forward(batch.inputs());
            Tensor l = task.loss(out, batch);
            loss = l.item();
            if (s == 1) first = loss;
            Task.Metrics m = task.metrics();
            m.add(out, batch, loss);
            Map<String, Double> v = m.values("");
            acc = v.getOrDefault("acc", Double.NaN);
            boolean done = task instanceof Task.Classification ? acc == 1.0 : loss < first * 0.01;
            if (done) return new Overfit(s, loss, acc, true);
            l.backward();
            optimizer.step();
            optimizer.zeroGrad();
        }
        return new Overfit(maxSteps, loss, acc, false);
    }
}
