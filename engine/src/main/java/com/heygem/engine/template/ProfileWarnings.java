package com.heygem.engine.template;

import java.util.ArrayList;
import java.util.List;

/** Derives a template's warnings from its summary numbers, so stored profiles need not keep them. */
final class ProfileWarnings {
    static final double SMALL_FACE_PX = 100;
    static final double MISSING_FRACTION = 0.05;
    static final double TURN_FRACTION = 0.10;
    /** Inner-lip gap range (canonical units, face box 200) below which the mouth hardly moves. */
    static final double MIN_OPENING_RANGE = 4;

    private ProfileWarnings() {
    }

    /** Covered mouths in more than this share of the frames are worth a word. */
    static final double COVERED_FRACTION = 0.01;

    static List<TemplateProfile.Warning> of(double faceFraction, double faceSide, int maxFaces, double turnFraction,
            float[] mouthLow, float[] mouthHigh, boolean[] mouthCovered, double fps) {
        List<TemplateProfile.Warning> w = new ArrayList<>();
        if (faceSide < SMALL_FACE_PX) {
            w.add(new TemplateProfile.Warning(ProfileWarning.SMALL_FACE, faceSide));
        }
        if (1 - faceFraction > MISSING_FRACTION) {
            w.add(new TemplateProfile.Warning(ProfileWarning.FACE_OFTEN_MISSING, 100 * (1 - faceFraction)));
        }
        if (maxFaces > 1) {
            w.add(new TemplateProfile.Warning(ProfileWarning.SEVERAL_FACES, maxFaces));
        }
        if (turnFraction > TURN_FRACTION) {
            w.add(new TemplateProfile.Warning(ProfileWarning.LARGE_HEAD_TURNS, 100 * turnFraction));
        }
        if (mouthHigh[MouthDescriptor.INNER_OPEN] - mouthLow[MouthDescriptor.INNER_OPEN] < MIN_OPENING_RANGE) {
            w.add(new TemplateProfile.Warning(ProfileWarning.FEW_MOUTH_SHAPES));
        }
        int covered = 0;
        int first = -1;
        for (int f = 0; f < mouthCovered.length; f++) {
            if (mouthCovered[f]) {
                covered++;
                first = first < 0 ? f : first;
            }
        }
        if (covered > COVERED_FRACTION * mouthCovered.length) {
            w.add(new TemplateProfile.Warning(ProfileWarning.MOUTH_COVERED, 100.0 * covered / mouthCovered.length,
                    first / fps));
        }
        return List.copyOf(w);
    }
}
