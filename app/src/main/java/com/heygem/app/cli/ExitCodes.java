package com.heygem.app.cli;

/** Process exit codes scripts can rely on. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A file or setting the user can fix (the message says which). */
    public static final int USER_ERROR = 1;
    /** Wrong command-line usage (picocli's own code). */
    public static final int USAGE = 2;
    /** A bug: please report it with the printed stack trace. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
