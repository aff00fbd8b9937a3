package com.heygem.engine.media;

/** Chooses the constant frame rate a video is decoded to. */
public final class FrameRates {
    /** Rates above this are timestamp artefacts (e.g. a 1000 fps time base), not a camera's rate. */
    static final double MAX_PLAUSIBLE_FPS = 120;
    static final double FALLBACK_FPS = 25;

    private FrameRates() {
    }

    /**
     * For constant-rate input, its own rate. For variable-rate input the declared (nominal) rate:
     * phone recordings declare 30 and drop frames when busy, so the nominal rate keeps motion
     * smooth and the mouth timing fine-grained, and duplicating a few frames costs nothing a
     * viewer can see.
     */
    public static double timelineRate(double nominal, double average, boolean variable) {
        double preferred = variable ? nominal : (average > 0 ? average : nominal);
        if (plausible(preferred)) {
            return preferred;
        }
        if (plausible(average)) {
            return average;
        }
        if (plausible(nominal)) {
            return nominal;
        }
        return FALLBACK_FPS;
    }

    private static boolean plausible(double fps) {
        return fps >= 1 && fps <= MAX_PLAUSIBLE_FPS;
    }
}
