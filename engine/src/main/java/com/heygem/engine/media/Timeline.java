package com.heygem.engine.media;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;

/**
 * Which template frame is shown at each output frame. The output lasts as long as the speech:
 * a longer template is trimmed, a shorter one is extended by {@link LoopMode}.
 */
public final class Timeline {
    private final int[] sourceFrames;
    private final double fps;

    private Timeline(int[] sourceFrames, double fps) {
        this.sourceFrames = sourceFrames;
        this.fps = fps;
    }

    /**
     * @param templateFrames frames in the template's constant-rate timeline
     * @param fps            the template's timeline rate, also the output's
     * @param audioSeconds   duration of the speech
     */
    public static Timeline build(long templateFrames, double fps, double audioSeconds, LoopMode mode) {
        if (templateFrames <= 0 || templateFrames > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("template frame count out of range: " + templateFrames);
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("frame rate must be positive: " + fps);
        }
        if (!(audioSeconds > 0)) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "audio duration", audioSeconds + " s");
        }
        long length = Math.max(1, Math.round(audioSeconds * fps));
        if (length > Integer.MAX_VALUE) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "audio duration", audioSeconds + " s");
        }
        int n = (int) templateFrames;
        int[] frames = new int[(int) length];
        int period = 2 * n - 2;
        for (int i = 0; i < frames.length; i++) {
            if (i < n || n == 1) {
                frames[i] = i < n ? i : 0;
            } else if (mode == LoopMode.LOOP) {
                frames[i] = i % n;
            } else {
                int p = i % period;
                frames[i] = p < n ? p : period - p;
            }
        }
        return new Timeline(frames, fps);
    }

    public int length() {
        return sourceFrames.length;
    }

    public double fps() {
        return fps;
    }

    public double durationSeconds() {
        return sourceFrames.length / fps;
    }

    /** Template frame shown at output frame {@code i}. */
    public int sourceFrame(int i) {
        return sourceFrames[i];
    }
}
