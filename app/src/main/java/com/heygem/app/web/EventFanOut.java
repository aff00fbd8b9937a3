package com.heygem.app.web;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events to many receivers at once, none holding up another: each receiver has its own bounded
 * queue and its own writer thread, and {@link #publish} only queues, never writes. A receiver
 * that stops reading (its writes block, its queue fills) is dropped; a browser reconnects by
 * itself and the page polls meanwhile.
 */
final class EventFanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanOut.class);
    /** Events a receiver may fall behind by: about a minute of one running item's progress. */
    static final int QUEUE = 256;

    /** Where events go: an event stream to one browser. */
    interface Receiver {
        /** Writes one event; may block while the other end does not read. */
        void send(String event, Object data) throws Exception;

        /** Whether this receiver follows {@code batchId} (null: an event for everyone). */
        boolean wants(String batchId);

        /** Ends the stream (may be called while a send is blocked). */
        void close();

        /** Whether the stream is to end now (its caller may no longer follow anything). */
        default boolean ended() {
            return false;
        }
    }

    private record Event(String name, Object data) {
    }

    private final class Subscriber implements Runnable {
        final Receiver receiver;
        final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        final Thread writer;
        volatile boolean open = true;

        Subscriber(Receiver receiver) {
            this.receiver = receiver;
            this.writer = new Thread(this, "events-" + NUMBER.incrementAndGet());
            writer.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (open) {
                    Event e = queue.poll(1, TimeUnit.SECONDS);
                    if (e != null) {
                        receiver.send(e.name, e.data);
                    }
                }
            } catch (InterruptedException e) {
                // dropped or closing
            } catch (Exception e) {
                LOG.debug("an event stream ended: {}", e.toString());
            } finally {
                remove(this);
            }
        }
    }

    private static final AtomicInteger NUMBER = new AtomicInteger();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    /** @return a handle that removes the receiver */
    Runnable add(Receiver receiver) {
        Subscriber s = new Subscriber(receiver);
        subscribers.add(s);
        s.writer.start();
        return () -> remove(s);
    }

    /** Queues an event for every receiver that wants it; drops those too far behind. */
    void publish(String batchId, String event, Object data) {
        publishTo(r -> r.wants(batchId), event, data);
    }

    /** Queues an event for the receivers {@code which} selects; drops those too far behind. */
    void publishTo(java.util.function.Predicate<Receiver> which, String event, Object data) {
        Event e = new Event(event, data);
        for (Subscriber s : subscribers) {
            if (s.receiver.ended()) {
                remove(s);
                continue;
            }
            if (which.test(s.receiver) && !s.queue.offer(e)) {
                LOG.info("an event stream fell {} events behind (its reader stopped reading): closed", QUEUE);
                remove(s);
            }
        }
    }

    int size() {
        return subscribers.size();
    }

    /** Ends the streams whose receivers say they are to end (their caller lost its rights). */
    void sweep() {
        for (Subscriber s : subscribers) {
            if (s.receiver.ended()) {
                remove(s);
            }
        }
    }

    /** How many receivers match {@code which}. */
    int count(java.util.function.Predicate<Receiver> which) {
        int n = 0;
        for (Subscriber s : subscribers) {
            if (which.test(s.receiver)) {
                n++;
            }
        }
        return n;
    }

    private void remove(Subscriber s) {
        if (!subscribers.remove(s)) {
            return;
        }
        s.open = false;
        s.writer.interrupt();
        // On a thread of its own: closing a stream whose write is blocked may block too.
        Thread closer = new Thread(() -> {
            try {
                s.receiver.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an event stream: {}", e.toString());
            }
        }, s.writer.getName() + "-close");
        closer.setDaemon(true);
        closer.start();
    }

    @Override
    public void close() {
        for (Subscriber s : subscribers) {
            remove(s);
        }
    }
}
