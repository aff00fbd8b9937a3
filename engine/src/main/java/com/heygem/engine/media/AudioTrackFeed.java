package com.heygem.engine.media;

/**
 * Feeds a sound file to a {@link VideoWriter} in step with the pictures, so the muxer
 * interleaves as it goes instead of holding the video back. Past the end of the sound it writes
 * silence, so the sound track always lasts as long as the pictures.
 */
public final class AudioTrackFeed implements FramePipeline.AudioFeed, AutoCloseable {
    private static final int CHUNK_FRAMES = 4096;
    private final AudioDecoder decoder;
    private final float[] chunk = new float[CHUNK_FRAMES * 2];
    private long framesWritten;
    private boolean exhausted;

    /** Takes ownership of {@code decoder}, which must produce 48 kHz stereo. */
    public AudioTrackFeed(AudioDecoder decoder) {
        if (decoder.sampleRate() != AudioReader.OUTPUT_RATE || decoder.channels() != 2) {
            throw new IllegalArgumentException("output audio must be 48 kHz stereo");
        }
        this.decoder = decoder;
    }

    @Override
    public void writeUpTo(double seconds, VideoWriter writer) {
        long targetFrames = Math.round(seconds * AudioReader.OUTPUT_RATE);
        while (framesWritten < targetFrames) {
            int want = (int) Math.min(CHUNK_FRAMES, targetFrames - framesWritten);
            int got = exhausted ? 0 : decoder.read(chunk, 0, want);
            if (got == 0) {
                exhausted = true;
                java.util.Arrays.fill(chunk, 0, want * 2, 0f);
                got = want;
            }
            writer.writeAudio(chunk, got);
            framesWritten += got;
        }
    }

    public long framesWritten() {
        return framesWritten;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
