package com.heygem.engine.sync;

/**
 * Multi-output ridge regression on standardised inputs: the audio-to-mouth map learnt from a
 * few hundred frames of one person. Small enough (about 130 inputs) to solve exactly by
 * Cholesky; the ridge keeps it from memorising a short template.
 */
final class Ridge {
    private final int p;
    private final int q;
    private final double[] xMean;
    private final double[] xScale;
    private final double[] yMean;
    /** p x q weights on standardised inputs. */
    private final double[] w;

    private Ridge(int p, int q, double[] xMean, double[] xScale, double[] yMean, double[] w) {
        this.p = p;
        this.q = q;
        this.xMean = xMean;
        this.xScale = xScale;
        this.yMean = yMean;
        this.w = w;
    }

    /** Sufficient statistics of the rows where {@code use} is true, for fits at several ridges. */
    static final class Gram {
        final int p;
        final int q;
        final int n;
        final double[] xMean;
        final double[] xScale;
        final double[] yMean;
        final double[] xtx;
        final double[] xty;

        Gram(float[] x, int p, float[] y, int q, boolean[] use) {
            this.p = p;
            this.q = q;
            int rows = use.length;
            xMean = new double[p];
            xScale = new double[p];
            yMean = new double[q];
            int count = 0;
            for (int r = 0; r < rows; r++) {
                if (!use[r]) {
                    continue;
                }
                count++;
                for (int j = 0; j < p; j++) {
                    xMean[j] += x[r * p + j];
                }
                for (int k = 0; k < q; k++) {
                    yMean[k] += y[r * q + k];
                }
            }
            n = count;
            for (int j = 0; j < p; j++) {
                xMean[j] /= Math.max(1, n);
            }
            for (int k = 0; k < q; k++) {
                yMean[k] /= Math.max(1, n);
            }
            for (int r = 0; r < rows; r++) {
                if (use[r]) {
                    for (int j = 0; j < p; j++) {
                        double v = x[r * p + j] - xMean[j];
                        xScale[j] += v * v;
                    }
                }
            }
            for (int j = 0; j < p; j++) {
                double sd = Math.sqrt(xScale[j] / Math.max(1, n));
                xScale[j] = sd > 1e-6 ? 1 / sd : 0; // a constant input carries nothing
            }
            xtx = new double[p * p];
            xty = new double[p * q];
            double[] row = new double[p];
            for (int r = 0; r < rows; r++) {
                if (!use[r]) {
                    continue;
                }
                for (int j = 0; j < p; j++) {
                    row[j] = (x[r * p + j] - xMean[j]) * xScale[j];
                }
                for (int i = 0; i < p; i++) {
                    double ri = row[i];
                    if (ri == 0) {
                        continue;
                    }
                    int o = i * p;
                    for (int j = i; j < p; j++) {
                        xtx[o + j] += ri * row[j];
                    }
                    for (int k = 0; k < q; k++) {
                        xty[i * q + k] += ri * (y[r * q + k] - yMean[k]);
                    }
                }
            }
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < i; j++) {
                    xtx[i * p + j] = xtx[j * p + i];
                }
            }
        }

        /** Solves (X'X + lambda n I) w = X'y. */
        Ridge solve(double lambda) {
            double[] a = xtx.clone();
            double ridge = lambda * Math.max(1, n);
            for (int i = 0; i < p; i++) {
                a[i * p + i] += ridge;
            }
            cholesky(a, p);
            double[] w = new double[p * q];
            double[] b = new double[p];
            for (int k = 0; k < q; k++) {
                for (int i = 0; i < p; i++) {
                    b[i] = xty[i * q + k];
                }
                solveCholesky(a, p, b);
                for (int i = 0; i < p; i++) {
                    w[i * q + k] = b[i];
                }
            }
            return new Ridge(p, q, xMean, xScale, yMean, w);
        }
    }

    /** The fitted numbers as one line of text ({@link #decode} reads it back exactly). */
    String encode() {
        StringBuilder b = new StringBuilder().append(p).append(' ').append(q);
        for (double[] part : new double[][] {xMean, xScale, yMean, w}) {
            for (double v : part) {
                b.append(' ').append(v);
            }
        }
        return b.toString();
    }

    static Ridge decode(String line) {
        String[] f = line.trim().split("\\s+");
        int p = Integer.parseInt(f[0]);
        int q = Integer.parseInt(f[1]);
        if (f.length != 2 + 2 * p + q + p * q) {
            throw new IllegalArgumentException("a ridge of " + p + " x " + q + " needs " + (2 + 2 * p + q + p * q)
                    + " numbers, not " + f.length);
        }
        int[] at = {2};
        java.util.function.IntFunction<double[]> next = n -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = Double.parseDouble(f[at[0]++]);
            }
            return v;
        };
        return new Ridge(p, q, next.apply(p), next.apply(p), next.apply(q), next.apply(p * q));
    }

    void predict(float[] x, int row, float[] out, int at) {
        for (int k = 0; k < q; k++) {
            out[at + k] = (float) yMean[k];
        }
        int o = row * p;
        for (int j = 0; j < p; j++) {
            double v = (x[o + j] - xMean[j]) * xScale[j];
            if (v == 0) {
                continue;
            }
            for (int k = 0; k < q; k++) {
                out[at + k] += (float) (v * w[j * q + k]);
            }
        }
    }

    /** In-place lower Cholesky factor of a symmetric positive-definite matrix. */
    private static void cholesky(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            d = Math.sqrt(Math.max(d, 1e-12));
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / d;
            }
        }
    }

    private static void solveCholesky(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }
}
