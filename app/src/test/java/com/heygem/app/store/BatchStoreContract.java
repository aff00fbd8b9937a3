package com.heygem.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.app.jobs.ItemState;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The storage rules, run against each database HeyGem supports. */
abstract class BatchStoreContract {
    abstract Database database();

    private BatchStore store() {
        return new BatchStore(database().dataSource());
    }

    private String batch(BatchStore s, int templates, String key) {
        String audio = s.addAsset("a".repeat(64), "AUDIO", "speech.wav", "uploads/aa/speech.wav", 1000, 5.0);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < templates; i++) {
            ids.add(s.addAsset(Integer.toString(i).repeat(64).substring(0, 64), "VIDEO", "t" + i + ".mp4",
                    "uploads/t" + i + ".mp4", 2000, null));
        }
        return s.createBatch(audio, ids, "{\"crf\":18}", key);
    }

    @Test
    void aBatchStartsWithEveryItemQueuedInOrderAndAKeyMakesItOnce() {
        BatchStore s = store();
        String key = BatchStore.newId("k_");
        String id = batch(s, 3, key);
        List<BatchStore.Item> items = s.items(id);
        assertThat(items).hasSize(3);
        assertThat(items).extracting(BatchStore.Item::state).containsOnly(ItemState.QUEUED);
        assertThat(items).extracting(BatchStore.Item::position).containsExactly(0, 1, 2);
        assertThat(batch(s, 3, key)).as("same Idempotency-Key").isEqualTo(id);
        assertThat(batch(s, 3, null)).isNotEqualTo(id);
        // The same content is one asset, whatever it was called.
        assertThat(s.addAsset("a".repeat(64), "AUDIO", "again.wav", "x", 1, null))
                .isEqualTo(s.addAsset("a".repeat(64), "AUDIO", "speech.wav", "y", 1, null));
    }

    @Test
    void transitionsFollowTheRulesAndAStaleOneLoses() {
        BatchStore s = store();
        String item = s.items(batch(s, 1, null)).get(0).id();
        assertThat(s.transition(item, ItemState.QUEUED, ItemState.RUNNING)).isTrue();
        assertThat(s.transition(item, ItemState.QUEUED, ItemState.RUNNING)).as("already running").isFalse();
        assertThat(s.item(item).orElseThrow().attempts()).isEqualTo(1);
        assertThat(s.transition(item, ItemState.RUNNING, ItemState.SUCCEEDED)).isTrue();
        assertThatThrownBy(() -> s.transition(item, ItemState.SUCCEEDED, ItemState.QUEUED))
                .isInstanceOfSatisfying(HeyGemException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        assertThat(s.item(item).orElseThrow().state()).isEqualTo(ItemState.SUCCEEDED);
        assertThat(s.item("i_nosuchitem")).isEmpty();
    }

    @Test
    void ofTwoNodesTakingTheSameItemExactlyOneWins() throws Exception {
        BatchStore s = store();
        List<BatchStore.Item> items = s.items(batch(s, 5, null));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (BatchStore.Item item : items) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> takes = new ArrayList<>();
                for (int node = 0; node < 2; node++) {
                    takes.add(pool.submit(() -> {
                        go.await();
                        return s.transition(item.id(), ItemState.QUEUED, ItemState.RUNNING);
                    }));
                }
                go.countDown();
                int wins = 0;
                for (Future<Boolean> f : takes) {
                    wins += f.get() ? 1 : 0;
                }
                assertThat(wins).as(item.id()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
