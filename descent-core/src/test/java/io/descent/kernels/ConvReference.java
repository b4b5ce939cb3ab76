package io.descent.kernels;

/**
 * The plain reference convolution that {@link ConvKernels} is tested against: the direct
 * seven-loop definition, {@code y[n, o, oy, ox] = Σ_{c, ki, kj} x[n, c, oy·sh − ph + ki·dh,
 * ox·sw − pw + kj·dw] · w[o, c, ki, kj]}, visited once per (input, weight, output) triple,
 * accumulating in double; the gradients visit the same triples.
 */
final class ConvReference {
    private ConvReference() {}

    @FunctionalInterface
    interface Triple {
        void visit(int xi, int wi, int yi);
    }

    /** Calls {@code t} for every input element, weight element and output element multiplied together. */
    static void forEachTriple(ConvGeometry g, Triple t) {
        int cg = g.cg(), og = g.og();
        for (int n = 0; n < g.n(); n++)
            for (int gr = 0; gr < g.groups(); gr++)
                for (int oc = 0; oc < og; oc++)
                    for (int oy = 0; oy < g.oh(); oy++)
                        for (int ox = 0; ox < g.ow(); ox++)
                            for (int ic = 0; ic < cg; ic++)
                                for (int ki = 0; ki < g.kh(); ki++)
                                    for (int kj = 0; kj < g.kw(); kj++) {
                                        int iy = oy * g.sh() - g.ph() + ki * g.dh(), ix = ox * g.sw() - g.pw() + kj * g.dw();
                                        if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                        int xi = ((n * g.c() + gr * cg + ic) * g.h() + iy) * g.w() + ix;
                                        int wi = (((gr * og + oc) * cg + ic) * g.kh() + ki) * g.kw() + kj;
                                        int yi = ((n * g.o() + gr * og + oc) * g.oh() + oy) * g.ow() + ox;
                                        t.visit(xi, wi, yi);
                                    }
    }

    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] bias) {
        double[] y = new double[g.n() * g.outImageSize()];
        forEachTriple(g, (xi, wi, yi) -> y[yi] += (double) x[xi] * w[wi]);
        if (bias != null) for (int i = 0; i < y.length; i++) y[i] += bias[(i / g.p()) % g.o()];
        return toFloat(y);
    }

    static float[] backwardData(ConvGeometry g, float[] dy, float[] w) {
        double[] dx = new double[g.n() * g.imageSize()];
        forEachTriple(g, (xi, wi, yi) -> dx[xi] += (double) dy[yi] * w[wi]);
        return toFloat(dx);
    }

    static float[] backwardWeight(ConvGeometry g, float[] x, float[] dy) {
        double[] dw = new double[g.weightSize()];
        forEachTriple(g, (xi, wi, yi) -> dw[wi] += (double) dy[yi] * x[xi]);
        return toFloat(dw);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
