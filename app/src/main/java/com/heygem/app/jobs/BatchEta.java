package com.heygem.app.jobs;

import java.util.List;

/**
 * A batch's time left: its running items' own times left, and its queued items' expected times
 * shared among the renders that can run at once. The page repeats this sum with the live figures
 * (web/format.js {@code batchLeft}); both count only the batch's own work, not batches ahead of it.
 */
public final class BatchEta {
    private BatchEta() {
    }

    /**
     * @param runningLeft  each running item's seconds left (null inside: not known yet)
     * @param queued       how many items wait
     * @param queuedSeconds their expected seconds, summed
     * @param slots        renders that can run at once (0: no worker is up)
     * @return seconds, or null while unknown (a running item without its estimate, no worker for the queue)
     */
    public static Double seconds(List<Double> runningLeft, int queued, double queuedSeconds, int slots) {
        if (runningLeft.isEmpty() && queued == 0) {
            return null;
        }
        double longest = 0;
        double sum = 0;
        for (Double left : runningLeft) {
            if (left == null) {
                return null;
            }
            longest = Math.max(longest, left);
            sum += left;
        }
        if (queued > 0 && slots <= 0) {
            return null;
        }
        // The running ones finish in parallel; the queued ones then fill every free slot.
        return (double) Math.round(Math.max(longest, (sum + queuedSeconds) / Math.max(1, slots)));
    }
}
