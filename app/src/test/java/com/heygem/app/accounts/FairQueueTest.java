package com.heygem.app.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FairQueueTest {
    @Test
    void accountsTakeTurnsWhateverOneOfThemSent() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(8);
        try (FairQueue q = new FairQueue("tests", 1, 1, 10)) {
            q.submit("ann", () -> {
                await(gate);
                order.add("ann1");
                all.countDown();
            });
            for (int i = 2; i <= 5; i++) {
                String name = "ann" + i;
                q.submit("ann", () -> {
                    order.add(name);
                    all.countDown();
                });
            }
            q.submit("bob", () -> {
                order.add("bob1");
                all.countDown();
            });
            q.submit("zoe", () -> {
                order.add("zoe1");
                all.countDown();
            });
            q.submit("bob", () -> {
                order.add("bob2");
                all.countDown();
            });
            gate.countDown();
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        }
        // Ann came first with five, yet Bob and then Zoe (who came after Bob) each start one before Ann's second.
        assertThat(order).containsExactly("ann1", "bob1", "zoe1", "ann2", "bob2", "ann3", "ann4", "ann5");
    }

    @Test
    void oneAccountHoldsNoMoreThanItsShareAndACancelledTaskNeverRuns() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch bobRan = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (FairQueue q = new FairQueue("tests", 2, 1, 3)) {
            q.submit("ann", () -> await(gate));
            FairQueue.Ticket second = q.submit("ann", () -> ran.add("ann2"));
            q.submit("ann", () -> ran.add("ann3"));
            assertThatThrownBy(() -> q.submit("ann", () -> { })).isInstanceOf(FairQueue.Full.class)
                    .hasMessageContaining("3 per account");
            // Ann runs one at a time: the second thread is Bob's at once, though Ann was first.
            q.submit("bob", bobRan::countDown);
            assertThat(bobRan.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(second.cancel()).isTrue();
            assertThat(q.held("ann")).isEqualTo(2);
            q.submit("ann", () -> ran.add("ann4"));
            gate.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (q.held("ann") > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(q.held("ann")).isZero();
            assertThat(second.cancel()).isFalse();
        }
        assertThat(ran).containsExactly("ann3", "ann4");
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
