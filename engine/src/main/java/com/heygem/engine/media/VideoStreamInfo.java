package com.heygem.engine.media;

/**
 * The video stream HeyGem will use from a file.
 *
 * @param width         width as displayed, after rotation
 * @param height        height as displayed, after rotation
 * @param rotation      clockwise degrees the decoded picture must turn to be upright: 0, 90, 180, 270
 * @param nominalFps    the container's declared rate ({@code r_frame_rate}); 0 when unknown
 * @param averageFps    frames divided by duration ({@code avg_frame_rate}); 0 when unknown
 * @param variableFrameRate whether the two rates disagree, i.e. frame spacing is irregular
 * @param timelineFps   the constant rate HeyGem decodes to (see {@link VideoReader})
 * @param frameCount    frames on the constant-rate timeline
 */
public record VideoStreamInfo(
        String codec,
        String pixelFormat,
        int codedWidth,
        int codedHeight,
        int width,
        int height,
        int rotation,
        double nominalFps,
        double averageFps,
        boolean variableFrameRate,
        double timelineFps,
        double durationSeconds,
        long frameCount,
        long bitRate) {
}
