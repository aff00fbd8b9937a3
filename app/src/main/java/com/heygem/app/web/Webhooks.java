package com.heygem.app.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.imports.AddressPolicy;
import com.heygem.app.imports.PinnedPost;
import com.heygem.app.store.BatchStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a URL when a batch has finished: a JSON POST of the batch (as {@code GET
 * /api/v1/batches/{id}} answers it) to the batch's own webhook or the default one (setting
 * notify.webhookUrl), signed with HMAC-SHA256 of the body ({@code X-HeyGem-Signature:
 * sha256=<hex>}) under the secret of setting notify.webhookSecret (else {@code <data>/webhook-secret},
 * made on first use). Due batches are found in the database every few seconds, so a batch that
 * finished while the server was down is told after the restart; a failed delivery is tried
 * again after 5 s, 10 s, 20 s … (at most an hour apart), {@link #ATTEMPTS} times.
 *
 * <p>A batch's own webhook is an address a user typed: it is checked by the server's
 * {@link AddressPolicy} when the batch is made and again at each delivery, and the POST goes to
 * the address that check returned ({@link PinnedPost}). The default webhook is the
 * administrator's setting and is not limited. Deliveries run on {@link #SENDERS} threads with one
 * queue per destination (host and port): a slow or silent receiver holds up only its own.
 */
final class Webhooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 8;
    static final Duration LOOK_EVERY = Duration.ofSeconds(2);
    /** A delivery in flight holds its batch this long (so another node does not send it too). */
    static final Duration LEASE = Duration.ofSeconds(60);

    private final BatchStore store;
    private final String defaultUrl;
    private final byte[] secret;
    private final java.util.function.Function<BatchStore.Batch, Map<String, Object>> describe;
    /** Deliveries at once, each to another destination. */
    static final int SENDERS = 4;
    static final int CONNECT_MILLIS = 10_000;
    static final int ANSWER_MILLIS = 20_000;

    private final AddressPolicy policy;
    /** Batch ids waiting or being told, by destination; the first of each is being told. Guarded by itself. */
    private final Map<String, java.util.ArrayDeque<String>> queues = new java.util.HashMap<>();
    private final java.util.Set<String> queued = new java.util.HashSet<>();
    private final java.util.concurrent.ExecutorService senders = Executors.newFixedThreadPool(SENDERS, r -> {
        Thread t = new Thread(r, "webhooks-send");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhooks");
        t.setDaemon(true);
        return t;
    });

    Webhooks(BatchStore store, String defaultUrl, String secret, Path dataDir, AddressPolicy policy,
            java.util.function.Function<BatchStore.Batch, Map<String, Object>> describe) throws IOException {
        this.store = store;
        this.policy = policy;
        this.defaultUrl = defaultUrl == null || defaultUrl.isBlank() ? null : defaultUrl.trim();
        this.secret = (secret == null || secret.isBlank() ? fileSecret(dataDir) : secret).getBytes(StandardCharsets.UTF_8);
        this.describe = describe;
        timer.scheduleWithFixedDelay(this::round, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Checks a webhook address a user gave: http(s), a host, at most 2000 characters, and a host
     * the server may connect to ({@code policy}). A refused host and one whose name is not known
     * get the same answer.
     */
    static String validUrl(String url, AddressPolicy policy) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.trim();
        URI uri = null;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            // said below
        }
        if (uri == null || u.length() > 2000 || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new ApiError(400, "BAD_WEBHOOK", "The webhook address '" + SafeName.of(shown(u)) + "' is not an http(s) URL",
                    "Give a full address such as https://example.com/heygem-done, or leave it out.")
                    .zh("回调地址 '" + SafeName.of(shown(u)) + "' 不是 http(s) 网址", "请填写完整地址，例如 https://example.com/heygem-done，或留空。");
        }
        try {
            policy.check(uri.getHost(), port(uri), shown(u));
        } catch (com.heygem.engine.error.HeyGemException e) {
            throw new ApiError(400, "BAD_WEBHOOK", "The webhook address '" + SafeName.of(shown(u))
                    + "' cannot be reached from this server",
                    "Give an address on the internet that answers, or ask an administrator to allow the host"
                            + " (setting import.allowHosts).")
                    .zh("本服务器无法访问回调地址 '" + SafeName.of(shown(u)) + "'",
                            "请填写可从互联网访问的地址，或请管理员放行该主机（配置项 import.allowHosts）。");
        }
        return u;
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** An address as it may be shown: without its query, which may carry a secret. */
    static String shown(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    private void round() {
        try {
            for (String id : store.dueNotifications(defaultUrl != null, LEASE)) {
                store.batch(id).ifPresent(this::enqueue);
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook round failed: {}", e.toString());
        }
    }

    /** Puts a due batch in its destination's queue; a queue that was empty gets a sender. */
    private void enqueue(BatchStore.Batch batch) {
        String url = batch.webhookUrl() != null ? batch.webhookUrl() : defaultUrl;
        String destination = destination(url);
        synchronized (queues) {
            if (!queued.add(batch.id())) {
                return; // still waiting or being told (its lease ran out meanwhile)
            }
            java.util.ArrayDeque<String> q = queues.computeIfAbsent(destination, d -> new java.util.ArrayDeque<>());
            q.add(batch.id());
            if (q.size() == 1) {
                senders.submit(() -> drain(destination));
            }
        }
    }

    /** Tells the destination's batches one after another until its queue is empty. */
    private void drain(String destination) {
        while (true) {
            String id;
            synchronized (queues) {
                java.util.ArrayDeque<String> q = queues.get(destination);
                if (q == null || q.isEmpty()) {
                    queues.remove(destination);
                    return;
                }
                id = q.peek();
            }
            try {
                store.batch(id).ifPresent(this::deliver);
            } catch (RuntimeException e) {
                LOG.warn("webhook of batch {} failed: {}", id, e.toString());
            } finally {
                synchronized (queues) {
                    java.util.ArrayDeque<String> q = queues.get(destination);
                    q.poll();
                    queued.remove(id);
                    if (q.isEmpty()) {
                        queues.remove(destination);
                        return;
                    }
                }
            }
        }
    }

    private static String destination(String url) {
        try {
            URI uri = URI.create(url);
            return String.valueOf(uri.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port(uri);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private void deliver(BatchStore.Batch batch) {
        String url = batch.webhookUrl() != null ? batch.webhookUrl() : defaultUrl;
        if (url == null) {
            store.notified(batch.id());
            return;
        }
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", "batch.finished");
            body.put("sentAt", Instant.now().toString());
            body.put("batch", describe.apply(batch));
            byte[] json = JSON.writeValueAsBytes(body);
            URI uri = URI.create(url);
            InetSocketAddress to;
            try {
                // The user's address is checked again now (its name may point elsewhere than at creation);
                // the administrator's default is theirs to choose.
                to = batch.webhookUrl() != null ? policy.check(uri.getHost(), port(uri), shown(url))
                        : new InetSocketAddress(InetAddress.getByName(uri.getHost()), port(uri));
            } catch (com.heygem.engine.error.HeyGemException e) {
                later(batch, url, "refused or unknown host");
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "HeyGem");
            headers.put("X-HeyGem-Event", "batch.finished");
            headers.put("X-HeyGem-Delivery", batch.id());
            headers.put("X-HeyGem-Signature", "sha256=" + sign(json));
            int status = PinnedPost.post(uri, to, headers, json, CONNECT_MILLIS, ANSWER_MILLIS);
            if (status / 100 == 2) {
                store.notified(batch.id());
                LOG.info("batch {} finished: told {}", batch.id(), host(url));
                return;
            }
            later(batch, url, "answered " + status);
        } catch (IOException | IllegalArgumentException e) {
            later(batch, url, e.toString());
        }
    }

    private void later(BatchStore.Batch batch, String url, String why) {
        int attempts = store.notifyFailed(batch.id());
        if (attempts <= 0) {
            return; // the batch was deleted meanwhile: nobody left to tell
        }
        if (attempts >= ATTEMPTS) {
            LOG.warn("batch {}: gave up telling {} after {} attempts ({})", batch.id(), host(url), attempts, why);
            store.notified(batch.id());
            return;
        }
        long wait = Math.min(3600, 5L << Math.min(attempts - 1, 20));
        store.notifyAt(batch.id(), Instant.now().plusSeconds(wait));
        LOG.info("batch {}: telling {} failed ({}); again in {} s", batch.id(), host(url), why, wait);
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String fileSecret(Path dataDir) throws IOException {
        Path file = dataDir.resolve("webhook-secret");
        if (Files.isRegularFile(file)) {
            String v = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!v.isEmpty()) {
                return v;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String v = HexFormat.of().formatHex(random);
        Files.writeString(file, v + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return v;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        senders.shutdownNow();
    }

    /** Only the host of a webhook goes to the log (its path or query may hold a secret). */
    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "(bad address)";
        }
    }
}
