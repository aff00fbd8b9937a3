package com.heygem.app.jobs;

/**
 * One item's progress as the page shows it: its state and that state's revision (see
 * {@link com.heygem.app.store.BatchStore.Item#revision}), the stage it is in, the percent of the
 * item's whole work, the frames of the render stage, and the seconds left (null while unknown).
 */
public record ItemProgress(String batchId, String itemId, ItemState state, int revision, String stage,
        double percent, int framesDone, int framesTotal, Double etaSeconds) {

    /**
     * Whether this report should replace {@code older} as the item's latest: a higher revision
     * always does; at the same revision a finished state is final (a render reports RUNNING until
     * it notices its cancel, which already moved the item on) and progress never goes back.
     */
    public boolean supersedes(ItemProgress older) {
        if (older == null || revision != older.revision) {
            return older == null || revision > older.revision;
        }
        if (older.state.isFinished()) {
            return false;
        }
        return state != ItemState.RUNNING || percent >= older.percent;
    }
}
