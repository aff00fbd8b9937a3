package com.heygem.engine.sync;

import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;

/**
 * What a template's own footage says before it is rendered: how far its recording runs from its
 * sound, and how well the mouth model follows its mouth (a score telling the user, before rendering
 * hundreds of copies, how well the template can follow new speech). The model itself is the
 * {@link NaturalModel}: how real people's mouths move with their sound, fitted to this template's
 * range of mouth shapes, for templates with and without speech alike.
 *
 * @param method     always {@code "natural"} (kept in logs and reports: models learned from the
 *                   template's own speech were dropped after doing worse on new speech)
 * @param lagSeconds how late the template's mouth follows its own sound (negative: early), read by
 *                   {@link SyncJudge#timingPrior}; 0 within a frame of natural timing or when it cannot tell.
 *                   Renders follow natural timing whatever it is; replaying the template's own sound
 *                   in its own timing ({@code evaluate --held-out}) uses it
 * @param usability  correlation of the model's opening and the template's own on its own sound, in
 *                   its own timing, 0..1; 0 without speech
 */
public record Calibration(MouthModel model, String method, double lagSeconds, double usability) {
    /**
     * @param speech  the template's own sound's features; null when it has none
     * @param exclude frames not to measure on (held-out evaluation); null for none
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
        NaturalModel model = new NaturalModel(space.z, use);
        if (speech == null || !profile.summary().hasSpeech() || usable < 50) {
            return new Calibration(model, "natural", 0, 0);
        }
        double lag = recordingOffset(profile, speech, use, fps);
        float[] predicted = new float[n * MouthSpace.D];
        model.predict(AudioContext.of(speech, n, fps, -lag), predicted);
        double usability = Math.max(0, correlation(predicted, space.z, use, MouthDescriptor.INNER_OPEN));
        return new Calibration(model, "natural", lag, usability);
    }

    /** A recording offset beyond this (frames) is not believed: the reading is more likely wrong. */
    static final int MAX_OFFSET_FRAMES = 6;

    /** How late the template's mouth runs behind its own sound (seconds; 0 when it cannot tell). */
    static double recordingOffset(TemplateProfile profile, SpeechFeatures speech, boolean[] use, double fps) {
        SyncJudge prior = SyncJudge.timingPrior();
        float[] opening = new float[use.length];
        for (int t = 0; t < use.length; t++) {
            opening[t] = profile.mouth()[t * MouthDescriptor.SIZE + MouthDescriptor.INNER_OPEN];
        }
        SyncJudge.Reading r = prior.read(opening, use, speech, fps);
        int frames = r.offsetFrames() - prior.naturalOffset();
        // A frame either way is within what natural footage itself differs by: left as it is.
        return r.confidence() >= SyncJudge.CANNOT_TELL && Math.abs(frames) >= 2 && Math.abs(frames) <= MAX_OFFSET_FRAMES
                ? frames / fps : 0;
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
