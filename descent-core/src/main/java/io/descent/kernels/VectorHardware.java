package io.descent.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector unit under {@link FloatVector#SPECIES_PREFERRED} offers, for kernels that pick
 * a tile shape or a code path by it. The Vector API compiles the same source for AVX-512, AVX2
 * and NEON, but what is cheap differs: a kernel tuned for one can run at a third of the speed on
 * another (measured on an AMD Zen 3 with AVX2 against kernels shaped for AVX-512).
 */
final class VectorHardware {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * Vector registers the compiled code can use: 32 with 512-bit vectors (AVX-512's EVEX
     * encoding) and on AArch64, otherwise 16 (x86 with AVX2 or SSE; AVX-512 hardware limited to
     * 256-bit vectors is undercounted, which only costs smaller register tiles). A kernel that
     * keeps more values live than this has the JIT spill accumulators to the stack on every step
     * of its loop.
     */
    static final int REGISTERS = S.vectorBitSize() >= 512 || "aarch64".equals(System.getProperty("os.arch")) ? 32 : 16;

    /**
     * Whether masked loads and stores and gathers are single instructions (AVX-512's mask
     * registers). Elsewhere the JIT emulates them: on a Zen 3 (AVX2) a masked 8-lane copy took
     * 7 ns and an 8-lane gather 11 ns against 1.2 ns for a plain one, so packing code there
     * copies element by element instead.
     */
    static final boolean NATIVE_MASKS = S.vectorBitSize() >= 512;

    /**
     * Whether a permute that picks lanes from two vectors ({@code selectFrom(v1, v2)}) is one
     * instruction (AVX-512's {@code vpermt2ps}). AVX2 has none, and the JIT's fallback took
     * 35 ns per float on a Zen 3 in a 4×4 transpose.
     */
    static final boolean TWO_VECTOR_PERMUTES = S.vectorBitSize() >= 512;

    /** The CPU family if the CPU is AMD's, else -1: /proc/cpuinfo read once, for the flags below. */
    private static final int AMD_FAMILY = amdFamily(cpuinfo());

    /**
     * Whether 512-bit vector instructions go through 256-bit units in two passes (AMD Zen 4, CPU
     * family 0x19: AVX-512 at half the FMA rate of full-width units). Kernels whose advantage is
     * to issue fewer, wider operations per load are chosen only there: on a Zen 5 (family 0x1A,
     * full-width units, twice the FMA rate) the same kernels ran at 0.7–0.85× of the packed
     * tiles' speed (docs/PERFORMANCE.md, session 24). Read from /proc/cpuinfo (the JVM exposes no
     * CPUID); false where it cannot be read, as for every other CPU.
     */
    static final boolean HALF_RATE_512 = S.vectorBitSize() >= 512 && AMD_FAMILY == 0x19;

    /**
     * Bytes of level-1 data cache per core, which bounds how deep a slab of k the GEMM can hold
     * an A sliver for ({@link GemmDriver#KC}): Linux's sysfs description of cpu0's caches where
     * the kernel provides it, else 48 KiB on AMD family 0x1A and later (Zen 5; virtual machines
     * often hide sysfs's cache folders, as on the machine that measured this), else 32 KiB, the
     * smallest L1d of the x86 cores of the last decade.
     */
    static final int L1D_BYTES = l1DataBytes(Path.of("/sys/devices/system/cpu/cpu0/cache"), AMD_FAMILY);

    /** {@link #L1D_BYTES} from the sysfs folder {@code caches}, else from {@code amdFamily} ({@link #amdFamily}'s value). */
    static int l1DataBytes(Path caches, int amdFamily) {
        try (var dirs = Files.list(caches)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("index")).sorted().toList()) {
                if (read(d, "level").equals("1") && read(d, "type").equals("Data")) return cacheBytes(read(d, "size"));
            }
        } catch (IOException | RuntimeException e) {
            // no sysfs cache description: fall through to the CPU's family
        }
        return amdFamily >= 0x1A ? 48 * 1024 : 32 * 1024;
    }

    /** A sysfs cache size ("48K", "1024K", "32M", or bytes) in bytes. */
    static int cacheBytes(String size) {
        char unit = size.isEmpty() ? ' ' : Character.toUpperCase(size.charAt(size.length() - 1));
        int scale = unit == 'K' ? 1 << 10 : unit == 'M' ? 1 << 20 : 1;
        return Math.multiplyExact(Integer.parseInt(scale == 1 ? size : size.substring(0, size.length() - 1)), scale);
    }

    private static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file)).trim();
    }

    /** The CPU family of the first processor in {@code cpuinfo} (the text of /proc/cpuinfo) if it is AMD's, else -1. */
    static int amdFamily(String cpuinfo) {
        boolean amd = false;
        Integer fam = null;
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank() && fam != null) break; // the first processor's block is enough
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
            if (key.equals("vendor_id")) amd = value.equals("AuthenticAMD");
            else if (key.equals("cpu family") && fam == null) {
                try {
                    fam = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return amd && fam != null ? fam : -1;
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private VectorHardware() {}
}
