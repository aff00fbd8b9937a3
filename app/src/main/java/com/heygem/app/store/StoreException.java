package com.heygem.app.store;

/** The database failed (not the user's input): logged with its cause, shown as a server error. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
