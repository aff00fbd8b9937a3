package com.heygem.app.jobs;

/**
 * A batch's state, derived from its items' and never stored on its own (so it cannot disagree
 * with them): RUNNING while any item is queued or running once work has begun, and once all are
 * finished SUCCEEDED if all succeeded, FAILED if any failed, otherwise CANCELED.
 */
public enum BatchState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    /** Item counts of one batch, as the API and the progress bar show them. */
    public record Counts(int queued, int running, int succeeded, int failed, int canceled) {
        public Counts {
            if (queued < 0 || running < 0 || succeeded < 0 || failed < 0 || canceled < 0) {
                throw new IllegalArgumentException("negative item count");
            }
        }

        public static Counts of(Iterable<ItemState> states) {
            int[] c = new int[ItemState.values().length];
            for (ItemState s : states) {
                c[s.ordinal()]++;
            }
            return new Counts(c[ItemState.QUEUED.ordinal()], c[ItemState.RUNNING.ordinal()],
                    c[ItemState.SUCCEEDED.ordinal()], c[ItemState.FAILED.ordinal()], c[ItemState.CANCELED.ordinal()]);
        }

        public int total() {
            return queued + running + succeeded + failed + canceled;
        }

        public int finished() {
            return succeeded + failed + canceled;
        }

        /** Items that have run or will: not failed, not cancelled. */
        public int toRun() {
            return queued + running + succeeded;
        }

        /**
         * Percent of the work that will actually run: succeeded items count 100, running ones their
         * own percent, queued ones 0; failed and cancelled items count neither way (two cancelled
         * and one at 40 % is 40 %, not 80 %). 100 once nothing is left to run.
         *
         * @param runningPercent the running items' percents, summed
         */
        public double progress(double runningPercent) {
            if (toRun() == 0) {
                return 100;
            }
            return Math.min(100, (100.0 * succeeded + runningPercent) / toRun());
        }

        public BatchState state() {
            if (running > 0 || (queued > 0 && finished() > 0)) {
                return RUNNING;
            }
            if (queued > 0 || total() == 0) {
                return QUEUED;
            }
            if (succeeded == total()) {
                return SUCCEEDED;
            }
            return failed > 0 ? FAILED : CANCELED;
        }
    }
}
