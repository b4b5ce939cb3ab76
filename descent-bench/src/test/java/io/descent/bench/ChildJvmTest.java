package io.descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildJvmTest {
    /** A child main: allocates N MiB, sleeps S seconds, or fails, as asked. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            switch (args[0]) {
                case "alloc" -> {
                    try {
                        byte[] b = new byte[Integer.parseInt(args[1]) << 20];
                        System.out.println("allocated " + b.length);
                    } catch (OutOfMemoryError e) {
                        System.exit(ChildJvm.OUT_OF_MEMORY_EXIT);
                    }
                }
                case "sleep" -> Thread.sleep(Long.parseLong(args[1]) * 1000);
                case "flags" -> System.out.println("jvm " + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
                default -> System.exit(7);
            }
        }
    }

    @Test
    void heapLimitDecidesTheOutcome() throws Exception {
        List<String> echoed = new ArrayList<>();
        ChildJvm.Result ok = ChildJvm.run(ChildJvm.command("256m", Child.class, List.of("alloc", "64")), echoed::add, 60);
        assertEquals(ChildJvm.Outcome.COMPLETED, ok.outcome(), ok.output());
        assertTrue(echoed.contains("allocated " + (64 << 20)), echoed.toString());
        assertTrue(echoed.stream().noneMatch(l -> l.startsWith("WARNING: Using incubator")), "the incubator warning is not echoed");
        ChildJvm.Result oom = ChildJvm.run(ChildJvm.command("32m", Child.class, List.of("alloc", "64")), null, 60);
        assertEquals(ChildJvm.Outcome.OUT_OF_MEMORY, oom.outcome(), oom.output());
    }

    @Test
    void childrenRunWithTheLaunchersJvmFlags() throws Exception {
        List<String> echoed = new ArrayList<>();
        ChildJvm.Result r = ChildJvm.run(ChildJvm.command("64m", Child.class, List.of("flags")), echoed::add, 60);
        assertEquals(ChildJvm.Outcome.COMPLETED, r.outcome(), r.output());
        String flags = echoed.stream().filter(l -> l.startsWith("jvm ")).findFirst().orElseThrow();
        for (String f : List.of("-XX:+UseG1GC", "-XX:G1HeapRegionSize=4m", "-XX:MaxHeapFreeRatio=100", "-Xmx64m")) assertTrue(flags.contains(f), f + " in " + flags);
        assertEquals(ChildJvm.hugePagesOnRequest(), flags.contains("-XX:+UseTransparentHugePages"), flags);
    }

    @Test
    void slowChildrenAreStoppedAndOtherFailuresAreErrors() {
        ChildJvm.Result slow = assertDoesNotThrowResult(() -> ChildJvm.run(ChildJvm.command("64m", Child.class, List.of("sleep", "60")), null, 1));
        assertEquals(ChildJvm.Outcome.TIMED_OUT, slow.outcome());
        assertTrue(slow.seconds() < 30, "killed, not waited for: " + slow.seconds());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChildJvm.run(ChildJvm.command("64m", Child.class, List.of("fail")), null, 60));
        assertTrue(e.getMessage().startsWith("child JVM failed with status 7"), e.getMessage());
    }

    private interface Call {
        ChildJvm.Result get() throws Exception;
    }

    private static ChildJvm.Result assertDoesNotThrowResult(Call c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
