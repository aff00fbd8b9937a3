package com.heygem.app.jobs;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where one item (one template of a batch) stands. Every allowed change is listed in
 * {@link #next()} and nowhere else; {@link #moveTo} refuses the rest, so a double click, a stale
 * page or a race between a worker and a cancel can never put an item in an impossible state.
 *
 * <pre>
 * QUEUED  -> RUNNING     a worker took it
 * QUEUED  -> CANCELED    cancelled before it started
 * RUNNING -> SUCCEEDED   its result file is in place
 * RUNNING -> FAILED      with an error code, a message and its log
 * RUNNING -> CANCELED    cancelled while rendering (the render stops within 2 s)
 * RUNNING -> QUEUED      its worker died (crash, kill -9, lost heartbeat): it runs again from the start
 * FAILED  -> QUEUED      retried by the user
 * CANCELED-> QUEUED      retried by the user
 * </pre>
 * SUCCEEDED is final: a finished result is never rendered again into the same item.
 */
public enum ItemState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    /** The states this one may change into. */
    public Set<ItemState> next() {
        switch (this) {
            case QUEUED:
                return EnumSet.of(RUNNING, CANCELED);
            case RUNNING:
                return EnumSet.of(SUCCEEDED, FAILED, CANCELED, QUEUED);
            case FAILED:
            case CANCELED:
                return EnumSet.of(QUEUED);
            default:
                return EnumSet.noneOf(ItemState.class);
        }
    }

    public boolean canMoveTo(ItemState target) {
        return next().contains(target);
    }

    /**
     * @param what the item, for the message (its id or file name)
     * @return {@code target}
     * @throws HeyGemException INVALID_STATE when the change is not allowed
     */
    public ItemState moveTo(ItemState target, String what) {
        if (!canMoveTo(target)) {
            throw new HeyGemException(ErrorCode.INVALID_STATE, what, this, target);
        }
        return target;
    }

    /** Nothing more will happen to the item unless a user retries it. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }
}
