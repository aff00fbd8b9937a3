package com.heygem.engine.speech;

/**
 * What a recording says about the mouth, every {@link #HOP_SECONDS}: how loud the speech band
 * is, how fast the spectrum changes, its cepstral shape, its two first formants, whether it is
 * voiced, and where the speaker is silent or briefly closes the lips (p, b, m).
 *
 * <p>All values are normalised over the recording itself (per utterance), so a whisper and a
 * shout, a man and a woman, Mandarin and English land on the same scales. Flat arrays indexed
 * by frame; {@link #mfcc} holds {@link #MFCC} values per frame.
 */
public final class SpeechFeatures {
    public static final double HOP_SECONDS = 0.010;
    /** Cepstral coefficients per frame (c1..c12). */
    public static final int MFCC = 12;

    /** Frames of the recording; the arrays may hold more (room left while it was read). */
    int frames;
    /** Speech-band (300–3000 Hz) energy in dB. */
    float[] bandDb;
    /** Speech-band energy mapped to 0 (noise floor) … 1 (loud speech). */
    float[] level;
    /** Positive spectral change, 0 … about 1. */
    float[] flux;
    /** Cepstrum, mean 0 and variance 1 per coefficient over the recording. */
    float[] mfcc;
    /** Formants in Hz; NaN where unvoiced or silent. */
    float[] f1Hz;
    float[] f2Hz;
    /** Formants normalised over this speaker's voiced frames (Lobanov); 0 where unvoiced. */
    float[] f1;
    float[] f2;
    /** Periodicity 0 (noise) … 1 (clean voice); not the pitch, which tones in Mandarin would confuse. */
    float[] voicing;
    /** Someone is speaking (including short closures inside speech). */
    boolean[] speech;
    /** A short stop inside speech: the lips are closed (p, b, m) or nearly so. */
    boolean[] closure;

    /** Room for {@code frames} frames, all of them in use. */
    SpeechFeatures(int frames) {
        this.frames = frames;
        bandDb = new float[frames];
        level = new float[frames];
        flux = new float[frames];
        mfcc = new float[frames * MFCC];
        f1Hz = new float[frames];
        f2Hz = new float[frames];
        f1 = new float[frames];
        f2 = new float[frames];
        voicing = new float[frames];
        speech = new boolean[frames];
        closure = new boolean[frames];
    }

    /**
     * Writes the features of the frames in use (a template's own sound, kept in its cached profile
     * so that no render decodes and analyses it again).
     */
    public void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(frames);
        for (float[] a : new float[][] {bandDb, level, flux, f1Hz, f2Hz, f1, f2, voicing}) {
            for (int i = 0; i < frames; i++) {
                out.writeFloat(a[i]);
            }
        }
        for (int i = 0; i < frames * MFCC; i++) {
            out.writeFloat(mfcc[i]);
        }
        for (int i = 0; i < frames; i++) {
            out.writeByte((speech[i] ? 1 : 0) | (closure[i] ? 2 : 0));
        }
    }

    /** What {@link #write} wrote. */
    public static SpeechFeatures read(java.io.DataInputStream in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000_000) {
            throw new java.io.IOException("speech features of " + n + " frames");
        }
        SpeechFeatures s = new SpeechFeatures(n);
        for (float[] a : new float[][] {s.bandDb, s.level, s.flux, s.f1Hz, s.f2Hz, s.f1, s.f2, s.voicing}) {
            for (int i = 0; i < n; i++) {
                a[i] = in.readFloat();
            }
        }
        for (int i = 0; i < n * MFCC; i++) {
            s.mfcc[i] = in.readFloat();
        }
        for (int i = 0; i < n; i++) {
            int flags = in.readByte();
            s.speech[i] = (flags & 1) != 0;
            s.closure[i] = (flags & 2) != 0;
        }
        return s;
    }

    /** Frames the arrays have room for. */
    int capacity() {
        return bandDb.length;
    }

    /** More room, when a recording turns out longer than announced (a copy of every array). */
    void grow(int capacity) {
        bandDb = java.util.Arrays.copyOf(bandDb, capacity);
        level = java.util.Arrays.copyOf(level, capacity);
        flux = java.util.Arrays.copyOf(flux, capacity);
        mfcc = java.util.Arrays.copyOf(mfcc, capacity * MFCC);
        f1Hz = java.util.Arrays.copyOf(f1Hz, capacity);
        f2Hz = java.util.Arrays.copyOf(f2Hz, capacity);
        f1 = java.util.Arrays.copyOf(f1, capacity);
        f2 = java.util.Arrays.copyOf(f2, capacity);
        voicing = java.util.Arrays.copyOf(voicing, capacity);
        speech = java.util.Arrays.copyOf(speech, capacity);
        closure = java.util.Arrays.copyOf(closure, capacity);
    }

    public int frames() {
        return frames;
    }

    public double durationSeconds() {
        return frames * HOP_SECONDS;
    }

    public float bandDb(int i) {
        return bandDb[i];
    }

    public float level(int i) {
        return level[i];
    }

    public float flux(int i) {
        return flux[i];
    }

    public float mfcc(int i, int c) {
        return mfcc[i * MFCC + c];
    }

    public float f1Hz(int i) {
        return f1Hz[i];
    }

    public float f2Hz(int i) {
        return f2Hz[i];
    }

    public float f1(int i) {
        return f1[i];
    }

    public float f2(int i) {
        return f2[i];
    }

    public float voicing(int i) {
        return voicing[i];
    }

    public boolean speech(int i) {
        return speech[i];
    }

    public boolean closure(int i) {
        return closure[i];
    }

    /** Not speaking and not in a short closure: a relaxed, closed mouth. */
    public boolean silent(int i) {
        return !speech[i];
    }

    /** Frame index of time {@code seconds}, clamped to the recording. */
    public int frameAt(double seconds) {
        return (int) Math.max(0, Math.min(frames - 1, Math.floor(seconds / HOP_SECONDS)));
    }

    /** Share of frames with speech. */
    public double speechFraction() {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (speech[i]) {
                n++;
            }
        }
        return frames == 0 ? 0 : n / (double) frames;
    }

    /** Mean speech-band level over the 40 ms around {@code seconds} (0 outside the recording). */
    public float levelAround(double seconds) {
        int h0 = (int) Math.floor((seconds - 0.02) / HOP_SECONDS);
        float sum = 0;
        for (int h = h0; h < h0 + 4; h++) {
            if (h >= 0 && h < frames) {
                sum += level[h];
            }
        }
        return sum / 4;
    }
}
