package com.heygem.app.jobs;

import com.heygem.app.store.BatchStore;
import java.util.function.BooleanSupplier;

/** Does one item's work (analyse, render, encode) and says where the result is. */
@FunctionalInterface
public interface ItemRunner {
    /**
     * @param cancelled turns true when the item is cancelled: stop within a second or two by
     *                  throwing {@link java.util.concurrent.CancellationException}, leaving no output
     * @param progress  where to tell the stage and how far it is (as often as convenient: it throttles)
     * @return the result's path, relative to the data directory, written completely (atomic rename)
     * @throws com.heygem.engine.error.HeyGemException for anything the user can fix (bad file, full disk)
     */
    String run(BatchStore.Item item, BooleanSupplier cancelled, ProgressReporter progress) throws Exception;

    /** Removes a result that is not wanted after all (the item was cancelled as it finished). */
    default void discard(String result) {
    }

    /** Removes whatever is left of a batch deleted while one of its items ran (its output folder). */
    default void forget(String batchId) {
    }
}
