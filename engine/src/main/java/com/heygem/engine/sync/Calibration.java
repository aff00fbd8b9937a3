package com.heygem.engine.sync;

import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;

/**
 * What a template teaches about its presenter: the audio-visual lag of its own recording and a
 * model from sound to this person's mouth, with a cross-validated score telling the user, before
 * rendering hundreds of copies, how well the template can follow new speech.
 *
 * @param method     {@code "calibrated"} (learnt from the template's speech) or {@code "rule"}
 * @param lagSeconds how late the template's mouth follows its own sound (negative: early)
 * @param usability  cross-validated correlation of predicted and real mouth opening, 0..1
 * @param ruleScore  the same for the rule model, for comparison
 */
public record Calibration(MouthModel model, String method, double lagSeconds, double usability, double ruleScore) {
    /** Lags searched, each way. */
    static final double MAX_LAG_SECONDS = 0.12;
    static final int FOLDS = 5;
    static final double[] RIDGES = {0.03, 0.1, 0.3, 1, 3};
    private static final float[] BASE_WEIGHTS = {3f, 1.5f, 1f, 1f, 0.5f, 0.5f};

    /**
     * @param speech  the template's own sound's features; null when it has none
     * @param exclude frames not to learn from (held-out evaluation); null for none
     */
    public static Calibration of(TemplateProfile profile, MouthSpace space, SpeechFeatures speech, boolean[] exclude) {
        int n = profile.frames();
        double fps = profile.summary().fps();
        boolean[] use = new boolean[n];
        int usable = 0;
        for (int f = 0; f < n; f++) {
            use[f] = profile.facePresent()[f] && (exclude == null || !exclude[f]);
            if (use[f]) {
                usable++;
            }
        }
        RuleModel rule = new RuleModel(space.z, use);
        if (speech == null || !profile.summary().hasSpeech() || usable < 50) {
            return new Calibration(rule, "rule", 0, 0, 0);
        }
        double lag = lag(space, speech, use, fps);
        // The context window (±150 ms) already spans any plausible lag; shifting the training by
        // a noisy estimate cost more than it gained on the shared templates (held-out check), so
        // the lag is reported, and only a clear recording offset (beyond ±2 frames) is removed.
        double shift = Math.abs(lag) > 2 / fps + 1e-9 ? lag : 0;
        AudioContext context = AudioContext.of(speech, n, fps, -shift);
        float[] truth = space.z;
        int d = MouthSpace.D;

        // Contiguous folds: neighbouring frames are nearly identical, random folds would flatter the model.
        int[] fold = new int[n];
        int seen = 0;
        for (int f = 0; f < n; f++) {
            fold[f] = use[f] ? Math.min(FOLDS - 1, seen++ * FOLDS / usable) : -1;
        }
        float[][] predicted = new float[RIDGES.length][n * d];
        for (int k = 0; k < FOLDS; k++) {
            boolean[] train = new boolean[n];
            for (int f = 0; f < n; f++) {
                train[f] = use[f] && fold[f] != k;
            }
            Ridge.Gram gram = new Ridge.Gram(context.values, AudioContext.DIM, truth, d, train);
            for (int r = 0; r < RIDGES.length; r++) {
                Ridge model = gram.solve(RIDGES[r]);
                for (int f = 0; f < n; f++) {
                    if (fold[f] == k) {
                        model.predict(context.values, f, predicted[r], f * d);
                    }
                }
            }
        }
        int best = 0;
        double bestScore = -2;
        for (int r = 0; r < RIDGES.length; r++) {
            double score = correlation(predicted[r], truth, use, MouthDescriptor.INNER_OPEN);
            if (score > bestScore) {
                bestScore = score;
                best = r;
            }
        }
        float[] stretch = new float[d];
        float[] weights = new float[d];
        for (int k = 0; k < d; k++) {
            double r = Math.max(0.1, correlation(predicted[best], truth, use, k));
            weights[k] = (float) (BASE_WEIGHTS[k] * r);
            stretch[k] = (float) Math.min(2, 1 / r);
        }
        Ridge fitted = new Ridge.Gram(context.values, AudioContext.DIM, truth, d, use).solve(RIDGES[best]);
        float[] rulePrediction = new float[n * d];
        rule.predict(AudioContext.of(speech, n, fps, -shift), rulePrediction);
        double ruleScore = correlation(rulePrediction, truth, use, MouthDescriptor.INNER_OPEN);
        double usability = Math.max(0, bestScore);
        if (bestScore < ruleScore) {
            return new Calibration(rule, "rule", shift, Math.max(0, ruleScore), ruleScore);
        }
        return new Calibration(new RegressionModel(fitted, stretch, weights), "calibrated", shift, usability, ruleScore);
    }

    /**
     * The shift maximising the correlation between mouth opening and the speech-band level read
     * {@code lag} earlier: the template's own audio-visual offset.
     */
    static double lag(MouthSpace space, SpeechFeatures speech, boolean[] use, double fps) {
        double best = 0;
        double bestCorrelation = -2;
        int steps = (int) Math.round(MAX_LAG_SECONDS / SpeechFeatures.HOP_SECONDS);
        float[] level = new float[use.length];
        for (int s = -steps; s <= steps; s++) {
            double shift = s * SpeechFeatures.HOP_SECONDS;
            for (int f = 0; f < use.length; f++) {
                level[f] = speech.levelAround(f / fps - shift);
            }
            double c = correlation(level, space.z, use, MouthDescriptor.INNER_OPEN);
            if (c > bestCorrelation) {
                bestCorrelation = c;
                best = shift;
            }
        }
        return best;
    }

    /** Pearson correlation of {@code a} (one value per frame, or D per frame with {@code dim}) and descriptor {@code dim} of {@code z}. */
    static double correlation(float[] a, float[] z, boolean[] use, int dim) {
        int d = MouthSpace.D;
        boolean perFrame = a.length == use.length;
        double sa = 0;
        double sb = 0;
        int n = 0;
        for (int f = 0; f < use.length; f++) {
            if (use[f]) {
                sa += perFrame ? a[f] : a[f * d + dim];
                sb += z[f * d + dim];
                n++;
            }
        }
        if (n < 3) {
            return 0;
        }
        double ma = sa / n;
        double mb = sb / n;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int f = 0; f < use.length; f++) {
            if (use[f]) {
                double x = (perFrame ? a[f] : a[f * d + dim]) - ma;
                double y = z[f * d + dim] - mb;
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
        }
        return aa <= 0 || bb <= 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /**
     * The mouth the sound asks for at each of its frames: the model's prediction, a closed relaxed
     * mouth in pauses and closed lips in short stops.
     *
     * @return {@code MouthSpace.D} z-scores per frame
     */
    public float[] targets(AudioContext audio, MouthSpace space) {
        int d = MouthSpace.D;
        float[] out = new float[audio.frames * d];
        model.predict(audio, out);
        for (int t = 0; t < audio.frames; t++) {
            if (audio.silent[t]) {
                System.arraycopy(space.rest, 0, out, t * d, d);
            } else if (audio.closure[t]) {
                out[t * d + MouthDescriptor.INNER_OPEN] = space.rest[MouthDescriptor.INNER_OPEN];
                out[t * d + MouthDescriptor.OUTER_OPEN] = Math.min(out[t * d + MouthDescriptor.OUTER_OPEN],
                        space.rest[MouthDescriptor.OUTER_OPEN]);
                out[t * d + MouthDescriptor.TEETH] = space.rest[MouthDescriptor.TEETH];
                out[t * d + MouthDescriptor.DARKNESS] = space.rest[MouthDescriptor.DARKNESS];
            }
        }
        return out;
    }
}
