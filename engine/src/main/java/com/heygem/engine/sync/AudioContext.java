package com.heygem.engine.sync;

import com.heygem.engine.speech.SpeechFeatures;

/**
 * Per video frame, the sound around it: {@link #TAPS} windows of {@link #TAP_SECONDS} centred
 * from {@code -CONTEXT} to {@code +CONTEXT} around the frame's instant, each the mean of the
 * speech features inside it. The mouth prepares for a sound before it is heard and finishes
 * after it, so the model needs this context, not the frame's instant alone.
 *
 * <p>Row {@code t} of {@link #values} holds {@link #DIM} numbers: tap-major, then feature.
 */
public final class AudioContext {
    /** Half-width of the context: about ±150 ms, as long as a syllable's preparation. */
    public static final double CONTEXT_SECONDS = 0.150;
    public static final double TAP_SECONDS = 0.050;
    public static final int TAPS = 7;
    /** level, flux, voicing, F1, F2, speech, closure, then the cepstrum. */
    public static final int PER_TAP = 7 + SpeechFeatures.MFCC;
    public static final int DIM = TAPS * PER_TAP;

    final int frames;
    final float[] values;
    /** Frame lies in a pause: mouth relaxed and closed. */
    final boolean[] silent;
    /** Frame lies in a short stop inside speech: lips closed. */
    final boolean[] closure;
    /** Speech-band level at the frame's instant, 0..1. */
    final float[] level;

    private AudioContext(int frames) {
        this.frames = frames;
        this.values = new float[frames * DIM];
        this.silent = new boolean[frames];
        this.closure = new boolean[frames];
        this.level = new float[frames];
    }

    /**
     * @param frames       video frames to describe
     * @param fps          video frame rate
     * @param shiftSeconds where frame 0 sits in the sound: features of frame {@code t} are read around
     *                     {@code t / fps + shiftSeconds}
     */
    public static AudioContext of(SpeechFeatures speech, int frames, double fps, double shiftSeconds) {
        AudioContext c = new AudioContext(frames);
        double hop = SpeechFeatures.HOP_SECONDS;
        int half = (int) Math.round(TAP_SECONDS / hop / 2);
        int n = speech.frames();
        for (int t = 0; t < frames; t++) {
            double centre = t / fps + shiftSeconds;
            int base = t * DIM;
            for (int tap = 0; tap < TAPS; tap++) {
                double at = centre - CONTEXT_SECONDS + tap * (2 * CONTEXT_SECONDS / (TAPS - 1));
                int mid = (int) Math.floor(at / hop);
                int o = base + tap * PER_TAP;
                int count = 0;
                for (int h = mid - half; h < mid + half; h++) {
                    if (h < 0 || h >= n) {
                        continue; // outside the sound: silence, all zero
                    }
                    count++;
                    c.values[o] += speech.level(h);
                    c.values[o + 1] += speech.flux(h);
                    c.values[o + 2] += speech.voicing(h);
                    c.values[o + 3] += speech.f1(h);
                    c.values[o + 4] += speech.f2(h);
                    c.values[o + 5] += speech.speech(h) ? 1 : 0;
                    c.values[o + 6] += speech.closure(h) ? 1 : 0;
                    for (int k = 0; k < SpeechFeatures.MFCC; k++) {
                        c.values[o + 7 + k] += speech.mfcc(h, k);
                    }
                }
                if (count > 0) {
                    for (int k = 0; k < PER_TAP; k++) {
                        c.values[o + k] /= count;
                    }
                }
            }
            // The frame's own state: most of the 40 ms around its instant.
            int h0 = (int) Math.floor((centre - 0.02) / hop);
            int silentHops = 0;
            int closedHops = 0;
            int inside = 0;
            float level = 0;
            for (int h = h0; h < h0 + 4; h++) {
                if (h < 0 || h >= n) {
                    silentHops++;
                    inside++;
                    continue;
                }
                inside++;
                if (speech.silent(h)) {
                    silentHops++;
                }
                if (speech.closure(h)) {
                    closedHops++;
                }
                level += speech.level(h);
            }
            c.silent[t] = 2 * silentHops > inside;
            c.closure[t] = !c.silent[t] && 2 * closedHops >= inside;
            c.level[t] = level / inside;
        }
        return c;
    }

    public int frames() {
        return frames;
    }

    public boolean silent(int t) {
        return silent[t];
    }

    public boolean closure(int t) {
        return closure[t];
    }

    public float level(int t) {
        return level[t];
    }
}
