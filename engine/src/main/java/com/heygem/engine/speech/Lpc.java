package com.heygem.engine.speech;


/**
 * Linear prediction of a speech frame and the first two resonances (formants) of the vocal
 * tract it implies. F1 follows how open the jaw is, F2 how far forward and spread the tongue
 * and lips are: together they say "a" from "i" from "u" in any language.
 */
final class Lpc {
    /** Wider resonances are spectral tilt or noise, not formants. */
    static final double MAX_BANDWIDTH_HZ = 500;

    private final int order;
    private final double[] a;
    private final double[] tmp;
    private final int sampleRate;
    private final double[] re;
    private final double[] im;

    /**
     * @param order  predictor order (about 2 + sample rate in kHz)
     */
    Lpc(int order, int sampleRate) {
        this.order = order;
        this.a = new double[order + 1];
        this.tmp = new double[order + 1];
        this.sampleRate = sampleRate;
        this.re = new double[order];
        this.im = new double[order];
    }

    /**
     * Fits the predictor to autocorrelation {@code r[0..order]} (Levinson-Durbin).
     *
     * @return false when the frame has no energy to predict
     */
    boolean fit(double[] r) {
        if (!(r[0] > 1e-12)) {
            return false;
        }
        java.util.Arrays.fill(a, 0);
        a[0] = 1;
        // A little lag windowing (white noise correction) keeps the recursion stable on pure tones.
        double error = r[0] * 1.0001;
        for (int i = 1; i <= order; i++) {
            double acc = r[i];
            for (int j = 1; j < i; j++) {
                acc += a[j] * r[i - j];
            }
            double k = -acc / error;
            System.arraycopy(a, 0, tmp, 0, i);
            for (int j = 1; j < i; j++) {
                a[j] = tmp[j] + k * tmp[i - j];
            }
            a[i] = k;
            error *= 1 - k * k;
            if (error <= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The two lowest resonances of the fitted predictor between {@code lowHz} and {@code highHz}
     * with a bandwidth under {@link #MAX_BANDWIDTH_HZ}, into {@code out[0]} and {@code out[1]} (Hz);
     * NaN where there is none. Read from the roots of the predictor polynomial rather than the
     * peaks of its envelope, whose shoulders and harmonic ripples would pass for formants.
     */
    void formants(double lowHz, double highHz, double[] out) {
        out[0] = Double.NaN;
        out[1] = Double.NaN;
        if (!roots()) {
            return; // no convergence: this frame simply has no formants
        }
        double best0 = Double.MAX_VALUE;
        double best1 = Double.MAX_VALUE;
        for (int k = 0; k < order; k++) {
            if (im[k] <= 1e-9) {
                continue; // each resonance appears once with positive angle
            }
            double hz = Math.atan2(im[k], re[k]) * sampleRate / (2 * Math.PI);
            double bandwidth = -Math.log(Math.hypot(re[k], im[k])) * sampleRate / Math.PI;
            if (hz < lowHz || hz > highHz || bandwidth > MAX_BANDWIDTH_HZ || bandwidth < 0) {
                continue;
            }
            if (hz < best0) {
                best1 = best0;
                best0 = hz;
            } else if (hz < best1) {
                best1 = hz;
            }
        }
        if (best0 < Double.MAX_VALUE) {
            out[0] = best0;
        }
        if (best1 < Double.MAX_VALUE) {
            out[1] = best1;
        }
    }

    /**
     * Roots of z^p + a1 z^(p-1) + ... + ap by simultaneous (Durand-Kerner) iteration, into
     * {@link #re}/{@link #im}. A fixed iteration budget: a frame that does not settle is skipped.
     */
    private boolean roots() {
        int n = order;
        // Start on a circle inside the unit disc, where a stable predictor's roots lie.
        for (int k = 0; k < n; k++) {
            double angle = 2 * Math.PI * k / n + 0.4;
            re[k] = 0.9 * Math.cos(angle);
            im[k] = 0.9 * Math.sin(angle);
        }
        for (int iteration = 0; iteration < 200; iteration++) {
            double largest = 0;
            for (int k = 0; k < n; k++) {
                // p(z_k) by Horner
                double pr = 1;
                double pi = 0;
                for (int j = 1; j <= n; j++) {
                    double r = pr * re[k] - pi * im[k] + a[j];
                    pi = pr * im[k] + pi * re[k];
                    pr = r;
                }
                // product of (z_k - z_j), j != k
                double qr = 1;
                double qi = 0;
                for (int j = 0; j < n; j++) {
                    if (j == k) {
                        continue;
                    }
                    double dr = re[k] - re[j];
                    double di = im[k] - im[j];
                    double r = qr * dr - qi * di;
                    qi = qr * di + qi * dr;
                    qr = r;
                }
                double den = qr * qr + qi * qi;
                if (den < 1e-300) {
                    return false;
                }
                double stepR = (pr * qr + pi * qi) / den;
                double stepI = (pi * qr - pr * qi) / den;
                re[k] -= stepR;
                im[k] -= stepI;
                largest = Math.max(largest, Math.abs(stepR) + Math.abs(stepI));
            }
            if (largest < 1e-10) {
                return true;
            }
        }
        return false;
    }
}
