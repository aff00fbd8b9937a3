package com.heygem.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer other than success: HTTP status, stable code, what happened and what to do, in
 * English and (for what the page shows) in Chinese.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final String hint;
    private String messageZh;
    private String hintZh;

    ApiError(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
    }

    /** The same error in Chinese. */
    ApiError zh(String message, String hint) {
        this.messageZh = message;
        this.hintZh = hint;
        return this;
    }

    /** The Chinese message and hint as one text, or null when there is none. */
    String zhOrNull() {
        return messageZh == null ? null : messageZh + "。" + (hintZh == null ? "" : hintZh);
    }

    Map<String, Object> body() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", getMessage());
        e.put("hint", hint);
        if (messageZh != null) {
            e.put("messageZh", messageZh);
            e.put("hintZh", hintZh);
        }
        return Map.of("error", e);
    }
}
