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
 * item whenever the database shows a change (state, progress or result) from any node, {@code
 * changed} events when a batch or upload the caller sees is made, deleted, shared or renamed
 * ({@link Changes}; not on a stream that follows one batch), and a {@code ping} every few seconds so the page can tell a silent stream from a stalled one. One
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
    /** Streams one account may have open at once (a browser has one per tab). */
    static final int MAX_STREAMS_PER_ACCOUNT = 20;
    /** How long a stream trusts what it found out about its caller and its batches. */
    static final long RECHECK_NANOS = 1_000_000_000L;

    /**
     * One browser's stream. Who it is for is asked again every second ({@code who}: the session,
     * key or token it was opened with, as it stands now), and so is which batches that account may
     * follow: a revoked key, a disabled account, an ended session or a withdrawn share stops its
     * events within a second or two, and a batch shared later starts them. Used on the sender
     * thread only.
     */
    private final class Client implements EventFanOut.Receiver {
        final SseClient sse;
        final String batch;
        final java.util.function.Supplier<Audit.Caller> who;
        final String account;
        private Audit.Caller caller;
        private long checkedAt;
        private final Map<String, Boolean> visible = new java.util.HashMap<>();

        Client(SseClient sse, String batch, java.util.function.Supplier<Audit.Caller> who, Audit.Caller caller) {
            this.sse = sse;
            this.batch = batch;
            this.who = who;
            this.caller = caller;
            this.account = account(caller);
            this.checkedAt = System.nanoTime();
        }

        private void refresh() {
            long now = System.nanoTime();
            if (now - checkedAt > RECHECK_NANOS) {
                checkedAt = now;
                visible.clear();
                Audit.Caller c = who.get();
                // The same account, still allowed in; anything else ends the stream.
                caller = c != null && account.equals(account(c)) ? c : null;
            }
        }

        @Override
        public boolean ended() {
            refresh();
            return caller == null;
        }

        @Override
        public boolean wants(String batchId) {
            refresh();
            if (caller == null) {
                return false;
            }
            if (batchId == null) {
                return true;
            }
            if (batch != null && !batch.equals(batchId)) {
                return false;
            }
            if (caller.role() == com.heygem.app.accounts.Role.ADMIN) {
                return true;
            }
            String viewer = caller.userId();
            return visible.computeIfAbsent(batchId, id -> s.store().batch(id).map(x -> viewer.equals(x.ownerId())
                    || s.store().sharedWith(id).contains(viewer)).orElse(false));
        }

        /** Whether this stream's caller sees what {@code accounts} see (admins see everything). */
        boolean concerns(java.util.Set<String> accounts) {
            refresh();
            return caller != null && (caller.role() == com.heygem.app.accounts.Role.ADMIN
                    || accounts.contains(caller.userId()));
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
    private final WebAuth auth;
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

    EventRoutes(Services services, WebAuth auth, Changes changes) {
        this.s = services;
        this.auth = auth;
        // Queued at once (publishing never writes): the route that changed something is not held up.
        changes.listen(c -> clients.publishTo(r -> r instanceof Client client && client.batch == null
                && client.concerns(c.accounts()), "changed", c.json()));
        // A late RUNNING report never replaces the cancel or end that already went out.
        this.listening = services.queue().progress().listen(
                p -> latest.merge(p.itemId(), p, (old, now) -> now.supersedes(old) ? now : old));
        sender.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void addTo(Api api) {
        api.sse("/api/v1/events", "events", "Live progress: 'progress' and 'item' events (?batch= to follow one)",
                this::admit, client -> {
                    client.keepAlive();
                    Audit.Caller caller = Audit.caller(client.ctx());
                    Runnable remove = clients.add(new Client(client, client.ctx().queryParam("batch"),
                            auth.again(client.ctx()), caller));
                    client.onClose(remove);
                    client.sendEvent("hello", Map.of("version", s.version()));
                });
    }

    /**
     * Refuses a stream past the limits before it starts (503 with Retry-After): once the event
     * stream's headers are out, the status can no longer say so.
     */
    private void admit(io.javalin.http.Context ctx) {
        String account = account(Audit.caller(ctx));
        if (clients.size() >= MAX_STREAMS || clients.count(r -> r instanceof Client c && c.account.equals(account))
                >= MAX_STREAMS_PER_ACCOUNT) {
            ctx.header("Retry-After", "10");
            throw new ApiError(503, "TOO_MANY_STREAMS", "Too many live progress streams are open"
                    + (clients.size() >= MAX_STREAMS ? " on this server" : " for this account"),
                    "Close other tabs of HeyGem, or wait a moment.").zh("打开的实时进度连接过多",
                    "请关闭其他 HeyGem 标签页，或稍后再试。");
        }
    }

    /** Whose a stream is: the account, or the token's holder. */
    private static String account(Audit.Caller c) {
        return c.userId() != null ? c.userId() : "via:" + c.via();
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
                clients.sweep(); // a stream whose caller lost its rights ends even when nothing is sent
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
