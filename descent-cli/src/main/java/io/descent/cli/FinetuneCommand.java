package io.descent.cli;

import io.descent.data.ArrayDataset;
import io.descent.data.DataLoader;
import io.descent.data.LoaderOptions;
import io.descent.data.TrainVal;
import io.descent.io.Weights;
import io.descent.kernels.Parallel;
import io.descent.log.RunDirectory;
import io.descent.models.CenterNet;
import io.descent.models.Models;
import io.descent.nn.Module;
import io.descent.nn.init.Init;
import io.descent.optim.Optimizer;
import io.descent.optim.Optimizers;
import io.descent.optim.ParamGroup;
import io.descent.optim.schedule.Schedule;
import io.descent.optim.schedule.Scheduler;
import io.descent.tensor.Rng;
import io.descent.train.RunLogger;
import io.descent.train.Task;
import io.descent.train.TrainConfig;
import io.descent.train.Trainer;
import io.descent.transfer.FeatureCache;
import io.descent.transfer.Freezing;
import io.descent.transfer.GradualUnfreezing;
import io.descent.transfer.Heads;
import io.descent.transfer.LayerGroup;
import io.descent.transfer.LayerGroups;
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
 * {@code descent finetune}: transfer a pretrained model to the data given by the data flags,
 * with one of four strategies (package {@code io.descent.transfer}):
 * <ul>
 *   <li>{@code features}: frozen backbone; its features are computed once and cached, and only
 *       the new head trains, at {@code --head-lr} (default {@code --lr});</li>
 *   <li>{@code finetune}: the head and the last {@code --unfreeze} layer groups train, the
 *       groups at {@code --lr}, the head at {@code --head-lr} (default 10 × {@code --lr});</li>
 *   <li>{@code discriminative}: every group trains (or the last {@code --unfreeze}), the one
 *       below the head at {@code --lr} and each earlier one {@code --lr-ratio} times slower
 *       (ULMFiT, Howard &amp; Ruder 2018);</li>
 *   <li>{@code gradual}: the discriminative rates, but groups unfreeze one at a time from the
 *       head backwards, every {@code --every} epochs (ULMFiT).</li>
 * </ul>
 * The pretrained head is dropped (it was trained for other classes) unless {@code --keep-head};
 * batch norm in frozen groups stays in eval mode unless {@code --train-frozen-bn}. The run
 * folder holds what {@code train} writes, plus {@code model.safetensors}: the whole transferred
 * model (for {@code features}, best/last hold the head alone).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Transfer a pretrained model: --strategy features|finetune|discriminative|gradual.")
public final class FinetuneCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "Pretrained weights: .safetensors (e.g. a run's best.safetensors) or torchvision .pth.")
    Path weights;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "classify|detect",
            description = "classify (a new classifier head), or detect: a centernet-* detector whose backbone comes from --weights (a classifier's, e.g. torchvision's resnet18), with a new neck and heads (default ${DEFAULT-VALUE}).")
    String taskName;

    @Option(names = "--strategy", defaultValue = "finetune", paramLabel = "features|finetune|discriminative|gradual", description = "Transfer strategy (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--unfreeze", paramLabel = "N", description = "finetune: layer groups below the head to train (default 1); discriminative: limit to the last N (default all).")
    Integer unfreeze;

    @Option(names = "--every", defaultValue = "1", paramLabel = "E", description = "gradual: epochs between unfreezing steps (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--lr-ratio", defaultValue = "3", paramLabel = "R", description = "discriminative/gradual: each earlier group's lr is R times smaller (default ${DEFAULT-VALUE}).")
    double lrRatio;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Backbone lr (features: the head's); onecycle scales it as its max (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--head-lr", paramLabel = "X", description = "The head's lr (default: --lr for features, else 10 x --lr, or 3 x --lr for a detector's neck and heads).")
    Double headLr;

    @Option(names = "--head", defaultValue = "linear", paramLabel = "linear|mlp", description = "New head (default ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--hidden", defaultValue = "256", description = "mlp head: hidden units (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--dropout", defaultValue = "0.5", description = "mlp head: dropout (default ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--keep-head", description = "Keep the head of --weights (same classes, e.g. the output of a features run).")
    boolean keepHead;

    @Option(names = "--train-frozen-bn", description = "Let batch norm in frozen groups update its statistics (default: kept in eval mode).")
    boolean trainFrozenBn;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training data (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many optimizer updates (0: no limit; the schedule spans them).")
    long maxSteps;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "sgd, adagrad, rmsprop, adam, adamw, nadam, adamax, adadelta (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--momentum", description = "SGD/RMSprop momentum (default 0).")
    Double momentum;

    @Option(names = "--weight-decay", description = "Weight decay (AdamW: decoupled, default 0.01; others: L2, default 0).")
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "onecycle", description = "An lr schedule name as for train, applied as a multiplier of every group's lr (default ${DEFAULT-VALUE}).")
    String schedule;

    @Mixin
    ScheduleCommand.Flags scheduleFlags;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Cross-entropy label smoothing (default ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the new head, data order and few-shot draw (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Compute threads (default: the cores, or DESCENT_THREADS).")
    Integer threads;

    @Option(names = "--run", paramLabel = "NAME", description = "Run folder name under --runs-dir (default: model-strategy-time).")
    String run;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where run folders go (default ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--overwrite", description = "Replace an existing run folder of the same name.")
    boolean overwrite;

    /**
     * Whether --weights is a detector's (torchvision's or a CenterNet's), whose pyramid (the neck)
     * is pretrained as well as its backbone: it is loaded and is a layer group of its own.
     */
    private boolean pretrainedNeck;

    /** What the weights files of this run record (model, input size, task). */
    private Map<String, String> metadata = Map.of();

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        if (!List.of("features", "finetune", "discriminative", "gradual").contains(strategy)) {
            throw new IllegalArgumentException("--strategy must be features, finetune, discriminative or gradual, got '" + strategy + "'");
        }
        if (!head.equals("linear") && !head.equals("mlp")) throw new IllegalArgumentException("--head must be linear or mlp, got '" + head + "'");
        if (!taskName.equals("classify") && !taskName.equals("detect")) throw new IllegalArgumentException("--task must be classify or detect, got '" + taskName + "'");
        boolean detect = taskName.equals("detect");
        modelOptions.modelFrom(weights); // a Descent run's weights name their model
        String modelName = modelOptions.model(null);
        TaskNames.requireDetectorForDetection(modelName, detect);
        // the pretrained layers decide the input: an ImageNet ResNet keeps its 7×7 stem on small
        // images, and grey images are repeated for a 3-channel first layer
        var shapes = Weights.shapes(weights);
        // a torchvision detector's state dict (fasterrcnn_resnet50_fpn's COCO weights): its backbone and pyramid, renamed
        boolean torchvisionDetector = detect && CenterNet.isTorchvisionDetection(shapes.keySet());
        pretrainedNeck = torchvisionDetector || detect && shapes.keySet().stream().anyMatch(k -> k.startsWith("neck."));
        ModelOptions input = modelOptions.withInputFrom(torchvisionDetector ? CenterNet.backboneShapes(shapes) : shapes);
        dataOptions.normalization.defaultFrom(weights, shapes); // torchvision's weights expect ImageNet-normalised inputs
        TrainVal tv = dataOptions.open(input, seed, detect);
        int[] shape = tv.train().get(0).shape();
        int numClasses = dataOptions.numClasses(tv);
        if (numClasses < 2 && !detect) throw new IllegalArgumentException("finetune needs at least 2 classes");
        Models.Config mc = input.forData(shape, numClasses, seed);
        metadata = ModelOptions.metadata(modelName, mc, taskName, dataOptions.normalization.name());
        Init.manualSeed(seed);
        Module model;
        String headPath;
        Weights.Loaded loaded;
        if (detect) {
            // what the file does not give starts from its random initial values: built without skipping them
            model = Models.create(modelName, mc);
            headPath = "head";
            if (torchvisionDetector) {
                loaded = Weights.load(model, weights, true, ((CenterNet) model)::torchvisionName, k -> k.startsWith("head.") || k.endsWith("num_batches_tracked"));
            } else {
                // a classifier gives the backbone (its fc left over); a CenterNet the backbone and neck, and its heads with --keep-head
                loaded = Weights.load(model, weights, true, keepHead ? List.of("fc.") : pretrainedNeck ? List.of("head.") : List.of("fc.", "neck.", "head."));
            }
        } else {
            try (var skip = Init.skipRandom()) { // every value is loaded below, or is the head's, which is replaced
                model = Models.create(modelName, mc);
            }
            headPath = Heads.path(model);
            loaded = Weights.load(model, weights, true, keepHead ? List.of() : List.of(headPath + "."));
        }
        Rng rng = new Rng(seed * 0x9E3779B97F4A7C15L + 7);
        if (!keepHead && !detect) {
            if (head.equals("mlp")) Heads.replaceMlp(model, hidden, numClasses, dropout, rng);
            else Heads.replaceLinear(model, numClasses, rng);
        }
        // a detector's new heads diverge at 10 x (1e-2 with AdamW: the loss climbs from 2.5 to 7 in
        // half an epoch on shapes-detection, mAP 0), and train well at 3 x (mAP 0.36 after that epoch)
        double hLr = headLr != null ? headLr : strategy.equals("features") ? lr : (detect ? 3 : 10) * lr;
        Task task = detect ? new Task.Detection(numClasses) : new Task.Classification(labelSmoothing, 5);
        // update-to-weight ratios are logged per optimizer group; gradual unfreezing adds groups
        // mid-run (new metrics columns), and few-shot runs evaluate before the first ratio, so off
        if (maxSteps < 0) throw new IllegalArgumentException("--max-steps must be >= 0 (0: no limit), got " + maxSteps);
        TrainConfig config = TrainConfig.defaults().withEpochs(epochs).withMaxSteps(maxSteps).withRatioEverySteps(0);
        String name = run != null ? run : modelName + "-" + strategy + "-" + System.currentTimeMillis() / 1000;
        Path dir = runsDir.resolve(name);

        try (DataLoader train = new DataLoader(tv.train(), LoaderOptions.DEFAULT.withBatchSize(batch).withShuffle(true).withSeed(seed).withNumWorkers(dataOptions.workers));
             DataLoader val = new DataLoader(tv.val(), LoaderOptions.DEFAULT.withBatchSize(256).withSeed(seed).withNumWorkers(dataOptions.workers));
             RunDirectory runDir = RunDirectory.create(dir, overwrite)) {
            runDir.writeConfig(configMap(modelName, numClasses, hLr));
            System.out.printf("descent finetune: %s from %s, strategy %s, on %s: %d train / %d val examples, %d classes, inputs normalised: %s; %s, head lr %.3g, %d thread(s)%n",
                    modelName, weights.getFileName(), strategy, dataOptions.data, tv.train().size(), tv.val().size(), numClasses,
                    dataOptions.normalization.name(), optimizer, hLr, Parallel.threads());
            System.out.println("weights: " + loaded.summary());
            long start = System.nanoTime();
            // a detector's backbone gives maps at four scales, not one vector to cache: its features strategy trains the neck and heads (the heads only, on a pretrained neck) through the trainer
            Map<String, Double> last = strategy.equals("features") && !detect
                    ? features(model, headPath, hLr, task, config, train, val, runDir)
                    : fullModel(model, headPath, hLr, task, config, train, val, runDir);
            double secs = (System.nanoTime() - start) / 1e9;
            if (task instanceof Task.Detection d) {
                runDir.writeReport(DetectionReport.add(runDir.report("descent finetune: " + dir.getFileName()), model, d, val, tv.train().classes(), dataOptions.normalization.transform()).build());
            }
            Weights.save(model, dir.resolve("model.safetensors"), metadata);
            StringBuilder sb = new StringBuilder();
            last.forEach((k, v) -> {
                if (k.startsWith("val_")) sb.append(String.format(" %s %.4f", k, v));
            });
            System.out.printf("done in %.1f s:%s; run folder %s%n", secs, sb, dir);
        }
        return 0;
    }

    /** Feature extraction on a cache: one backbone pass per split, then the head alone trains. */
    private Map<String, Double> features(Module model, String headPath, double hLr, Task task, TrainConfig config,
                                         DataLoader train, DataLoader val, RunDirectory runDir) throws Exception {
        Freezing.freezeAllBut(model, headPath);
        if (!trainFrozenBn) Freezing.keepFrozenBatchNormInEval(model);
        var backbone = Heads.backbone(model);
        FeatureCache trainCache;
        try (DataLoader once = new DataLoader(train.dataset(), LoaderOptions.DEFAULT.withBatchSize(256).withNumWorkers(dataOptions.workers))) {
            trainCache = FeatureCache.extract(model, backbone, once);
        }
        FeatureCache valCache = FeatureCache.extract(model, backbone, val);
        Module headModule = model.get(headPath);
        ArrayDataset trainFeatures = trainCache.dataset(), valFeatures = valCache.dataset();
        Optimizer opt = Optimizers.create(optimizer, List.of(new ParamGroup(headModule.namedParameters()).with("lr", hLr)), settings());
        List<Map<String, Double>> rows;
        long start = System.nanoTime();
        try (DataLoader ft = new DataLoader(trainFeatures, LoaderOptions.DEFAULT.withBatchSize(batch).withShuffle(true).withSeed(seed));
             DataLoader fv = new DataLoader(valFeatures, LoaderOptions.DEFAULT.withBatchSize(256))) {
            Trainer trainer = new Trainer(headModule, opt, task, config).scheduler(scheduler(opt, ft.numBatches())).runDir(runDir.path());
            trainer.callback(new RunLogger(runDir, System.out, "descent finetune: " + runDir.path().getFileName(), batch, 10));
            rows = trainer.fit(ft, fv);
        }
        double headSecs = (System.nanoTime() - start) / 1e9;
        double cached = trainCache.seconds() + valCache.seconds() + headSecs;
        double recomputed = epochs * (trainCache.seconds() + valCache.seconds()) + headSecs;
        System.out.printf("feature cache: %d x %d train, %d val features in %.2f s; head trained %d epochs in %.2f s; total %.2f s vs ~%.2f s recomputing the backbone every epoch (%.1fx)%n",
                trainCache.count(), trainCache.dim(), valCache.count(), trainCache.seconds() + valCache.seconds(), epochs, headSecs, cached, recomputed, recomputed / cached);
        Map<String, Double> check = Trainer.evaluate(model, val, task, "val_");
        System.out.printf("whole model on the validation images: val_acc %.4f%n", check.get("val_acc"));
        return rows.get(rows.size() - 1);
    }

    /** finetune, discriminative, gradual: the whole model trains through the Trainer, some groups frozen. */
    private Map<String, Double> fullModel(Module model, String headPath, double hLr, Task task, TrainConfig config,
                                          DataLoader train, DataLoader val, RunDirectory runDir) {
        List<LayerGroup> groups = pretrainedNeck ? LayerGroups.withPretrainedNeck((CenterNet) model) : LayerGroups.of(model);
        int n = groups.size();
        GradualUnfreezing gradual = null;
        List<ParamGroup> pgs;
        double[] lrs;
        switch (strategy) {
            case "features" -> { // a detector: everything but its new neck and heads (heads only on a pretrained neck) frozen
                Freezing.freezeAllButLast(model, groups, 1);
                lrs = new double[n];
                java.util.Arrays.fill(lrs, hLr);
            }
            case "finetune" -> {
                int k = unfreeze != null ? unfreeze : 1;
                check(k, n);
                Freezing.freezeAllButLast(model, groups, k + 1);
                lrs = new double[n];
                java.util.Arrays.fill(lrs, lr);
                lrs[n - 1] = hLr;
            }
            case "discriminative" -> {
                int k = unfreeze != null ? unfreeze : n - 1;
                check(k, n);
                Freezing.freezeAllButLast(model, groups, k + 1);
                lrs = LayerGroups.discriminativeLrs(n, hLr, lr, lrRatio);
            }
            default -> {
                lrs = LayerGroups.discriminativeLrs(n, hLr, lr, lrRatio);
                gradual = new GradualUnfreezing(model, groups, lrs, every, !trainFrozenBn);
            }
        }
        if (gradual != null) {
            pgs = gradual.initialParamGroups();
        } else {
            if (!trainFrozenBn) Freezing.keepFrozenBatchNormInEval(model);
            pgs = LayerGroups.paramGroups(model, groups, lrs);
        }
        StringBuilder desc = new StringBuilder("layer groups (lr):");
        for (int i = 0; i < n; i++) desc.append(String.format(" %s %.3g", groups.get(i).name(), lrs[i]));
        System.out.println(desc + "; trainable now: " + Freezing.trainable(model).size() + " of " + model.namedParameters().size() + " tensors");
        Optimizer opt = Optimizers.create(optimizer, pgs, settings());
        Trainer trainer = new Trainer(model, opt, task, config).scheduler(scheduler(opt, train.numBatches())).runDir(runDir.path()).weightsMetadata(metadata);
        if (gradual != null) trainer.callback(gradual);
        trainer.callback(new RunLogger(runDir, System.out, "descent finetune: " + runDir.path().getFileName(), batch, 10));
        List<Map<String, Double>> rows = trainer.fit(train, val);
        if (gradual != null) gradual.log().forEach(System.out::println);
        return rows.get(rows.size() - 1);
    }

    private static void check(int k, int groups) {
        if (k < 0 || k > groups - 1) throw new IllegalArgumentException("--unfreeze must be in [0, " + (groups - 1) + "] for this model, got " + k);
    }

    private Optimizers.Settings settings() {
        return new Optimizers.Settings(lr, momentum, null, weightDecay, null, false);
    }

    /** The schedule as a multiplier of each group's own lr, so discriminative ratios hold. */
    private Scheduler scheduler(Optimizer opt, int batchesPerEpoch) {
        long steps = (long) epochs * batchesPerEpoch;
        Schedule[] built = scheduleFlags.build(schedule, maxSteps > 0 ? Math.min(maxSteps, steps) : steps, 1.0);
        Scheduler s = new Scheduler(opt).scale("lr", built[0]);
        if (built[1] != null) s.set(Scheduler.momentumName(opt), built[1]);
        return s;
    }

    private Map<String, Object> configMap(String modelName, int numClasses, double hLr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "finetune");
        m.put("model", modelName);
        m.put("weights", weights.toString());
        m.put("strategy", strategy);
        m.put("num_classes", numClasses);
        m.put("data", dataOptions.data);
        m.put("normalize", dataOptions.normalization.name());
        if (dataOptions.classes != null) {
            List<Integer> cs = new ArrayList<>();
            for (int c : dataOptions.classes) cs.add(c);
            m.put("classes", cs);
        }
        m.put("shots", dataOptions.shots);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("head_lr", hLr);
        m.put("lr_ratio", lrRatio);
        if (unfreeze != null) m.put("unfreeze", unfreeze);
        m.put("every", every);
        m.put("head", head);
        m.put("schedule", schedule);
        m.put("seed", seed);
        if (weightDecay != null) m.put("weight_decay", weightDecay);
        return m;
    }
}
