import java.util.Arrays;
import java.util.Random;

/**
 * Times Descent's GEMM (A: io.descent.kernels) against an edited copy (B: io.descent.kernelsb)
 * in one JVM, alternating turns so that both see the same load from the machine's neighbours.
 * Arguments: threads, seconds per turn, rounds, then shapes MxNxK[:OP] (OP: NN, NT, TN, TT).
 * After two warm-up rounds each round times A then B, or B then A (alternately); the line per
 * shape gives each side's median GFLOPS and the median and range of the rounds' B/A ratios.
 */
public class GemmAB {
    interface Product {
        void run(boolean tA, boolean tB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc);
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int rounds = Integer.parseInt(args[2]);
        io.descent.kernels.Parallel.setThreads(threads);
        io.descent.kernelsb.Parallel.setThreads(threads);
        Product a = (tA, tB, m, n, k, x, lda, y, ldb, c, ldc) -> io.descent.kernels.Gemm.sgemm(tA, tB, m, n, k, 1f, x, 0, lda, y, 0, ldb, 0f, c, 0, ldc);
        Product b = (tA, tB, m, n, k, x, lda, y, ldb, c, ldc) -> io.descent.kernelsb.Gemm.sgemm(tA, tB, m, n, k, 1f, x, 0, lda, y, 0, ldb, 0f, c, 0, ldc);
        for (int s = 3; s < args.length; s++) {
            String[] p = args[s].split("[x:]");
            int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
            String op = p.length > 3 ? p[3] : "NN";
            boolean tA = op.charAt(0) == 'T', tB = op.charAt(1) == 'T';
            Random r = new Random(1);
            float[] x = new float[m * k], y = new float[k * n], ca = new float[m * n], cb = new float[m * n];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < y.length; i++) y[i] = r.nextFloat() - 0.5f;
            int lda = tA ? m : k, ldb = tB ? k : n;
            Runnable runA = () -> a.run(tA, tB, m, n, k, x, lda, y, ldb, ca, n);
            Runnable runB = () -> b.run(tA, tB, m, n, k, x, lda, y, ldb, cb, n);
            runA.run();
            runB.run();
            boolean same = Arrays.equals(ca, cb);
            double flops = 2.0 * m * n * k;
            double[] ga = new double[rounds], gb = new double[rounds], ratio = new double[rounds];
            for (int w = 0; w < 2; w++) {
                gflops(runA, flops, seconds);
                gflops(runB, flops, seconds);
            }
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) {
                    ga[i] = gflops(runA, flops, seconds);
                    gb[i] = gflops(runB, flops, seconds);
                } else {
                    gb[i] = gflops(runB, flops, seconds);
                    ga[i] = gflops(runA, flops, seconds);
                }
                ratio[i] = gb[i] / ga[i];
            }
            if (System.getenv("ROUNDS") != null) System.out.println("A " + Arrays.toString(ga) + "\nB " + Arrays.toString(gb));
            System.out.printf("%s t%d %s: A %.1f  B %.1f  B/A median %.3f [%.3f..%.3f] bits %s%n", System.getenv().getOrDefault("TAG", "B"),
                    threads, args[s], median(ga), median(gb), median(ratio), Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0),
                    same ? "same" : "differ");
        }
    }

    static double gflops(Runnable product, double flops, double seconds) {
        long t0 = System.nanoTime();
        int calls = 0;
        do {
            product.run();
            calls++;
        } while (System.nanoTime() - t0 < seconds * 1e9);
        return flops * calls / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
