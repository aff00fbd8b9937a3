package com.heygem.engine.media;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;

/**
 * What HeyGem agrees to read: protects the server from a 50 GB upload or a file that claims to
 * last a week, and stops a broken file from holding a worker.
 *
 * @param maxDurationSeconds longest accepted media (setting {@code media.maxDurationSeconds})
 * @param maxFileBytes       largest accepted file (setting {@code media.maxFileBytes})
 * @param openTimeoutSeconds how long opening and probing one file may take before it is
 *                           treated as broken
 */
public record MediaLimits(double maxDurationSeconds, long maxFileBytes, double openTimeoutSeconds) {

    /** Two hours covers a full lecture; longer inputs are almost always a mistake. */
    public static final double DEFAULT_MAX_DURATION_SECONDS = 2 * 3600;
    /** 8 GiB: an hour of 1080p at a generous camera bit rate. */
    public static final long DEFAULT_MAX_FILE_BYTES = 8L << 30;
    public static final double DEFAULT_OPEN_TIMEOUT_SECONDS = 10;

    public static final MediaLimits DEFAULT =
            new MediaLimits(DEFAULT_MAX_DURATION_SECONDS, DEFAULT_MAX_FILE_BYTES, DEFAULT_OPEN_TIMEOUT_SECONDS);

    public MediaLimits {
        if (!(maxDurationSeconds > 0)) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "media.maxDurationSeconds", maxDurationSeconds);
        }
        if (maxFileBytes <= 0) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "media.maxFileBytes", maxFileBytes);
        }
        if (!(openTimeoutSeconds > 0)) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "media.openTimeoutSeconds", openTimeoutSeconds);
        }
    }
}
