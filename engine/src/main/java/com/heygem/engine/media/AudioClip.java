package com.heygem.engine.media;

/**
 * A whole decoded sound: interleaved float samples in [-1, 1].
 *
 * @param samples  interleaved: frame {@code i} channel {@code c} is {@code samples[i * channels + c]};
 *                 only the first {@code frames * channels} values are meaningful
 * @param frames   number of sample frames
 */
public record AudioClip(float[] samples, int frames, int sampleRate, int channels) {

    public double durationSeconds() {
        return frames / (double) sampleRate;
    }
}
