package com.heygem.engine.media;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a file holds, as reported by {@code heygem probe}.
 *
 * @param container       demuxer name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param containerLabel  human-readable container name
 * @param durationSeconds the longest of the container's and the chosen streams' durations
 */
public record MediaInfo(
        Path path,
        long sizeBytes,
        String container,
        String containerLabel,
        double durationSeconds,
        Optional<VideoStreamInfo> video,
        Optional<AudioStreamInfo> audio) {

    public boolean hasVideo() {
        return video.isPresent();
    }

    public boolean hasAudio() {
        return audio.isPresent();
    }
}
