package com.heygem.app.web;

import java.util.Map;

/** An answer other than success: HTTP status, stable code, what happened and what to do. */
final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final String hint;

    ApiError(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
    }

    Map<String, Object> body() {
        return Map.of("error", Map.of("code", code, "message", getMessage(), "hint", hint));
    }
}
