package com.heygem.engine.speech;

import java.util.Arrays;

/**
 * Where a recording has voice: 20 ms frames whose energy stands well above the recording's own
 * noise floor. Enough to tell a talking template from a silent or music-only one; the lip-sync
 * features proper come later.
 */
public final class VoiceActivity {
    static final double FRAME_SECONDS = 0.020;
    /** Frames this far above the quietest tenth count as voiced. */
    static final double ABOVE_FLOOR_DB = 15;
    /** And never quieter than this, whatever the floor. */
    static final double MIN_DBFS = -45;

    private VoiceActivity() {
    }

    /** Fraction of 20 ms frames that are voiced, 0 for silence or no samples. */
    public static double voicedFraction(float[] mono, int length, int sampleRate) {
        int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * sampleRate));
        int frames = length / frame;
        if (frames == 0) {
            return 0;
        }
        double[] db = new double[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                sum += mono[i] * mono[i];
            }
            db[f] = 10 * Math.log10(sum / frame + 1e-12);
        }
        double[] sorted = db.clone();
        Arrays.sort(sorted);
        double floor = sorted[frames / 10];
        double threshold = Math.max(floor + ABOVE_FLOOR_DB, MIN_DBFS);
        int voiced = 0;
        for (double d : db) {
            if (d > threshold) {
                voiced++;
            }
        }
        return (double) voiced / frames;
    }
}
