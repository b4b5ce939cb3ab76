package io.descent.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} through the FFM API (java.lang.foreign), the reference the GEMM
 * benchmark compares against. Loads Debian's pthread build when present; {@link #load()} is
 * empty when no library is found, so benchmarks report the figure as missing instead of failing.
 */
final class OpenBlas {
    /** Where Debian's libopenblas0-pthread puts the library (the alternatives link first). */
    static final List<Path> CANDIDATES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"),
            Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"),
            Path.of("/usr/lib/aarch64-linux-gnu/libopenblas.so.0"));

    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private final MethodHandle sgemm;
    private final MethodHandle setNumThreads;
    final Path path;

    private OpenBlas(Path path, MethodHandle sgemm, MethodHandle setNumThreads) {
        this.path = path;
        this.sgemm = sgemm;
        this.setNumThreads = setNumThreads;
    }

    /** The first loadable library of {@link #CANDIDATES} that exports cblas_sgemm. */
    static Optional<OpenBlas> load() {
        Linker linker = Linker.nativeLinker();
        for (Path p : CANDIDATES) {
            if (!Files.isReadable(p)) continue;
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(p, Arena.global());
                Optional<MemorySegment> gemm = lib.find("cblas_sgemm");
                Optional<MemorySegment> threads = lib.find("openblas_set_num_threads");
                if (gemm.isEmpty() || threads.isEmpty()) continue;
                ValueLayout.OfInt i = ValueLayout.JAVA_INT;
                ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
                MethodHandle mh = linker.downcallHandle(gemm.get(), FunctionDescriptor.ofVoid(
                        i, i, i, i, i, i, f, ValueLayout.ADDRESS, i, ValueLayout.ADDRESS, i, f, ValueLayout.ADDRESS, i));
                MethodHandle nt = linker.downcallHandle(threads.get(), FunctionDescriptor.ofVoid(i));
                return Optional.of(new OpenBlas(p, mh, nt));
            } catch (IllegalArgumentException | IllegalCallerException | UnsatisfiedLinkError e) {
                // not loadable here (wrong architecture, native access denied): try the next one
            }
        }
        return Optional.empty();
    }

    void setThreads(int n) {
        try {
            setNumThreads.invokeExact(n);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
    }

    /** Row-major {@code C = alpha*op(A)*op(B) + beta*C} on native memory. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
               MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }
}
