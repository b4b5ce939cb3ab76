package io.descent.cli;

import io.descent.bench.CheckpointBench;
import io.descent.bench.ConvBench;
import io.descent.bench.E2eBench;
import io.descent.bench.E2eSizes;
import io.descent.bench.E2eWorkload;
import io.descent.bench.GemmBench;
import io.descent.bench.MemoryBench;
import io.descent.bench.ModelBench;
import io.descent.bench.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent bench gemm|conv|models|checkpoint|e2e|memory}: the benchmark runners of descent-bench, printed as a
 * table and optionally written as a JSON list of rows (bench-results/ is the usual place).
 * Speed is measured here, never asserted in tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks: gemm (GFLOPS beside OpenBLAS when installed), conv (conv2d passes), models (resnet50/vgg16 images/s),",
                "checkpoint (peak saved bytes, peak heap and step time for 0/2/4/8 checkpointed segments),",
                "e2e (workloads W1-W5 in Descent and PyTorch side by side, W1-W2 also in PyTorch via DJL once descent-bench-djl is built (mvn -Pdjl); JSON to bench-results/e2e.json unless --json),",
                "memory (smallest -Xmx that trains a workload, and peak RSS beside PyTorch's; JSON to bench-results/memory.json unless --json).",
                "For a fair OpenBLAS comparison unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE."})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "gemm|conv|models|checkpoint|e2e|memory", description = "What to measure.")
    String what;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
    Path json;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default ${DEFAULT-VALUE}).")
    int[] threads;

    @Option(names = "--seconds", defaultValue = "2", description = "Measuring time per row (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--shapes", split = ",", paramLabel = "MxNxK[:OP]",
            description = "gemm: shapes to measure instead of the standard set, e.g. 128x512x784:NT (OP = NN, NT, TN or TT; default NN).")
    List<String> shapes;

    @Option(names = "--layer", paramLabel = "N,C,H,W,O,K,P,S",
            description = "conv: the layer to measure instead of the standard one (batch, in channels, height, width, out channels, kernel, padding, stride).")
    String layer;

    @Option(names = "--models", split = ",", description = "models: which (default resnet50,vgg16); checkpoint: mlp and/or resnet50 (default mlp).")
    List<String> models;

    @Option(names = "--project", paramLabel = "ITERATIONS", defaultValue = "0",
            description = {"models: instead of timing, run ITERATIONS of each row with each --threads value and project their time onto that many cores",
                    "from the critical path of the ops' chunks (CPU time per chunk; a lower bound, for machines with fewer cores than threads)."})
    int project;

    @Option(names = "--batch", defaultValue = "8", description = "models: batch size at 224 px (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workloads", split = ",", paramLabel = "W",
            description = {"e2e: which workloads (default W1,W2): W1 MLP, W2 small CNN, W3 ResNet-18 (Fashion-MNIST training);",
                    "W4 resnet50 and vgg16 at 224 px, batch 8, forward and train step (rows W4-resnet50-fwd, -train, W4-vgg16-fwd, -train);",
                    "W5 gradient checkpointing, 32 x Linear 2048, batch 1024, 0/4/8 segments (rows W5-seg0, W5-seg4, W5-seg8);",
                    "a single row by its name also works. memory: W1, W2 and/or W3 (default W2,W3).",
                    "e2e and memory use the last --threads value."})
    List<String> workloads;

    @Option(names = "--steps", defaultValue = "30", description = "memory: training steps per probe (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--tiny", hidden = true, description = "e2e: W4/W5 at tiny sizes, to check that they run (figures mean nothing).")
    boolean tiny;

    @Option(names = "--runs", defaultValue = "1", description = "e2e: runs per framework; images/s is the median (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--data", paramLabel = "DIR", description = "e2e, memory: Fashion-MNIST folder (default: Descent's search path; PyTorch: /usr/share/datasets/fashion-mnist).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (models == null) models = what.equals("checkpoint") ? List.of("mlp") : List.of("resnet50", "vgg16");
        for (int t : threads) if (t < 1) throw new IllegalArgumentException("--threads must be positive, got " + Arrays.toString(threads));
        String table, out;
        switch (what) {
            case "gemm" -> {
                for (String v : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
                    if (System.getenv(v) != null) System.out.println("warning: " + v + " is set; OpenBLAS runs its slower kernels (unset it for a fair comparison)");
                }
                var rows = GemmBench.run(threads, true, shapes == null ? GemmBench.CASES : GemmBench.parseCases(shapes));
                table = GemmBench.table(rows);
                out = GemmBench.toJson(rows);
            }
            case "conv" -> {
                var rows = ConvBench.run(layer == null ? ConvBench.resnetLayer() : ConvBench.parseLayer(layer), threads, seconds);
                table = ConvBench.table(rows);
                out = ConvBench.toJson(rows);
            }
            case "models" -> {
                if (project < 0) throw new IllegalArgumentException("--project takes a number of iterations, got " + project);
                if (project > 0) {
                    var rows = new java.util.ArrayList<ModelBench.Projected>();
                    for (int t : threads) rows.addAll(ModelBench.project(models, batch, t, project));
                    table = ModelBench.projectedTable(rows);
                    out = ModelBench.projectedJson(rows);
                    break;
                }
                var rows = new java.util.ArrayList<ModelBench.Row>();
                for (int t : threads) rows.addAll(ModelBench.run(models, batch, t, seconds));
                table = ModelBench.table(rows);
                out = ModelBench.toJson(rows);
            }
            case "checkpoint" -> {
                var workloads = new java.util.ArrayList<CheckpointBench.Workload>();
                for (String m : models) {
                    workloads.add(switch (m) {
                        case "mlp" -> CheckpointBench.deepMlp(32, 2048, 1024);
                        case "resnet50" -> CheckpointBench.resnet50(batch, 224);
                        default -> throw new IllegalArgumentException("bench checkpoint: --models takes mlp and/or resnet50, got '" + m + "'");
                    });
                }
                var rows = CheckpointBench.run(workloads, new int[] {0, 2, 4, 8}, seconds, false);
                table = CheckpointBench.table(rows);
                out = CheckpointBench.toJson(rows);
            }
            case "e2e" -> {
                if (runs < 1) throw new IllegalArgumentException("--runs must be positive, got " + runs);
                List<E2eWorkload> chosen = E2eWorkload.parse(workloads == null ? List.of("W1", "W2") : workloads, tiny ? E2eSizes.TINY : E2eSizes.ISSUE8);
                var rows = E2eBench.run(chosen, threads[threads.length - 1], runs, data, System.out::println);
                table = E2eBench.table(rows);
                out = E2eBench.toJson(rows);
                if (json == null) json = Path.of("bench-results", "e2e.json");
            }
            case "memory" -> {
                if (steps < 1) throw new IllegalArgumentException("--steps must be positive, got " + steps);
                List<Workload> chosen;
                try {
                    chosen = Workload.parse(workloads == null ? List.of("W2", "W3") : workloads);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bench memory: " + e.getMessage());
                }
                var rows = MemoryBench.run(chosen, threads[threads.length - 1], steps, data, System.out::println);
                table = MemoryBench.table(rows);
                out = MemoryBench.toJson(rows);
                if (json == null) json = Path.of("bench-results", "memory.json");
            }
            default -> throw new IllegalArgumentException("bench: unknown benchmark '" + what + "' (gemm, conv, models, checkpoint, e2e, memory)");
        }
        System.out.print(table);
        if (json != null) {
            if (json.getParent() != null) Files.createDirectories(json.getParent());
            Files.writeString(json, out);
            System.out.println("wrote " + json);
        }
        return 0;
    }
}
