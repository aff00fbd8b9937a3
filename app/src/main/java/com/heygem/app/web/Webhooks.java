package com.heygem.app.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.store.BatchStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhooks");
        t.setDaemon(true);
        return t;
    });

    Webhooks(BatchStore store, String defaultUrl, String secret, Path dataDir,
            java.util.function.Function<BatchStore.Batch, Map<String, Object>> describe) throws IOException {
        this.store = store;
        this.defaultUrl = defaultUrl == null || defaultUrl.isBlank() ? null : defaultUrl.trim();
        this.secret = (secret == null || secret.isBlank() ? fileSecret(dataDir) : secret).getBytes(StandardCharsets.UTF_8);
        this.describe = describe;
        timer.scheduleWithFixedDelay(this::round, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Checks a webhook address a user gave: http(s), a host, at most 2000 characters. */
    static String validUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.trim();
        try {
            URI uri = URI.create(u);
            if (u.length() <= 2000 && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new ApiError(400, "BAD_WEBHOOK", "The webhook address '" + SafeName.of(u) + "' is not an http(s) URL",
                "Give a full address such as https://example.com/heygem-done, or leave it out.")
                .zh("回调地址 '" + SafeName.of(u) + "' 不是 http(s) 网址", "请填写完整地址，例如 https://example.com/heygem-done，或留空。");
    }

    private void round() {
        try {
            for (String id : store.dueNotifications(defaultUrl != null, LEASE)) {
                store.batch(id).ifPresent(this::deliver);
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook round failed: {}", e.toString());
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
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").header("User-Agent", "HeyGem")
                    .header("X-HeyGem-Event", "batch.finished").header("X-HeyGem-Delivery", batch.id())
                    .header("X-HeyGem-Signature", "sha256=" + sign(json))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                store.notified(batch.id());
                LOG.info("batch {} finished: told {}", batch.id(), host(url));
                return;
            }
            later(batch, url, "answered " + r.statusCode());
        } catch (IOException e) {
            later(batch, url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void later(BatchStore.Batch batch, String url, String why) {
        int attempts = store.notifyFailed(batch.id());
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
