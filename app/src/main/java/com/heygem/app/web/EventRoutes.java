package com.heygem.app.web;

import com.heygem.app.jobs.ItemProgress;
import com.heygem.app.store.BatchStore;
import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events} (server-sent events, optionally {@code ?batch=ID}): {@code progress}
 * events four times a second from the renders on this node, and {@code item} events with the
 * whole item whenever the database shows a change (state, progress or result) from any node.
 * One sender thread does all the writing, so a slow browser never holds up a render.
 */
final class EventRoutes implements Routes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);
    private static final long TICK_MS = 250;
    private static final int SENT_REMEMBERED = 10_000;

    private record Client(SseClient sse, String batch) {
        boolean wants(String batchId) {
            return batch == null || batch.equals(batchId);
        }
    }

    private final Services s;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
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
                    client.keepAlive();
                    Client c = new Client(client, client.ctx().queryParam("batch"));
                    clients.add(c);
                    client.onClose(() -> clients.remove(c));
                    client.sendEvent("hello", Map.of("version", s.version()));
                });
    }

    private void tick() {
        try {
            if (clients.isEmpty()) {
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
            if (ticks % 60 == 0) {
                for (Client c : clients) {
                    c.sse().sendComment("keep-alive");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("sending events failed: {}", e.toString());
        }
    }

    private void send(String batchId, String event, Object data) {
        for (Client c : clients) {
            if (c.sse().terminated()) {
                clients.remove(c);
            } else if (c.wants(batchId)) {
                c.sse().sendEvent(event, data);
            }
        }
    }

    @Override
    public void close() throws Exception {
        listening.close();
        sender.shutdownNow();
        for (Client c : clients) {
            c.sse().close();
        }
    }
}
