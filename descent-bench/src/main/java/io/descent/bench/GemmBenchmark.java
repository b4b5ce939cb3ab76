package io.descent.bench;

import io.descent.kernels.Gemm;
import io.descent.kernels.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH timing of {@link Gemm#sgemm} on the shapes of {@link GemmBench} (average time per call;
 * GFLOPS = 2mnk / time). {@code shape} is {@code MxNxK:OP} with OP as in BLAS: "TN" multiplies
 * by A stored k×m, "NT" by B stored n×k. For the OpenBLAS comparison use {@link GemmBench}.
 * The warm-up is long on purpose: until C2 has compiled the kernel, the Vector API runs
 * interpreted, some thousand times slower (the first iteration reads hundreds of ms per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=4m"})
public class GemmBenchmark {
    @Param({"256x256x256:NN", "512x512x512:NN", "1024x1024x1024:NN", "2048x2048x2048:NN",
            "128x128x3136:NN", "128x128x3136:TN", "128x128x3136:NT"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m, n, k, savedThreads;
    private boolean transA, transB;
    private float[] a, b, c;

    @Setup
    public void setUp() {
        String[] parts = shape.split("[x:]");
        m = Integer.parseInt(parts[0]);
        n = Integer.parseInt(parts[1]);
        k = Integer.parseInt(parts[2]);
        transA = parts[3].charAt(0) == 'T';
        transB = parts[3].charAt(1) == 'T';
        Random rnd = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() * 2 - 1;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() * 2 - 1;
        savedThreads = Parallel.threads();
        Parallel.setThreads(threads);
    }

    @TearDown
    public void tearDown() {
        Parallel.setThreads(savedThreads);
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        return c;
    }
}
