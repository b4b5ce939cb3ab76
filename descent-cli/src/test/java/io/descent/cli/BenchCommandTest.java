package io.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench command's input checks; nothing here runs a benchmark. */
class BenchCommandTest {
    @Test
    void unknownWorkloadsAreOneLineErrors() {
        Cli.Run e2e = Cli.run("bench", "e2e", "--workloads", "W1,W9");
        assertEquals(1, e2e.code());
        assertTrue(e2e.err().startsWith("descent: unknown workload 'W9' (W1, W2, W3, W4, W5, W6, or one row: W4-resnet50-fwd"), e2e.err());
        Cli.Run memory = Cli.run("bench", "memory", "--workloads", "W4");
        assertEquals(1, memory.code());
        assertEquals("descent: bench memory: unknown workload 'W4' (W1, W2, W3)", memory.err().strip());
        Cli.Run steps = Cli.run("bench", "memory", "--steps", "0");
        assertEquals("descent: --steps must be positive, got 0", steps.err().strip());
        Cli.Run what = Cli.run("bench", "speed");
        assertTrue(what.err().contains("(gemm, conv, models, checkpoint, e2e, memory)"), what.err());
    }

    @Test
    void helpNamesTheNewWorkloadsAndHidesTheSmokeTest() {
        Cli.Run help = Cli.run("bench", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("W4 resnet50 and vgg16") && help.out().contains("W5-seg8") && help.out().contains("memory:"), help.out());
        assertTrue(!help.out().contains("--tiny"), help.out());
    }
}
