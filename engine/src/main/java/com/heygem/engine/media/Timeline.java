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
        return build(templateFrames, fps, audioSeconds, mode, (int) Math.min(Integer.MAX_VALUE, templateFrames - 1), 0);
    }

    /**
     * As {@link #build(long, double, double, LoopMode)}, ping-pong turning at chosen frames: the
     * first pass plays forward up to {@code forwardTurn}, then the timeline swings between it and
     * {@code backwardTurn}. A turn at a still moment does not show; one at the file's end shows
     * as a small nod whenever the head was moving there.
     */
    public static Timeline build(long templateFrames, double fps, double audioSeconds, LoopMode mode, int forwardTurn,
            int backwardTurn) {
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
        int top = Math.max(0, Math.min(n - 1, forwardTurn));
        int bottom = Math.max(0, Math.min(top, backwardTurn));
        if (length <= n) {
            top = n - 1; // trimmed: no turn at all
        }
        int span = top - bottom;
        for (int i = 0; i < frames.length; i++) {
            if (i <= top || n == 1) {
                frames[i] = i < n ? i : 0;
            } else if (mode == LoopMode.LOOP) {
                frames[i] = i % n;
            } else if (span == 0) {
                frames[i] = top;
            } else {
                // After the first pass: down to the bottom turn, up to the top one, and so on.
                int p = (i - top) % (2 * span);
                frames[i] = p <= span ? top - p : bottom + (p - span);
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
