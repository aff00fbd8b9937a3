package com.heygem.engine.sync;

import com.heygem.engine.template.MouthDescriptor;
import java.util.Arrays;

/**
 * How real people's mouths move with their sound, fitted to one template's mouths: the opening
 * people's mouths take with each moment of the sound (the ridge model of {@link SyncJudge#timingPrior},
 * learned from other speakers' footage; not the judge that grades renders) is ranked within the
 * speech and quantile-matched to the openings this template actually shows, so the model never asks
 * for a mouth the template does not have; a high second formant spreads the lips ("i", "e"), a low
 * one rounds them ("o", "u").
 *
 * <p>It follows natural timing by construction (its model was learned at each frame's own sound),
 * and on new speech it reads closer to natural than a model learned from the template's own few
 * seconds of speech (docs/quality.md: 60 of 60 template × speech pairs within a frame of natural
 * timing against 48 of 60, mean judge confidence 0.57 against 0.48, on the 15 talking videos where
 * the template's own model had won its cross-validation).
 */
final class NaturalModel implements MouthModel {
    /** The speech quantile range is mapped onto these template quantiles (closed … widest open). */
    static final double LOW_QUANTILE = 0.20;
    static final double HIGH_QUANTILE = 0.98;
    private static final float[] WEIGHTS = {3f, 1f, 0.5f, 0.5f, 0.3f, 0.3f};
    private static final SyncJudge OPENING = SyncJudge.timingPrior();
    private final float[][] sorted;

    /** @param zScores template z-scores, {@code MouthSpace.D} per frame, face frames only */
    NaturalModel(float[] zScores, boolean[] use) {
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
        // (Loudness, used before to drive the opening, is a poor guide: across 30 talking videos it
        // correlated 0.09 on average with the mouth's opening, this model 0.33.)
        float[] opening = OPENING.expectedOpening(audio);
        float[] f2 = new float[audio.frames];
        int centre = AudioContext.TAPS / 2;
        for (int t = 0; t < audio.frames; t++) {
            f2[t] = audio.values[t * AudioContext.DIM + centre * AudioContext.PER_TAP + 4];
        }
        shapes(opening, f2, audio.silent, out);
    }

    /**
     * The template's mouth for each frame of an expected opening: its rank among the speech frames
     * mapped onto the template's own openings.
     *
     * @param opening expected opening per frame, any scale
     * @param f2      second formant per frame (speaker-normalised; 0: neutral)
     * @param silent  frames without speech (not ranked)
     */
    void shapes(float[] opening, float[] f2, boolean[] silent, float[] out) {
        int d = MouthSpace.D;
        int frames = opening.length;
        float[] speechLevels = new float[frames];
        int n = 0;
        for (int t = 0; t < frames; t++) {
            if (!silent[t]) {
                speechLevels[n++] = opening[t];
            }
        }
        Arrays.sort(speechLevels, 0, n);
        for (int t = 0; t < frames; t++) {
            double q = n == 0 ? 0 : rank(speechLevels, n, opening[t]);
            double mapped = LOW_QUANTILE + (HIGH_QUANTILE - LOW_QUANTILE) * q;
            int o = t * d;
            out[o + MouthDescriptor.INNER_OPEN] = quantile(MouthDescriptor.INNER_OPEN, mapped);
            out[o + MouthDescriptor.OUTER_OPEN] = quantile(MouthDescriptor.OUTER_OPEN, mapped);
            out[o + MouthDescriptor.WIDTH] = quantile(MouthDescriptor.WIDTH, 0.5 + 0.15 * f2[t]);
            out[o + MouthDescriptor.ROUNDING] = quantile(MouthDescriptor.ROUNDING, 0.5 - 0.15 * f2[t]);
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
