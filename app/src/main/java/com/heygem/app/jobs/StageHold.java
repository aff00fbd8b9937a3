package com.heygem.app.jobs;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test hook that holds work at a named stage, so that a test can stop the server, cancel an
 * item or look at its files at exactly that moment instead of hoping to catch it there with a
 * sleep. Off unless the JVM is started with {@code -Dheygem.test.holdAt=STAGE} (or
 * {@code STAGE@BATCH NAME}: only items of batches of that name). The stages are the ones items
 * report ({@code queued}, {@code analysing audio}, {@code analysing template}, {@code planning},
 * {@code preparing}, {@code rendering}, {@code finishing}); the first item to reach the stage is
 * held at its first report of it (by then the stage's temporary files exist: the mouth crops
 * being cut, the result's first frames) until it is told to stop (cancelled, handed back, timed
 * out); no other item is held by this process. The upload's face check is held at
 * {@code analysing template} too, until the server closes, when no batch name is given.
 */
public final class StageHold {
    private static final Logger LOG = LoggerFactory.getLogger(StageHold.class);
    public static final String PROPERTY = "heygem.test.holdAt";
    /** What the log says when work is held: tests wait for it. */
    public static final String HELD = "test hook: holding";
    private static final long LOOK_MILLIS = 20;

    private static final String STAGE;
    private static final String BATCH;

    static {
        String value = System.getProperty(PROPERTY, "").trim();
        int at = value.indexOf('@');
        STAGE = at < 0 ? value : value.substring(0, at).trim();
        BATCH = at < 0 ? null : value.substring(at + 1).trim();
    }

    private static final AtomicBoolean ITEM_HELD = new AtomicBoolean();
    private static final AtomicBoolean CHECK_HELD = new AtomicBoolean();

    private StageHold() {
    }

    /** Whether the hook is on (never on a real server). */
    static boolean on() {
        return !STAGE.isEmpty();
    }

    /**
     * Holds item {@code itemId} at {@code stage} until {@code stop} says so, if the hook asks for
     * that stage (and batch) and no item was held before.
     */
    static void item(String itemId, String batchName, String stage, BooleanSupplier stop) {
        if (on() && STAGE.equals(stage) && (BATCH == null || BATCH.equals(batchName))
                && ITEM_HELD.compareAndSet(false, true)) {
            hold("item " + itemId, stage, stop);
        }
    }

    /** Holds the face check of asset {@code assetId} part-way through its analysis, until {@code stop}. */
    public static void check(String assetId, String stage, BooleanSupplier stop) {
        if (on() && BATCH == null && STAGE.equals(stage) && CHECK_HELD.compareAndSet(false, true)) {
            hold("the face check of " + assetId, stage, stop);
        }
    }

    private static void hold(String what, String stage, BooleanSupplier stop) {
        LOG.info("{} {} at stage '{}' until it is told to stop", HELD, what, stage);
        while (!stop.getAsBoolean()) {
            try {
                Thread.sleep(LOOK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("test hook: {} goes on from stage '{}'", what, stage);
    }
}
