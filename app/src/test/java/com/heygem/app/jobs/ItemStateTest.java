package com.heygem.app.jobs;

import static com.heygem.app.jobs.ItemState.CANCELED;
import static com.heygem.app.jobs.ItemState.FAILED;
import static com.heygem.app.jobs.ItemState.QUEUED;
import static com.heygem.app.jobs.ItemState.RUNNING;
import static com.heygem.app.jobs.ItemState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemStateTest {
    /** The table of the issue, written out once more by hand: any change to the rules shows here. */
    private static final Set<String> ALLOWED = Set.of(
            "QUEUED>RUNNING", "QUEUED>CANCELED",
            "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>CANCELED", "RUNNING>QUEUED",
            "FAILED>QUEUED", "CANCELED>QUEUED");

    @Test
    void exactlyTheListedTransitionsAreAllowed() {
        for (ItemState from : ItemState.values()) {
            for (ItemState to : ItemState.values()) {
                boolean allowed = ALLOWED.contains(from + ">" + to);
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(allowed);
                if (allowed) {
                    assertThat(from.moveTo(to, "item 1")).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> from.moveTo(to, "item 1"))
                            .isInstanceOfSatisfying(HeyGemException.class, e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
                                assertThat(e.getMessage()).contains("item 1").contains(from.name()).contains(to.name());
                            });
                }
            }
        }
        assertThat(SUCCEEDED.next()).isEmpty();
        assertThat(SUCCEEDED.isFinished()).isTrue();
        assertThat(RUNNING.isFinished()).isFalse();
    }

    @Test
    void aBatchStateFollowsItsItems() {
        assertThat(state()).isEqualTo(BatchState.QUEUED);
        assertThat(state(QUEUED, QUEUED)).isEqualTo(BatchState.QUEUED);
        assertThat(state(RUNNING, QUEUED)).isEqualTo(BatchState.RUNNING);
        // Between two items: one done, the next not yet picked up.
        assertThat(state(SUCCEEDED, QUEUED)).isEqualTo(BatchState.RUNNING);
        assertThat(state(SUCCEEDED, SUCCEEDED)).isEqualTo(BatchState.SUCCEEDED);
        assertThat(state(SUCCEEDED, FAILED, CANCELED)).isEqualTo(BatchState.FAILED);
        assertThat(state(SUCCEEDED, CANCELED)).isEqualTo(BatchState.CANCELED);
        BatchState.Counts c = BatchState.Counts.of(List.of(SUCCEEDED, FAILED, RUNNING, QUEUED, QUEUED));
        assertThat(c.total()).isEqualTo(5);
        assertThat(c.finished()).isEqualTo(2);
        assertThat(c.queued()).isEqualTo(2);
    }

    private static BatchState state(ItemState... items) {
        return BatchState.Counts.of(List.of(items)).state();
    }
}
