package com.heygem.engine.media;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.util.Set;

/**
 * H.264 encoder choices.
 *
 * @param preset  x264 speed preset (setting {@code encoder.preset})
 * @param crf     x264 constant rate factor, 0 (lossless) … 51 (worst) (setting {@code encoder.crf})
 * @param threads x264 threads; 0 = automatic. Give 1 when two renders share the machine.
 * @param audioBitrate AAC bit rate in bit/s
 */
public record EncoderSettings(String preset, int crf, int threads, int audioBitrate) {
    public static final String DEFAULT_PRESET = "veryfast";
    public static final int DEFAULT_CRF = 18;
    public static final int DEFAULT_AUDIO_BITRATE = 192_000;
    public static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast",
            "medium", "slow", "slower", "veryslow");

    public static final EncoderSettings DEFAULT = new EncoderSettings(DEFAULT_PRESET, DEFAULT_CRF, 0, DEFAULT_AUDIO_BITRATE);

    public EncoderSettings {
        if (preset == null || !PRESETS.contains(preset)) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "encoder.preset",
                    preset + " (one of ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow)");
        }
        if (crf < 0 || crf > 51) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "encoder.crf", crf + " (0 to 51)");
        }
        if (threads < 0 || threads > 64) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "encoder.threads", threads + " (0 to 64)");
        }
        if (audioBitrate < 32_000 || audioBitrate > 512_000) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "encoder.audioBitrate", audioBitrate + " (32000 to 512000)");
        }
    }

    public EncoderSettings withPreset(String p) {
        return new EncoderSettings(p, crf, threads, audioBitrate);
    }

    public EncoderSettings withCrf(int c) {
        return new EncoderSettings(preset, c, threads, audioBitrate);
    }

    public EncoderSettings withThreads(int t) {
        return new EncoderSettings(preset, crf, t, audioBitrate);
    }
}
