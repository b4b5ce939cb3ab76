package io.descent.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorHardwareTest {
    private static String cpu(String vendor, String family) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\nmodel\t\t: 17\n"
                + "flags\t\t: fpu avx512f\n\nprocessor\t: 1\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\n\n";
    }

    @Test
    void theAmdFamilyIsReadFromTheFirstProcessorsVendorAndFamily() {
        assertEquals(0x19, VectorHardware.amdFamily(cpu("AuthenticAMD", "25")), "Zen 4");
        assertEquals(0x1A, VectorHardware.amdFamily(cpu("AuthenticAMD", "26")), "Zen 5");
        assertEquals(-1, VectorHardware.amdFamily(cpu("GenuineIntel", "25")), "another vendor");
        assertEquals(-1, VectorHardware.amdFamily(cpu("AuthenticAMD", "x")), "unreadable family");
        assertEquals(-1, VectorHardware.amdFamily(""), "no /proc/cpuinfo");
        assertEquals(-1, VectorHardware.amdFamily("vendor_id : AuthenticAMD\n"), "no family line");
        assertEquals(-1, VectorHardware.amdFamily(cpu("GenuineIntel", "25") + cpu("AuthenticAMD", "25")), "the first processor decides");
    }

    private static void cache(Path dir, String index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve(index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }

    @Test
    void theL1DataCacheIsReadFromSysfsElseGuessedFromTheFamily(@TempDir Path tmp) throws IOException {
        Path caches = tmp.resolve("cache");
        cache(caches, "index0", "1", "Data", "48K");
        cache(caches, "index1", "1", "Instruction", "32K");
        cache(caches, "index2", "2", "Unified", "2048K");
        assertEquals(48 * 1024, VectorHardware.l1DataBytes(caches, VectorHardware.amdFamily(cpu("GenuineIntel", "6"))), "sysfs decides");
        Path instructionFirst = tmp.resolve("other");
        cache(instructionFirst, "index0", "1", "Instruction", "64K");
        cache(instructionFirst, "index1", "1", "Data", "32K");
        assertEquals(32 * 1024, VectorHardware.l1DataBytes(instructionFirst, VectorHardware.amdFamily(cpu("AuthenticAMD", "26"))), "the data cache, not the instruction cache");
        Path none = tmp.resolve("none");
        assertEquals(48 * 1024, VectorHardware.l1DataBytes(none, VectorHardware.amdFamily(cpu("AuthenticAMD", "26"))), "Zen 5 without sysfs");
        assertEquals(32 * 1024, VectorHardware.l1DataBytes(none, VectorHardware.amdFamily(cpu("AuthenticAMD", "25"))), "Zen 4 without sysfs");
        assertEquals(32 * 1024, VectorHardware.l1DataBytes(none, VectorHardware.amdFamily(cpu("GenuineIntel", "6"))), "unknown: the smaller");
        Path garbled = tmp.resolve("garbled");
        cache(garbled, "index0", "1", "Data", "lots");
        assertEquals(48 * 1024, VectorHardware.l1DataBytes(garbled, VectorHardware.amdFamily(cpu("AuthenticAMD", "26"))), "an unreadable size falls back");
        assertEquals(1 << 20, VectorHardware.cacheBytes("1M"));
        assertEquals(49152, VectorHardware.cacheBytes("49152"));
    }

    @Test
    void theGemmSlabIsDeeperOnA48KiBL1() {
        assertEquals(512, GemmDriver.depth(48 * 1024));
        assertEquals(512, GemmDriver.depth(64 * 1024));
        assertEquals(256, GemmDriver.depth(32 * 1024));
        assertEquals(GemmDriver.depth(VectorHardware.L1D_BYTES), GemmDriver.KC);
        assertEquals(256 * 32 * GemmMicroKernel.NR, GemmDriver.KC * GemmDriver.NC, "B's block keeps its size at either depth");
    }
}
