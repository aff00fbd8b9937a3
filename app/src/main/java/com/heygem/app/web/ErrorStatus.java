package com.heygem.app.web;

import com.heygem.engine.error.ErrorCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one table of which HTTP status each error a user can cause is answered with (the message
 * and hint, in English and Chinese, are the {@link ErrorCode}'s own). Listed in docs/api.md.
 */
final class ErrorStatus {
    private static final Map<ErrorCode, Integer> STATUS = new EnumMap<>(ErrorCode.class);

    static {
        STATUS.put(ErrorCode.FILE_NOT_FOUND, 404);
        STATUS.put(ErrorCode.NOT_MEDIA, 415);
        STATUS.put(ErrorCode.UNSUPPORTED_CODEC, 415);
        STATUS.put(ErrorCode.NO_VIDEO_STREAM, 422);
        STATUS.put(ErrorCode.NO_AUDIO_STREAM, 422);
        STATUS.put(ErrorCode.CORRUPT_MEDIA, 422);
        STATUS.put(ErrorCode.TOO_LONG, 422);
        STATUS.put(ErrorCode.TOO_LARGE, 413);
        STATUS.put(ErrorCode.MEDIA_TIMEOUT, 422);
        STATUS.put(ErrorCode.WRITE_FAILED, 500);
        STATUS.put(ErrorCode.INVALID_ARGUMENT, 400);
        STATUS.put(ErrorCode.MODEL_MISSING, 503);
        STATUS.put(ErrorCode.MODEL_INVALID, 503);
        STATUS.put(ErrorCode.FACE_TOO_RARE, 422);
        STATUS.put(ErrorCode.NO_FACE, 422);
        STATUS.put(ErrorCode.ITEM_TIMEOUT, 504);
        STATUS.put(ErrorCode.INVALID_STATE, 409);
        STATUS.put(ErrorCode.SOURCE_UNSUPPORTED, 400);
        STATUS.put(ErrorCode.SOURCE_UNREACHABLE, 502);
        STATUS.put(ErrorCode.SOURCE_NOT_FOUND, 422);
        STATUS.put(ErrorCode.SOURCE_DENIED, 422);
        STATUS.put(ErrorCode.SOURCE_STALLED, 504);
    }

    private ErrorStatus() {
    }

    /** The status of {@code code}; 400 for a code added without one (ErrorStatusTest fails then). */
    static int of(ErrorCode code) {
        return STATUS.getOrDefault(code, 400);
    }

    /** How an error is told in an answer's body: code, message and hint, in English and Chinese. */
    static Map<String, Object> json(com.heygem.engine.error.HeyGemException e) {
        return Map.of("code", e.code().name(), "message", e.messageEn(), "messageZh", e.messageZh(), "hint",
                e.code().hintEn(), "hintZh", e.code().hintZh());
    }

    static boolean listed(ErrorCode code) {
        return STATUS.containsKey(code);
    }
}
