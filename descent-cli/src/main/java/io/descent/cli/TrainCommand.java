package io.descent.cli;

import io.descent.data.BatchTransform;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.Transform;
import io.descent.data.TrainVal;
import io.descent.data.transforms.Compose;
import io.descent.data.transforms.CutMix;
import io.descent.data.transforms.Mixup;
import io.descent.data.transforms.RandomCrop;
import io.descent.data.transforms.RandomHorizontalFlip;
import io.descent.kernels.Parallel;
import io.descent.log.RunDirectory;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.nn.init.Init;
import io.descent.optim.Optimizer;
import io.descent.optim.Optimizers;
import io.descent.optim.ParamGroup;
import io.descent.optim.schedule.Schedule;
import io.descent.optim.schedule.Scheduler;
import io.descent.train.EarlyStopping;
import io.descent.train.Ema;
import io.descent.train.RunLogger;
import io.descent.train.SanityChecks;
import io.descent.train.Snapshots;
import io.descent.train.Task;
import io.descent.train.TrainConfig;
import io.descent.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent train}: builds the data, model, optimizer and schedule from flags, trains with
 * the {@link Trainer}, and writes {@code runs/NAME/} (config.json, metrics.csv, TensorBoard
 * events, best/last weights, checkpoint/, report.html). Defaults train a small CNN on the
 * built-in {@code shapes} data, so the command needs no download.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model (default: small-cnn on the built-in shapes data set).")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "classify|reconstruct|denoise|detect",
            description = "What to learn (default ${DEFAULT-VALUE}); detect: boxes with a centernet-* model (default centernet-resnet18 on shapes-detection).")
    String task;

    @Mixin
    NoiseOptions noiseOptions;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training data (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many optimizer updates (0: no limit).")
    long maxSteps;

    @Option(names = "--batch", defaultValue = "64", description = "Micro-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "K", description = "Micro-batches per optimizer update (default ${DEFAULT-VALUE}).")
    int accumulate;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "sgd, adagrad, rmsprop, adam, adamw, nadam, adamax, adadelta (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Learning rate (onecycle: its max lr; default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", description = "SGD/RMSprop momentum (default 0).")
    Double momentum;

    @Option(names = "--nesterov", description = "SGD Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", description = "Weight decay (AdamW: decoupled, default 0.01; others: L2, default 0).")
    Double weightDecay;

    @Option(names = "--betas", split = ",", paramLabel = "B1,B2", description = "Adam-family betas (default 0.9,0.999).")
    double[] betas;

    @Option(names = "--schedule", defaultValue = "onecycle", description = "constant, step, multistep, exponential, linear, polynomial, cosine, inverse-sqrt, cyclic, cosine-restarts, onecycle (default ${DEFAULT-VALUE}).")
    String schedule;

    @Mixin
    ScheduleCommand.Flags scheduleFlags;

    @Option(names = "--clip-norm", defaultValue = "0", paramLabel = "X", description = "Clip the global gradient norm (0: off).")
    double clipNorm;

    @Option(names = "--clip-value", defaultValue = "0", paramLabel = "X", description = "Clamp gradients into ±X (0: off).")
    double clipValue;

    @Option(names = "--checkpoint-segments", defaultValue = "0", paramLabel = "S",
            description = "Gradient checkpointing: keep only the inputs of S segments and recompute them in backward (0: off; a detector, any S > 1: its four backbone stages).")
    int checkpointSegments;

    @Option(names = "--snapshots", description = "Save the weights after each update that ends a descent of the lr schedule (each cosine-restarts cycle) as snapshot-U.safetensors: a snapshot ensemble (descent evaluate --weights RUN/snapshot-*.safetensors).")
    boolean snapshots;

    @Option(names = "--ema", paramLabel = "DECAY", description = "Keep an exponential moving average of the weights (e.g. 0.999), evaluated alongside.")
    Double ema;

    @Option(names = "--early-stop", paramLabel = "METRIC[:PATIENCE[:DELTA]]", description = "Stop when METRIC stops improving; restores the best weights (e.g. val_acc:5).")
    String earlyStop;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Cross-entropy label smoothing (default ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--augment", description = "Random crop (padding 2) and horizontal flip on training images.")
    boolean augment;

    @Option(names = "--mixup", paramLabel = "ALPHA", description = "Mixup with Beta(ALPHA, ALPHA) on training batches.")
    Double mixup;

    @Option(names = "--cutmix", paramLabel = "ALPHA", description = "CutMix with Beta(ALPHA, ALPHA) on training batches.")
    Double cutmix;

    @Option(names = "--on-nan", defaultValue = "halt", paramLabel = "halt|skip", description = "A NaN/Inf loss or gradient halts the run or skips the update (default ${DEFAULT-VALUE}).")
    String onNan;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights, data order and augmentation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Compute threads (default: the cores, or DESCENT_THREADS).")
    Integer threads;

    @Option(names = "--run", paramLabel = "NAME", description = "Run folder name under --runs-dir (default: model-data-time).")
    String run;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where run folders go (default ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--config", paramLabel = "FILE.json", description = "Flags from a JSON object ({\"lr\": 0.1, ...}); later flags win.")
    Path configFile; // expanded by Main before parsing; declared here for --help

    @Option(names = "--overwrite", description = "Replace an existing run folder of the same name.")
    boolean overwrite;

    /** Set by {@code descent resume}: continue the run in this folder from its checkpoint. */
    @Option(names = "--resume-from", hidden = true)
    Path resumeFrom;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        boolean detect = TaskNames.check(task);
        if (detect && modelOptions.model == null) modelOptions.model = "centernet-resnet18";
        String modelName = modelOptions.model("small-cnn");
        TaskNames.requireDetectorForDetection(modelName, detect);
        TrainConfig.NonFinite nan = switch (onNan) {
            case "halt" -> TrainConfig.NonFinite.HALT;
            case "skip" -> TrainConfig.NonFinite.SKIP;
            default -> throw new IllegalArgumentException("--on-nan must be halt or skip, got '" + onNan + "'");
        };
        TrainConfig config = new TrainConfig(epochs, maxSteps, accumulate, clipNorm, clipValue, nan, 0, 50);

        TrainVal tv = dataOptions.open(modelOptions, seed, detect);
        int[] shape = tv.train().get(0).shape();
        int numClasses = dataOptions.numClasses(tv);
        Task t = TaskNames.of(task, modelOptions.numClasses != null ? modelOptions.numClasses : numClasses, labelSmoothing);
        String data = dataOptions.data;
        int workers = dataOptions.workers;
        if (t instanceof Task.Classification && numClasses < 2) throw new IllegalArgumentException("--task classify needs at least 2 classes");
        Models.Config mc = modelOptions.forData(shape, numClasses, seed);
        Init.manualSeed(seed);
        Module model = Models.create(modelName, mc);

        List<ParamGroup> groups = List.of(new ParamGroup(model.namedParameters()));
        Optimizer opt = Optimizers.create(optimizer, groups, new Optimizers.Settings(lr, momentum, betas, weightDecay, null, nesterov));

        try (DataLoader train = new DataLoader(tv.train(), LoaderOptions.DEFAULT.withBatchSize(batch).withShuffle(true).withSeed(seed)
                .withNumWorkers(workers).withTransform(trainTransform(shape)).withBatchTransform(batchTransform(numClasses)));
             DataLoader val = new DataLoader(tv.val(), LoaderOptions.DEFAULT.withBatchSize(batch).withSeed(seed).withNumWorkers(workers)
                     .withTransform(valTransform()))) {
            long steps = maxSteps > 0 ? maxSteps : (long) epochs * ((train.numBatches() + accumulate - 1) / accumulate);
            Scheduler scheduler = new Scheduler(opt);
            Schedule[] built = scheduleFlags.build(schedule, steps, lr);
            scheduler.set("lr", built[0]);
            if (built[1] != null) scheduler.set(Scheduler.momentumName(opt), built[1]);

            String name = run != null ? run : modelName + "-" + data.replace(':', '_').replace('/', '_') + "-" + System.currentTimeMillis() / 1000;
            Path dir = resumeFrom != null ? resumeFrom : runsDir.resolve(name);
            if (checkpointSegments < 0) throw new IllegalArgumentException("--checkpoint-segments must be >= 0, got " + checkpointSegments);
            // checkpointing shares the model's parameters and names: only the forward pass changes
            Module trained = io.descent.train.Checkpointing.checkpoint(model, checkpointSegments);
            Trainer trainer = new Trainer(trained, opt, t, config).scheduler(scheduler).runDir(dir)
                    .weightsMetadata(ModelOptions.metadata(modelName, mc, task, dataOptions.normalization.name()));
            if (ema != null) trainer.ema(new Ema(model, ema, true, 1));
            if (earlyStop != null) trainer.earlyStopping(EarlyStopping.parse(earlyStop));
            Snapshots snapshotter = snapshots ? new Snapshots(built[0], steps, dir) : null;
            if (snapshotter != null) trainer.callback(snapshotter);
            RunDirectory runDir;
            if (resumeFrom != null) {
                trainer.resume(dir.resolve("checkpoint").resolve("state.safetensors"));
                runDir = RunDirectory.resume(dir, trainer.step());
                System.out.printf("resuming %s at epoch %d, update %d%n", dir, trainer.epoch() + 1, trainer.step());
            } else {
                runDir = RunDirectory.create(dir, overwrite);
                runDir.writeConfig(configMap(modelName, mc, steps));
            }
            trainer.callback(new RunLogger(runDir, System.out, "descent train: " + dir.getFileName(), batch, 10));

            System.out.printf("descent train: %s (%,d parameters) on %s: %d train / %d val examples %s, %d classes; %s lr %.3g, %s schedule, %d updates, %d thread(s)%n",
                    modelName, model.parameterCount(), data, tv.train().size(), tv.val().size(), java.util.Arrays.toString(shape), numClasses,
                    optimizer, lr, schedule, steps, Parallel.threads());
            if (t instanceof Task.Classification && resumeFrom == null) { // a resumed model is trained: its loss is not log(C)
                var check = SanityChecks.initialLoss(model, t, val.epoch(0).iterator().next(), numClasses);
                System.out.println("sanity: " + check.message());
            }
            long start = System.nanoTime();
            List<Map<String, Double>> rows = trainer.fit(train, val);
            if (t instanceof Task.Reconstruction) writeReconstructionReport(runDir, model, val, "descent train: " + dir.getFileName());
            if (t instanceof Task.Detection d) {
                runDir.writeReport(DetectionReport.add(runDir.report("descent train: " + dir.getFileName()), model, d, val, tv.train().classes(), dataOptions.normalization.transform()).build());
            }
            runDir.close();
            double secs = (System.nanoTime() - start) / 1e9;
            Map<String, Double> last = rows.get(rows.size() - 1);
            StringBuilder sb = new StringBuilder();
            last.forEach((k, v) -> {
                if (k.startsWith("val_") || k.startsWith("ema_val_")) sb.append(String.format(" %s %.4f", k, v));
            });
            System.out.printf("done in %.1f s:%s; run folder %s%n", secs, sb, dir);
            if (snapshotter != null) {
                List<String> files = snapshotter.saved().stream().map(Path::toString).toList();
                System.out.printf("snapshots: %d (%s)%s%n", files.size(), String.join(", ", files),
                        files.size() > 1 ? "; their ensemble: descent evaluate --model " + modelName + " --weights " + String.join(",", files) : "");
            }
        }
        return 0;
    }

    /** The report with a grid of 8 validation images: clean, model input (corrupted for denoise), reconstruction. */
    private void writeReconstructionReport(RunDirectory runDir, Module model, DataLoader val, String title) throws java.io.IOException {
        io.descent.data.Batch b = val.epoch(0).iterator().next();
        int n = Math.min(8, b.size()), per = b.inputs().numel() / b.size();
        int[] s = b.inputs().shape();
        model.eval();
        float[] out;
        try (var ng = io.descent.autograd.GradMode.noGrad()) {
            out = model.forward(b.inputs()).data();
        }
        float[] clean = (b.targets() != null ? b.targets() : b.inputs()).data(), in = b.inputs().data();
        boolean denoise = task.equals("denoise");
        List<String> rowsLabels = denoise ? List.of("clean", "corrupted input", "reconstruction") : List.of("input", "reconstruction");
        float[][] images = new float[rowsLabels.size() * n][];
        for (int i = 0; i < n; i++) {
            int r = 0;
            images[r++ * n + i] = java.util.Arrays.copyOfRange(clean, i * per, (i + 1) * per);
            if (denoise) images[r++ * n + i] = java.util.Arrays.copyOfRange(in, i * per, (i + 1) * per);
            images[r * n + i] = java.util.Arrays.copyOfRange(out, i * per, (i + 1) * per);
        }
        runDir.writeReport(runDir.report(title).imageGrid(denoise ? "Denoising (validation images)" : "Reconstruction (validation images)",
                rowsLabels, images, s[1], s[2], s[3]).build());
    }

    private Transform trainTransform(int[] shape) {
        List<Transform> ts = new ArrayList<>();
        if (augment) {
            ts.add(new RandomCrop(shape[1], 2));
            ts.add(new RandomHorizontalFlip());
        }
        noiseOptions.addCorruption(task, ts);
        return ts.isEmpty() ? null : new Compose(ts);
    }

    private Transform valTransform() {
        List<Transform> ts = new ArrayList<>();
        noiseOptions.addCorruption(task, ts);
        return ts.isEmpty() ? null : new Compose(ts);
    }

    private BatchTransform batchTransform(int numClasses) {
        if (task.equals("detect") && (mixup != null || cutmix != null)) throw new IllegalArgumentException("--mixup and --cutmix mix class labels: not for --task detect");
        if (mixup != null && cutmix != null) throw new IllegalArgumentException("choose --mixup or --cutmix, not both");
        if (mixup != null) return new Mixup(mixup, numClasses);
        if (cutmix != null) return new CutMix(cutmix, numClasses);
        return null;
    }

    private Map<String, Object> configMap(String modelName, Models.Config mc, long steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        // descent resume re-runs these flags (the original arguments start with the command name)
        List<String> argv = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        argv.subList(0, argv.indexOf("train") + 1).clear();
        m.put("argv", argv);
        m.put("model", modelName);
        m.put("num_classes", mc.numClasses());
        m.put("in_channels", mc.inChannels());
        m.put("image_size", mc.imageSize());
        m.put("normalize", dataOptions.normalization.name());
        m.put("data", dataOptions.data);
        m.put("task", task);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("accumulate", accumulate);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("schedule", schedule);
        m.put("updates", steps);
        m.put("seed", seed);
        if (weightDecay != null) m.put("weight_decay", weightDecay);
        if (momentum != null) m.put("momentum", momentum);
        if (clipNorm > 0) m.put("clip_norm", clipNorm);
        if (ema != null) m.put("ema", ema);
        if (checkpointSegments > 1) m.put("checkpoint_segments", checkpointSegments);
        if (earlyStop != null) m.put("early_stop", earlyStop);
        return m;
    }

}
