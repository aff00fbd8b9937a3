package com.heygem.engine.speech;

/**
 * Triangular filters evenly spaced on the mel scale, then a DCT: the cepstrum a speech
 * recogniser would see, used here only to tell mouth shapes apart, never words.
 */
final class MelFilterBank {
    private final int filters;
    private final int[] firstBin;
    private final float[][] weights;
    private final double[][] dct;
    private final double[] logEnergy;

    /**
     * @param bins       power-spectrum bins (FFT size / 2 + 1)
     * @param coefficients cepstral coefficients kept, after dropping c0 (overall loudness, which the envelope has)
     */
    MelFilterBank(int filters, int bins, int sampleRate, double lowHz, double highHz, int coefficients) {
        this.filters = filters;
        this.firstBin = new int[filters];
        this.weights = new float[filters][];
        double melLow = mel(lowHz);
        double melHigh = mel(highHz);
        double binHz = sampleRate / 2.0 / (bins - 1);
        double[] edges = new double[filters + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = hz(melLow + (melHigh - melLow) * i / (filters + 1)) / binHz;
        }
        for (int f = 0; f < filters; f++) {
            int from = (int) Math.ceil(edges[f]);
            int to = Math.min(bins - 1, (int) Math.floor(edges[f + 2]));
            firstBin[f] = from;
            weights[f] = new float[Math.max(0, to - from + 1)];
            for (int b = from; b <= to; b++) {
                double w = b <= edges[f + 1]
                        ? (b - edges[f]) / (edges[f + 1] - edges[f])
                        : (edges[f + 2] - b) / (edges[f + 2] - edges[f + 1]);
                weights[f][b - from] = (float) Math.max(0, w);
            }
        }
        dct = new double[coefficients][filters];
        for (int c = 0; c < coefficients; c++) {
            for (int f = 0; f < filters; f++) {
                dct[c][f] = Math.cos(Math.PI * (c + 1) * (f + 0.5) / filters) * Math.sqrt(2.0 / filters);
            }
        }
        logEnergy = new double[filters];
    }

    /** Cepstral coefficients 1..n of one power spectrum into {@code out[at ..]}. Not thread-safe. */
    void cepstrum(double[] power, float[] out, int at) {
        for (int f = 0; f < filters; f++) {
            double e = 0;
            float[] w = weights[f];
            int b0 = firstBin[f];
            for (int i = 0; i < w.length; i++) {
                e += w[i] * power[b0 + i];
            }
            logEnergy[f] = Math.log(e + 1e-10);
        }
        for (int c = 0; c < dct.length; c++) {
            double s = 0;
            double[] row = dct[c];
            for (int f = 0; f < filters; f++) {
                s += row[f] * logEnergy[f];
            }
            out[at + c] = (float) s;
        }
    }

    static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }
}
