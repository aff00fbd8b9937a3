package com.heygem.engine.sync;

import com.heygem.engine.template.MouthDescriptor;
import java.util.Arrays;

/**
 * For templates without speech to learn from: louder speech opens the mouth more, a high second
 * formant spreads the lips ("i", "e"), a low one rounds them ("o", "u"). The loudness is
 * quantile-matched to the openings this template actually shows, so the model never asks for a
 * mouth the template does not have.
 */
final class RuleModel implements MouthModel {
    /** The speech quantile range is mapped onto these template quantiles (closed … widest open). */
    static final double LOW_QUANTILE = 0.20;
    static final double HIGH_QUANTILE = 0.98;
    private static final float[] WEIGHTS = {3f, 1f, 0.5f, 0.5f, 0.3f, 0.3f};
    private final float[][] sorted;

    /** @param zScores template z-scores, {@code MouthSpace.D} per frame, face frames only */
    RuleModel(float[] zScores, boolean[] use) {
        int d = MouthSpace.D;
        int n = 0;
        for (boolean u : use) {
            if (u) {
                n++;
            }
        }
        sorted = new float[d][n];
        int i = 0;
        for (int f = 0; f < use.length; f++) {
            if (use[f]) {
                for (int k = 0; k < d; k++) {
                    sorted[k][i] = zScores[f * d + k];
                }
                i++;
            }
        }
        for (float[] s : sorted) {
            Arrays.sort(s);
        }
    }

    @Override
    public void predict(AudioContext audio, float[] out) {
        int d = MouthSpace.D;
        int frames = audio.frames;
        // Rank of each frame's (slightly smoothed) level among the speech frames of this sound.
        float[] level = new float[frames];
        int centre = AudioContext.TAPS / 2;
        for (int t = 0; t < frames; t++) {
            int o = t * AudioContext.DIM;
            level[t] = 0.5f * audio.values[o + centre * AudioContext.PER_TAP]
                    + 0.25f * audio.values[o + (centre - 1) * AudioContext.PER_TAP]
                    + 0.25f * audio.values[o + (centre + 1) * AudioContext.PER_TAP];
        }
        float[] speechLevels = new float[frames];
        int n = 0;
        for (int t = 0; t < frames; t++) {
            if (!audio.silent[t]) {
                speechLevels[n++] = level[t];
            }
        }
        Arrays.sort(speechLevels, 0, n);
        for (int t = 0; t < frames; t++) {
            double q = n == 0 ? 0 : rank(speechLevels, n, level[t]);
            double mapped = LOW_QUANTILE + (HIGH_QUANTILE - LOW_QUANTILE) * q;
            float f2 = audio.values[t * AudioContext.DIM + centre * AudioContext.PER_TAP + 4];
            int o = t * d;
            out[o + MouthDescriptor.INNER_OPEN] = quantile(MouthDescriptor.INNER_OPEN, mapped);
            out[o + MouthDescriptor.OUTER_OPEN] = quantile(MouthDescriptor.OUTER_OPEN, mapped);
            out[o + MouthDescriptor.WIDTH] = quantile(MouthDescriptor.WIDTH, 0.5 + 0.15 * f2);
            out[o + MouthDescriptor.ROUNDING] = quantile(MouthDescriptor.ROUNDING, 0.5 - 0.15 * f2);
            out[o + MouthDescriptor.TEETH] = quantile(MouthDescriptor.TEETH, mapped);
            out[o + MouthDescriptor.DARKNESS] = quantile(MouthDescriptor.DARKNESS, mapped);
        }
    }

    private float quantile(int k, double q) {
        float[] s = sorted[k];
        if (s.length == 0) {
            return 0;
        }
        double clamped = Math.max(0, Math.min(1, q));
        return s[(int) Math.round(clamped * (s.length - 1))];
    }

    private static double rank(float[] sorted, int n, float v) {
        int i = Arrays.binarySearch(sorted, 0, n, v);
        if (i < 0) {
            i = -i - 1;
        }
        return n <= 1 ? 0.5 : Math.min(1, i / (double) (n - 1));
    }

    @Override
    public float[] weights() {
        return WEIGHTS.clone();
    }
}
