package io.descent.bench;

import io.descent.nn.Module;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * W4 of issue 8: a torchvision model (resnet50, vgg16) with 1000 classes on seeded random
 * images, either eval-mode forward without grad or a whole training step (cross-entropy, SGD
 * lr 0.01 momentum 0.9). Images/s = batch ÷ the median time of the timed iterations, which
 * follow untimed warm-up iterations. Descent's side is {@link ModelBench}; PyTorch's is
 * {@code pytorch_models.py} with torchvision's own models (random init, nothing downloaded).
 */
public record ModelWorkload(String model, boolean train, E2eSizes sizes) implements E2eWorkload {
    /** The models of W4. */
    public static final List<String> MODELS = List.of("resnet50", "vgg16");

    /** W4's rows: each model forward, then train. */
    public static List<ModelWorkload> all(E2eSizes sizes) {
        return MODELS.stream().flatMap(m -> java.util.stream.Stream.of(new ModelWorkload(m, false, sizes), new ModelWorkload(m, true, sizes))).toList();
    }

    @Override
    public String name() {
        return "W4-" + model + (train ? "-train" : "-fwd");
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%s %d px, batch %d, %s; median of %d iterations after %d warm-up", model, sizes.imageSize(), sizes.modelBatch(),
                train ? "train mode: forward + cross-entropy + backward + SGD 0.01 m 0.9 step" : "eval-mode forward, no grad", sizes.modelIters(), sizes.modelWarmups());
    }

    @Override
    public int batch() {
        return sizes.modelBatch();
    }

    @Override
    public E2eResult descent(int threads, long seed, Path dataDir) {
        return Timing.withThreads(threads, () -> {
            Module m = ModelBench.create(model, sizes.imageSize());
            double s = ModelBench.secondsPerIteration(m, train ? ModelBench.Pass.TRAIN : ModelBench.Pass.FORWARD,
                    ModelBench.input(batch(), sizes.imageSize()), ModelBench.labels(batch()), 0, sizes.modelWarmups(), sizes.modelIters());
            return E2eResult.synthetic(batch() / s, sizes.modelIters(), sizes.modelIters() * batch(), -1);
        });
    }

    @Override
    public String pytorchScript() {
        return "pytorch_models.py";
    }

    @Override
    public List<String> pytorchArgs(int threads, Path dataDir) {
        return List.of("W4", model, train ? "train" : "fwd", "" + threads, "" + batch(), "" + sizes.imageSize(), "" + sizes.modelWarmups(), "" + sizes.modelIters());
    }

    @Override
    public boolean needsTorchvision() {
        return true;
    }
}
