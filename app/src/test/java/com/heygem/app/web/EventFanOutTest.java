package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Browsers that stop reading must not hold up the others: the tester's three stalled clients
 * froze a normal one for 30 s when one thread wrote to all of them.
 */
class EventFanOutTest {
    /** A receiver whose writes block from the first one on, as a browser that never reads. */
    private static final class Stalled implements EventFanOut.Receiver {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void send(String event, Object data) throws InterruptedException {
            closed.await(); // blocked until closed, as a socket write with a full buffer
            throw new IllegalStateException("closed");
        }

        @Override
        public boolean wants(String batchId) {
            return true;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static final class Reader implements EventFanOut.Receiver {
        final List<Long> latencies = new CopyOnWriteArrayList<>();
        final AtomicInteger other = new AtomicInteger();

        @Override
        public void send(String event, Object data) {
            if (event.equals("progress")) {
                latencies.add(System.nanoTime() - (Long) data);
            } else {
                other.incrementAndGet();
            }
        }

        @Override
        public boolean wants(String batchId) {
            return batchId == null || batchId.equals("b_mine");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void stalledReadersAreDroppedAndNeverDelayTheOthers() throws Exception {
        try (EventFanOut fanOut = new EventFanOut()) {
            List<Stalled> stalled = List.of(new Stalled(), new Stalled(), new Stalled());
            stalled.forEach(fanOut::add);
            Reader reader = new Reader();
            fanOut.add(reader);
            int events = 4 * EventFanOut.QUEUE;
            long start = System.nanoTime();
            for (int k = 0; k < events; k++) {
                fanOut.publish("b_mine", "progress", System.nanoTime());
                fanOut.publish("b_other", "item", 0L); // not for the reader
                Thread.sleep(1);
            }
            long publishing = System.nanoTime() - start;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reader.latencies.size() < events && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(reader.latencies).hasSize(events);
            assertThat(reader.other.get()).isZero();
            long worst = reader.latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(worst / 1e6).as("worst delay of an event, ms").isLessThan(500);
            assertThat(publishing / 1e9).as("publishing never waited for a writer, s").isLessThan(10);
            for (Stalled s : stalled) {
                assertThat(s.closed.await(5, TimeUnit.SECONDS)).as("a stalled reader is closed").isTrue();
            }
            assertThat(fanOut.size()).isEqualTo(1);
        }
    }
}
