package com.heygem.engine.media;

import java.nio.file.Path;
import java.util.Arrays;

/** Reads a whole sound into memory: the speech to analyse is minutes long, not hours. */
public final class AudioReader {
    /** What speech analysis works on. */
    public static final int ANALYSIS_RATE = 16_000;
    /** What results are muxed with. */
    public static final int OUTPUT_RATE = 48_000;

    private AudioReader() {
    }

    /** The sound of {@code path} at 16 kHz mono, for analysis. */
    public static AudioClip readForAnalysis(Path path, MediaLimits limits) {
        return read(path, limits, ANALYSIS_RATE, 1);
    }

    public static AudioClip read(Path path, MediaLimits limits, int sampleRate, int channels) {
        try (AudioDecoder decoder = AudioDecoder.open(path, limits, sampleRate, channels)) {
            double expected = decoder.mediaInfo().audio().orElseThrow().durationSeconds();
            int capacityFrames = (int) Math.min(Integer.MAX_VALUE / channels - 1,
                    Math.max(sampleRate, (long) (expected * sampleRate * 1.02) + sampleRate / 10));
            float[] samples = new float[capacityFrames * channels];
            int frames = 0;
            while (true) {
                if (frames == capacityFrames) {
                    capacityFrames = (int) Math.min(Integer.MAX_VALUE / channels - 1, capacityFrames * 3L / 2);
                    samples = Arrays.copyOf(samples, capacityFrames * channels);
                }
                int n = decoder.read(samples, frames, capacityFrames - frames);
                if (n == 0) {
                    break;
                }
                frames += n;
            }
            return new AudioClip(samples, frames, sampleRate, channels);
        }
    }
}
