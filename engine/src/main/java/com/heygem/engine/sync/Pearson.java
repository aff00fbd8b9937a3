package com.heygem.engine.sync;

/** Pearson correlation of two per-frame series, the measure behind sync and held-out figures. */
public final class Pearson {
    private Pearson() {
    }

    /**
     * Correlation of {@code a[t]} with {@code b[t + lag]} over the frames where {@code use[t]};
     * NaN with fewer than three pairs, 0 when either side is constant.
     */
    public static double lagged(float[] a, float[] b, boolean[] use, int lag) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int t = 0; t < a.length; t++) {
            int u = t + lag;
            if (!use[t] || u < 0 || u >= b.length) {
                continue;
            }
            double x = a[t];
            double y = b[u];
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
            n++;
        }
        if (n < 3) {
            return Double.NaN;
        }
        double cov = sab / n - (sa / n) * (sb / n);
        double va = saa / n - (sa / n) * (sa / n);
        double vb = sbb / n - (sb / n) * (sb / n);
        return va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb);
    }
}
