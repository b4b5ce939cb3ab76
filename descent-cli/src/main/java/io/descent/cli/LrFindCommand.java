package io.descent.cli;

import io.descent.data.Batch;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.TrainVal;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.optim.Optimizer;
import io.descent.optim.Optimizers;
import io.descent.optim.ParamGroup;
import io.descent.optim.schedule.LrFinder;
import io.descent.train.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent lr-find}: the LR range test (Smith, 2017): one training step per lr on an
 * exponential sweep, the smoothed loss against the lr, and a suggested lr. Writes the curve
 * as CSV and PNG; the model and optimizer are restored afterwards.
 */
@Command(name = "lr-find", mixinStandardHelpOptions = true, description = "LR range test: sweep the lr, plot the loss, suggest an lr.")
public final class LrFindCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "classify|reconstruct|denoise|detect", description = "What the model learns, as in train (default ${DEFAULT-VALUE}).")
    String task;

    @Mixin
    NoiseOptions noiseOptions;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "Optimizer (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--start-lr", defaultValue = "1e-6", description = "First lr (default ${DEFAULT-VALUE}).")
    double startLr;

    @Option(names = "--end-lr", defaultValue = "1", description = "Last lr (default ${DEFAULT-VALUE}).")
    double endLr;

    @Option(names = "--steps", defaultValue = "100", description = "Sweep length in optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--sweep", defaultValue = "exponential", paramLabel = "exponential|linear", description = "Spacing of the lrs (default ${DEFAULT-VALUE}).")
    String sweep;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "lr-find", paramLabel = "PREFIX", description = "Writes PREFIX.csv and PREFIX.png (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        boolean detect = TaskNames.check(task);
        if (detect && modelOptions.model == null) modelOptions.model = "centernet-resnet18";
        String name = modelOptions.model("small-cnn");
        TaskNames.requireDetectorForDetection(name, detect);
        TrainVal tv = dataOptions.open(modelOptions, seed, detect);
        int[] shape = tv.train().get(0).shape();
        int classes = modelOptions.numClasses != null ? modelOptions.numClasses : dataOptions.numClasses(tv);
        Models.Config cfg = modelOptions.forData(shape, classes, seed);
        Module model = Models.create(name, cfg);
        Optimizer opt = Optimizers.create(optimizer, List.of(new ParamGroup(model.namedParameters())), Optimizers.Settings.lr(startLr));
        Task learned = TaskNames.of(task, classes, 0f);
        List<io.descent.data.Transform> corruption = new java.util.ArrayList<>();
        noiseOptions.addCorruption(task, corruption);
        LrFinder.Result r;
        try (DataLoader train = new DataLoader(tv.train(), LoaderOptions.DEFAULT.withBatchSize(batch).withShuffle(true).withSeed(seed).withNumWorkers(dataOptions.workers)
                .withTransform(corruption.isEmpty() ? null : new io.descent.data.transforms.Compose(corruption)))) {
            Iterator<Batch>[] it = new Iterator[] {train.epoch(0).iterator()};
            int[] epoch = {0};
            model.train();
            r = new LrFinder(opt, startLr, endLr, steps, LrFinder.Sweep.parse(sweep), 0.98, 4).run(lr -> {
                if (!it[0].hasNext()) it[0] = train.epoch(++epoch[0]).iterator();
                Batch b = it[0].next();
                var loss = learned.loss(model.forward(b.inputs()), b);
                loss.backward();
                opt.step();
                opt.zeroGrad();
                return loss.item();
            });
        }
        Path csv = Path.of(out + ".csv"), png = Path.of(out + ".png");
        if (csv.getParent() != null) Files.createDirectories(csv.getParent());
        r.writeCsv(csv);
        r.writePng(png);
        System.out.printf("lr-find: %d steps %s%s; steepest descent at lr %.3g, a tenth of the lowest loss's lr %.3g; suggested lr %.3g%nwrote %s and %s%n",
                r.lrs().length, sweep, r.diverged() ? " (stopped: loss diverged)" : "", r.steepestLr(), r.minLossLrOver10(), r.suggestion(), csv, png);
        return 0;
    }
}
