package io.descent.models;

import static io.descent.models.ModelParityTest.assertAsAccurateAsPyTorch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.descent.Golden;
import io.descent.nn.Module;
import io.descent.ops.Losses;
import io.descent.optim.SGD;
import io.descent.tensor.Rng;
import io.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole training loops against PyTorch (fixtures from tools/golden/gen_train.py): an MLP from
 * formula weights, 30 steps of cross-entropy and SGD on fixed batches (the last one an
 * epoch's smaller remainder), forward, zeroGrad, backward, step as a user writes it. Every
 * step's loss and the final parameters must be as close to PyTorch's float64 run as
 * PyTorch's own float32 run is (see {@link ModelParityTest#assertAsAccurateAsPyTorch}): a slip
 * in any step of the loop (momentum, dampening, Nesterov, weight decay, accumulation across
 * steps, the last batch) would move them by orders of magnitude more.
 */
class TrainingParityTest {
    private static final int[] BATCHES = batches();

    private static int[] batches() {
        int[] b = new int[30];
        Arrays.fill(b, 16);
        b[29] = 6;
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sgd_momentum,     0.1,  0.9, 0,   0,    false",
        "sgd_nesterov_wd,  0.05, 0.9, 0,   5e-4, true",
        "sgd_dampening_wd, 0.1,  0.9, 0.5, 5e-4, false"})
    void sgdTrainsAsPyTorchDoes(String name, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        Map<String, Tensor> f = Golden.load("train_" + name);
        float[] x = Golden.get(f, "x").data(), targets = Golden.get(f, "targets").data();
        Module model = new Mlp(64, new int[] {32, 16}, 10, new Rng(0));
        FormulaWeights.fill(model);
        model.train();
        SGD opt = new SGD(model.namedParameters(), lr, momentum, dampening, weightDecay, nesterov);
        float[] losses = new float[BATCHES.length];
        int at = 0;
        for (int s = 0; s < BATCHES.length; s++) {
            int b = BATCHES[s];
            Tensor xb = Tensor.wrap(Arrays.copyOfRange(x, at * 64, (at + b) * 64), b, 1, 8, 8);
            int[] yb = new int[b];
            for (int i = 0; i < b; i++) yb[i] = (int) targets[at + i];
            Tensor loss = Losses.crossEntropy(model.forward(xb), yb);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            losses[s] = loss.item();
            at += b;
        }
        float[] ref = Golden.get(f, "loss").data();
        assertAsAccurateAsPyTorch(name + " losses", ref, Golden.get(f, "loss32").data(), losses, 1e-6);
        assertTrue(losses[BATCHES.length - 1] < 0.95 * losses[0], name + ": the loss falls (" + losses[0] + " → " + losses[BATCHES.length - 1] + ")");
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
            String key = p.getKey();
            assertAsAccurateAsPyTorch(name + " " + key, Golden.get(f, "param." + key).data(), Golden.get(f, "param32." + key).data(), p.getValue().data(), 1e-6);
        }
    }
}
