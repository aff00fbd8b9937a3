package com.heygem.engine.template;

import com.heygem.engine.face.Landmarks;
import java.util.List;

/**
 * Everything the lip sync needs to know about one template, computed once and cached.
 *
 * <p>Per-frame values live in flat arrays indexed by the frame of the template's constant-rate
 * timeline: frame {@code f}'s landmarks start at {@code f * 136}, its canonical transform
 * {@code {a, b, tx, ty}} at {@code f * 4}, its mouth descriptor at {@code f * MouthDescriptor.SIZE}.
 * Frames without a face have {@code facePresent[f] == false} and meaningless values.
 *
 * @param contentHash   SHA-256 of the file's bytes, hex
 * @param landmarks     smoothed 68-point landmarks, image pixels
 * @param transforms    image-to-canonical similarity per frame
 * @param mouth         {@link MouthDescriptor} per frame
 * @param eyeAspect     eye aspect ratio per frame (blinks dip below 0.2)
 * @param yaw           head turn per frame, see {@code Landmarks.yaw}
 * @param cutBefore     per frame, whether a shot cut or jump cut lies between it and the frame before
 * @param mouthCovered  per frame, whether the face is there but its mouth is covered or unclear ({@link MouthCover}):
 *                      never a mouth source, and left as it is as a background
 * @param summary       per-template facts and warnings
 * @param ownSpeech     the template's own sound, analysed once with the rest (null without sound): its
 *                      recording offset and speech-to-mouth fit are read from it without decoding it again
 */
public record TemplateProfile(
        String contentHash,
        boolean[] facePresent,
        float[] landmarks,
        float[] transforms,
        float[] mouth,
        float[] eyeAspect,
        float[] yaw,
        boolean[] cutBefore,
        boolean[] mouthCovered,
        Summary summary,
        com.heygem.engine.speech.SpeechFeatures ownSpeech) {

    /**
     * @param faceFraction       share of frames with the face, 0..1
     * @param faceSidePixels     median face box side
     * @param maxFaces           most faces seen at once
     * @param voicedFraction     share of the template's sound that is voice, 0..1 (0 without sound)
     * @param mouthLow           5th percentile of each mouth measure over face frames
     * @param mouthHigh          95th percentile of each mouth measure
     * @param rigidJitterRaw     frame-to-frame jitter of the rigid points before smoothing (per inter-ocular distance)
     * @param rigidJitterSmoothed the same after smoothing
     */
    public record Summary(
            String fileName,
            int width,
            int height,
            double fps,
            int frames,
            double durationSeconds,
            boolean hasAudio,
            double voicedFraction,
            double faceFraction,
            double faceSidePixels,
            int maxFaces,
            float[] mouthLow,
            float[] mouthHigh,
            double largeTurnFraction,
            double rigidJitterRaw,
            double rigidJitterSmoothed,
            double analysisSeconds,
            List<Warning> warnings) {

        /** Whether the template's own sound has speech to learn this person's mouth from. */
        public boolean hasSpeech() {
            return hasAudio && voicedFraction >= 0.2;
        }
    }

    /** A warning with its arguments, ready to print in either language. */
    public record Warning(ProfileWarning code, Object... args) {
        public String messageEn() {
            return code.messageEn(args);
        }

        public String messageZh() {
            return code.messageZh(args);
        }
    }

    public int frames() {
        return facePresent.length;
    }

    /** Whether frame {@code f + 1} follows frame {@code f} in the same shot (both exist, no cut between). */
    public boolean continues(int f) {
        return f + 1 < facePresent.length && f >= 0 && !cutBefore[f + 1];
    }

    /**
     * Frames this close to a cut are neither mouth sources nor given another mouth: the tracker
     * takes a frame or two to settle on the new shot's face, and a mouth placed by unsettled
     * landmarks lands on the nose or the chin.
     */
    public static final int CUT_MARGIN = 2;

    /**
     * Whether frame {@code f} has a face with its mouth in view and its landmarks settled: a mouth
     * to show, or to replace.
     */
    public boolean mouthVisible(int f) {
        if (!facePresent[f] || mouthCovered[f]) {
            return false;
        }
        for (int g = Math.max(0, f - CUT_MARGIN + 1); g <= Math.min(frames() - 1, f + CUT_MARGIN); g++) {
            if (cutBefore[g]) {
                return false;
            }
        }
        return true;
    }

    /** Number of cuts. */
    public int cuts() {
        int n = 0;
        for (boolean c : cutBefore) {
            if (c) {
                n++;
            }
        }
        return n;
    }

    /** Copies frame {@code f}'s landmarks into {@code out}. */
    public void landmarks(int f, float[] out) {
        System.arraycopy(landmarks, f * Landmarks.VALUES, out, 0, Landmarks.VALUES);
    }
}
