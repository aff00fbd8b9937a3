package com.heygem.engine.error;

import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.Objects;

/**
 * A failure the user caused and can fix: a missing or broken file, a limit exceeded.
 *
 * <p>Programming errors are never wrapped in this type; they fail fast as ordinary runtime
 * exceptions. {@link #getMessage()} is the English text plus the hint, ready for a terminal or
 * log; the API and the UI use {@link #code()}, {@link #messageEn()} and {@link #messageZh()}.
 */
public final class HeyGemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Object[] args;

    public HeyGemException(ErrorCode code, Object... args) {
        this(code, null, args);
    }

    public HeyGemException(ErrorCode code, Throwable cause, Object... args) {
        super(format(Objects.requireNonNull(code).templateEn(), args) + ". " + code.hintEn(), cause);
        this.code = code;
        this.args = args.clone();
    }

    public ErrorCode code() {
        return code;
    }

    public Object[] args() {
        return args.clone();
    }

    public String messageEn() {
        return format(code.templateEn(), args);
    }

    public String messageZh() {
        Object[] zh = args.clone();
        for (int k = 0; k < zh.length; k++) {
            if (zh[k] instanceof Text t) {
                zh[k] = t.zh();
            }
        }
        return format(code.templateZh(), zh);
    }

    private static String format(String template, Object[] args) {
        try {
            return String.format(template, args);
        } catch (IllegalFormatException e) {
            // A wrong argument count is a programming error, but it must never hide the user's error.
            return template + " " + Arrays.toString(args);
        }
    }
}
