package com.heygem.engine.quality;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.Similarity;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.Speech;
import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.sync.Calibration;
import com.heygem.engine.sync.MouthSpace;
import com.heygem.engine.sync.Pearson;
import com.heygem.engine.sync.RenderPlan;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import java.nio.file.Path;

/**
 * The strongest automatic check of the audio-to-mouth model: hide a fifth of a talking
 * template's frames (five separate stretches) from both calibration and the frame library,
 * choose mouths for them from their own sound, and compare the chosen mouths with the real ones.
 * Compared on landmarks aligned to the canonical face (the compositor copies the chosen mouth
 * with a similarity warp, so this is what the output shows, minus re-detection noise).
 *
 * @param openingCorrelation   correlation of chosen and real inner-lip gap over the hidden frames
 * @param landmarkError        mean distance of the 20 mouth points, per inter-ocular distance
 * @param hiddenFrames         frames hidden and compared
 */
public record HeldOutEvaluation(double openingCorrelation, double landmarkError, int hiddenFrames, String method,
        double usability, double lagSeconds) {
    static final int BLOCKS = 5;
    static final double HIDDEN = 0.2;

    public static HeldOutEvaluation run(TemplateProfile profile, Path template, LipSyncRenderer renderer,
            SpeechFeatures templateSpeech, Speech ownSound) {
        int n = profile.frames();
        boolean[] hidden = new boolean[n];
        int block = (int) Math.round(n * HIDDEN / BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            int start = (int) Math.round((b + 0.5) * n / BLOCKS - block / 2.0);
            for (int f = Math.max(0, start); f < Math.min(n, start + block); f++) {
                hidden[f] = true;
            }
        }
        MouthSpace space = new MouthSpace(profile);
        Calibration calibration = Calibration.of(profile, space, templateSpeech, hidden);
        boolean[] library = new boolean[n];
        for (int f = 0; f < n; f++) {
            library[f] = profile.facePresent()[f] && !hidden[f];
        }
        RenderPlan plan = renderer.plan(profile, space, calibration, ownSound, library, -calibration.lagSeconds());
        float[] chosen = new float[n];
        float[] real = new float[n];
        boolean[] use = new boolean[n];
        float[] a = new float[Landmarks.VALUES];
        float[] b = new float[Landmarks.VALUES];
        float[] ca = new float[Landmarks.VALUES];
        float[] cb = new float[Landmarks.VALUES];
        double error = 0;
        int count = 0;
        int d = MouthDescriptor.SIZE;
        for (int t = 0; t < Math.min(n, plan.length()); t++) {
            int s = plan.source()[t];
            if (!hidden[t] || !profile.facePresent()[t] || s < 0) {
                continue;
            }
            use[t] = true;
            chosen[t] = profile.mouth()[s * d + MouthDescriptor.INNER_OPEN];
            real[t] = profile.mouth()[t * d + MouthDescriptor.INNER_OPEN];
            profile.landmarks(s, a);
            profile.landmarks(t, b);
            Similarity.apply(profile.transforms(), 4 * s, a, ca);
            Similarity.apply(profile.transforms(), 4 * t, b, cb);
            double interocular = Landmarks.interocular(cb);
            double sum = 0;
            for (int i = Landmarks.MOUTH_FIRST; i < Landmarks.POINTS; i++) {
                sum += Math.hypot(ca[2 * i] - cb[2 * i], ca[2 * i + 1] - cb[2 * i + 1]);
            }
            error += sum / (Landmarks.POINTS - Landmarks.MOUTH_FIRST) / interocular;
            count++;
        }
        return new HeldOutEvaluation(Pearson.lagged(chosen, real, use, 0), count == 0 ? Double.NaN : error / count, count,
                calibration.method(), calibration.usability(), calibration.lagSeconds());
    }
}
