package com.heygem.engine.sync;

import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.Timeline;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.template.TurnPoints;
import java.util.Arrays;
import java.util.Random;

/**
 * How faithfully a template can show the mouth of natural speech, known before any speech is
 * chosen and for templates without sound of their own: a fixed stretch of pseudo-speech (syllables
 * of 0.18–0.29 s with pauses every 2–4 s, an opening per syllable) goes through the renderer's own
 * mouth model and frame choice for this template, and the opening of the mouths it would place is
 * correlated with the opening asked for. A template whose mouth rarely opens, or opens only with
 * a smile or a turned head, places mouths that follow the speech loosely.
 *
 * <p>It predicts how the sync judge grades the template's renders (docs/quality.md: over the six
 * shared templates, ordered alike but for one), without using the judge or any speech.
 */
public final class SyncForecast {
    static final double SECONDS = 30;
    private static final long SEED = 24;

    private SyncForecast() {
    }

    /** The correlation (0..1) of the opening placed with the opening asked for; 0 without a face. */
    public static double fidelity(TemplateProfile profile) {
        double fps = profile.summary().fps();
        boolean[] faces = UnitSelector.allFaces(profile);
        int faceFrames = 0;
        for (boolean f : faces) {
            faceFrames += f ? 1 : 0;
        }
        if (faceFrames == 0 || !(fps > 0)) {
            return 0;
        }
        Timeline timeline = TurnPoints.timeline(profile, SECONDS, LoopMode.PING_PONG);
        int frames = timeline.length();
        int[] background = new int[frames];
        for (int t = 0; t < frames; t++) {
            background[t] = timeline.sourceFrame(t);
        }
        float[] asked = new float[frames];
        boolean[] silent = new boolean[frames];
        pseudoSpeech(asked, silent, fps);

        MouthSpace space = new MouthSpace(profile);
        NaturalModel model = new NaturalModel(space.z, profile.facePresent());
        int d = MouthSpace.D;
        float[] targets = new float[frames * d];
        model.shapes(asked, new float[frames], silent, targets);
        for (int t = 0; t < frames; t++) {
            if (silent[t]) {
                System.arraycopy(space.rest, 0, targets, t * d, d);
            }
        }
        RenderPlan plan = new UnitSelector(profile, space, faces).select(targets, model.weights(), silent, background, fps);
        float[] placed = new float[frames];
        boolean[] use = new boolean[frames];
        for (int t = 0; t < frames; t++) {
            int s = plan.source()[t];
            if (s >= 0) {
                placed[t] = space.z[s * d + MouthDescriptor.INNER_OPEN];
                use[t] = true;
            }
        }
        double c = Pearson.lagged(placed, asked, use, 0);
        return Double.isNaN(c) ? 0 : Math.max(0, c);
    }

    /** Syllables as half-sine openings of random height, with pauses; the same every time. */
    static void pseudoSpeech(float[] opening, boolean[] silent, double fps) {
        Random random = new Random(SEED);
        int frames = opening.length;
        double seconds = frames / fps;
        double t = 0.5;
        double pauseAt = 2 + 2 * random.nextDouble();
        while (t < seconds) {
            if (t > pauseAt) {
                t += 0.4 + 0.4 * random.nextDouble();
                pauseAt = t + 2 + 2 * random.nextDouble();
                continue;
            }
            double length = 1 / (3.5 + 2 * random.nextDouble());
            double height = 0.3 + 0.7 * random.nextDouble();
            for (int f = (int) (t * fps); f <= Math.min(frames - 1, (int) ((t + length) * fps)); f++) {
                double phase = (f / fps - t) / length;
                if (phase >= 0 && phase <= 1) {
                    opening[f] = (float) Math.max(opening[f], height * Math.sin(Math.PI * phase));
                }
            }
            t += length;
        }
        for (int f = 0; f < frames; f++) {
            silent[f] = opening[f] == 0 && (f == 0 || opening[f - 1] == 0) && (f + 1 >= frames || opening[f + 1] == 0);
        }
    }
}
