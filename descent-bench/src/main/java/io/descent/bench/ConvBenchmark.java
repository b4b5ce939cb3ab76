package io.descent.bench;

import io.descent.kernels.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH view of {@link ConvBench}: the time of one pass of the benchmark layer per thread count.
 * GFLOPS = {@code 0.9248 / (ms per op)} for this layer (0.9248 GFLOP per pass).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
    @Param({"FORWARD", "INPUT_GRAD", "WEIGHT_GRAD"})
    public ConvBench.Pass pass;

    @Param({"1", "2"})
    public int threads;

    private ConvBench.Layer layer;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        layer = ConvBench.resnetLayer();
    }

    @Benchmark
    public float[] conv() {
        pass.run(layer);
        return layer.y;
    }
}
