package com.heygem.app.web;

import com.heygem.app.jobs.ItemProgress;
import com.heygem.app.store.BatchStore;
import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events} (server-sent events, optionally {@code ?batch=ID}): {@code progress}
 * events four times a second from the renders on this node, {@code item} events with the whole
 * item whenever the database shows a change (state, progress or result) from any node, and a
 * {@code ping} every few seconds so the page can tell a silent stream from a stalled one. One
 * thread gathers the events; each browser has its own queue and writer ({@link EventFanOut}), so
 * a browser that stops reading never holds up the others or a render.
 */
final class EventRoutes implements Routes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);
    private static final long TICK_MS = 250;
    /** Ticks between pings: 5 s (the page polls after 12 s without any event). */
    private static final int PING_TICKS = 20;
    private static final int SENT_REMEMBERED = 10_000;
    /** Streams open at once; more are refused (503) rather than each costing a thread. */
    static final int MAX_STREAMS = 1000;

    /** One browser's stream; {@code may} says which batches its account may follow. */
    private record Client(SseClient sse, String batch, java.util.function.Predicate<String> may)
            implements EventFanOut.Receiver {
        @Override
        public boolean wants(String batchId) {
            return batchId == null || ((batch == null || batch.equals(batchId)) && may.test(batchId));
        }

        @Override
        public void send(String event, Object data) {
            if (sse.terminated()) {
                throw new IllegalStateException("closed by the browser");
            }
            sse.sendEvent(event, data);
        }

        @Override
        public void close() {
            sse.close();
        }
    }

    private final Services s;
    private final EventFanOut clients = new EventFanOut();
    private final Map<String, ItemProgress> latest = new ConcurrentHashMap<>();
    /** The last report sent of each recent item (sender thread only): nothing older goes out after it. */
    private final Map<String, ItemProgress> sent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ItemProgress> eldest) {
            return size() > SENT_REMEMBERED;
        }
    };
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "events");
        t.setDaemon(true);
        return t;
    });
    private final AutoCloseable listening;
    private Instant checked = Instant.now();
    private long ticks;

    EventRoutes(Services services) {
        this.s = services;
        // A late RUNNING report never replaces the cancel or end that already went out.
        this.listening = services.queue().progress().listen(
                p -> latest.merge(p.itemId(), p, (old, now) -> now.supersedes(old) ? now : old));
        sender.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void addTo(Api api) {
        api.sse("/api/v1/events", "events", "Live progress: 'progress' and 'item' events (?batch= to follow one)",
                client -> {
                    if (clients.size() >= MAX_STREAMS) {
                        client.ctx().status(503);
                        client.close();
                        return;
                    }
                    client.keepAlive();
                    Runnable remove = clients.add(new Client(client, client.ctx().queryParam("batch"),
                            visible(Owners.viewer(client.ctx()))));
                    client.onClose(remove);
                    client.sendEvent("hello", Map.of("version", s.version()));
                });
    }

    /** Which batches an account may follow (all for an admin: null), remembered per stream. */
    private java.util.function.Predicate<String> visible(String viewer) {
        if (viewer == null) {
            return b -> true;
        }
        Map<String, Boolean> known = new ConcurrentHashMap<>();
        return b -> known.computeIfAbsent(b, id -> s.store().batch(id).map(x -> viewer.equals(x.ownerId())
                || s.store().sharedWith(id).contains(viewer)).orElse(false));
    }

    private void tick() {
        try {
            if (clients.size() == 0) {
                latest.clear();
                checked = Instant.now();
                return;
            }
            for (ItemProgress p : latest.values()) {
                latest.remove(p.itemId(), p);
                if (!p.supersedes(sent.get(p.itemId()))) {
                    continue;
                }
                sent.put(p.itemId(), p);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("batchId", p.batchId());
                m.put("itemId", p.itemId());
                m.put("state", p.state().name());
                m.put("revision", p.revision());
                m.put("stage", p.stage());
                m.put("progress", Math.round(10 * p.percent()) / 10.0);
                m.put("framesDone", p.framesDone());
                m.put("framesTotal", p.framesTotal());
                m.put("etaSeconds", p.etaSeconds());
                send(p.batchId(), "progress", m);
            }
            if (++ticks % 4 == 0) {
                // Overlap by a second: a change written just before the last look is not missed.
                Instant now = Instant.now();
                for (BatchStore.Item i : s.store().itemsChangedSince(checked.minusSeconds(1))) {
                    send(i.batchId(), "item", BatchRoutes.itemJson(i));
                }
                checked = now;
            }
            if (ticks % PING_TICKS == 0) {
                clients.publish(null, "ping", Map.of());
            }
        } catch (RuntimeException e) {
            LOG.warn("sending events failed: {}", e.toString());
        }
    }

    private void send(String batchId, String event, Object data) {
        clients.publish(batchId, event, data);
    }

    @Override
    public void close() throws Exception {
        listening.close();
        sender.shutdownNow();
        clients.close();
    }
}
