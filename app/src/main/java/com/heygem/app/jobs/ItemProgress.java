package com.heygem.app.jobs;

/**
 * One item's progress as the page shows it: its state, the stage it is in, percent and frames of
 * that stage, and the seconds left (null while unknown).
 */
public record ItemProgress(String batchId, String itemId, ItemState state, String stage, double percent,
        int framesDone, int framesTotal, Double etaSeconds) {
}
