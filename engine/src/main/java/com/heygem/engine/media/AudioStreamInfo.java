package com.heygem.engine.media;

/** The audio stream HeyGem will use from a file. */
public record AudioStreamInfo(String codec, int sampleRate, int channels, double durationSeconds, long bitRate) {
}
