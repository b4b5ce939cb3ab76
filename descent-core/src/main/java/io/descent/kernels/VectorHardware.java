package io.descent.kernels;

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

    private VectorHardware() {}
}
