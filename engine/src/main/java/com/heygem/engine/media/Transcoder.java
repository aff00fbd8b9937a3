package com.heygem.engine.media;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Decodes a video and re-encodes it through HeyGem's own pipeline, unchanged: the baseline of
 * every render, and what {@code heygem bench transcode} measures against the ffmpeg CLI.
 */
public final class Transcoder {
    private Transcoder() {
    }

    /** What a transcode did. */
    public record Result(Path output, long frames, double fps, double seconds) {
        public double framesPerSecond() {
            return frames / seconds;
        }
    }

    public static Result transcode(Path input, Path output, EncoderSettings settings, MediaLimits limits,
            FramePipeline.ProgressListener progress, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        try (VideoReader reader = VideoReader.open(input, limits, 0);
                AudioTrackFeed audio = reader.mediaInfo().hasAudio()
                        ? new AudioTrackFeed(AudioDecoder.open(input, limits, AudioReader.OUTPUT_RATE, 2)) : null;
                VideoWriter writer = new VideoWriter(output, reader.width(), reader.height(), reader.fps(),
                        settings, audio != null)) {
            long frames = FramePipeline.run(reader::read, null, writer, reader.fps(), audio, progress, cancelled);
            writer.finish();
            return new Result(output, frames, reader.fps(), (System.nanoTime() - start) / 1e9);
        }
    }
}
