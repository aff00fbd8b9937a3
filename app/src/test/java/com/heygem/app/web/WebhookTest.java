package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.jobs.StageHold;
import com.heygem.engine.testing.SharedMedia;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local receiver gets exactly one signed POST per finished batch: by the default webhook, by a
 * batch's own, across a restart in the middle of a render, and again after a failed delivery.
 */
class WebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "test-secret-123";

    private record Delivery(String path, String signature, String body) {
    }

    @TempDir
    Path temp;

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Delivery> to(List<Delivery> all, String path, String batch) {
        return all.stream().filter(d -> d.path().equals(path) && d.body().contains(batch)).toList();
    }

    @Test
    void eachFinishedBatchIsToldOnceSignedAlsoAcrossARestartAndAfterAFailure() throws Exception {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        AtomicInteger failFirst = new AtomicInteger(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            got.add(new Delivery(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("X-HeyGem-Signature"), body));
            boolean fail = ex.getRequestURI().getPath().equals("/flaky") && failFirst.getAndDecrement() > 0;
            ex.sendResponseHeaders(fail ? 500 : 204, -1);
            ex.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Path data = Files.createDirectories(temp.resolve("data"));
        try {
            String a;
            String b;
            String audio;
            String template;
            // The receiver is on this machine: allowed by the administrator, that port only.
            String allow = "127.0.0.1:" + receiver.getAddress().getPort();
            try (ServerProcess server = new ServerProcess(data).env("HEYGEM_NOTIFY_WEBHOOK_URL", base + "/default")
                    .env("HEYGEM_IMPORT_ALLOW_HOSTS", allow)
                    .env("HEYGEM_NOTIFY_WEBHOOK_SECRET", SECRET).env("HEYGEM_WORKER_STOP_GRACE_SECONDS", "0")
                    .property(StageHold.PROPERTY, "rendering@Stopped mid-render").start()) {
                audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
                template = server.upload(SharedMedia.template("woman_may_512.mp4")).path("id").asText();
                a = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                        + "\"],\"name\":\"Spring campaign\"}").path("id").asText();
                Waits.until(() -> !to(got, "/default", a).isEmpty(), Duration.ofMinutes(2), "batch A was not told");
                // The batch's own webhook, and a stop in the middle of its render.
                b = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                        + "\"],\"webhookUrl\":\"" + base + "/own\",\"name\":\"Stopped mid-render\"}").path("id").asText();
                server.awaitOutput(StageHold.HELD + " item", Duration.ofMinutes(1));
                assertThat(server.get("/api/v1/batches/" + b).path("items").get(0).path("stage").asText())
                        .isEqualTo("rendering");
                assertThat(server.stop(Duration.ofSeconds(30))).isZero();
            }
            assertThat(to(got, "/own", b)).as("told before it finished").isEmpty();
            try (ServerProcess server = new ServerProcess(data).env("HEYGEM_NOTIFY_WEBHOOK_URL", base + "/default")
                    .env("HEYGEM_IMPORT_ALLOW_HOSTS", allow).env("HEYGEM_NOTIFY_WEBHOOK_SECRET", SECRET).start()) {
                Waits.until(() -> !to(got, "/own", b).isEmpty(), Duration.ofMinutes(2), "batch B was not told after the restart");
                // A receiver that fails once is tried again (after 5 s).
                String c = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                        + "\"],\"webhookUrl\":\"" + base + "/flaky\"}").path("id").asText();
                Waits.until(() -> to(got, "/flaky", c).size() == 2, Duration.ofMinutes(2), "batch C was not told again");
                Thread.sleep(6000); // nothing more comes
                assertThat(to(got, "/default", a)).hasSize(1);
                assertThat(to(got, "/own", b)).hasSize(1);
                assertThat(to(got, "/default", b)).isEmpty();
                assertThat(to(got, "/flaky", c)).hasSize(2);
                for (Delivery d : got) {
                    assertThat(d.signature()).as("signature of " + d.path()).isEqualTo(hmac(d.body()));
                }
                JsonNode told = JSON.readTree(to(got, "/default", a).get(0).body());
                assertThat(told.path("event").asText()).isEqualTo("batch.finished");
                assertThat(told.path("batch").path("id").asText()).isEqualTo(a);
                assertThat(told.path("batch").path("name").asText()).isEqualTo("Spring campaign");
                assertThat(told.path("batch").path("state").asText()).isEqualTo("SUCCEEDED");
            }
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * Issue 23: a receiver that does not answer holds up only its own deliveries, and a batch's
     * webhook address (which may carry a secret) is shown only to the batch's owner.
     */
    @Test
    void aSilentReceiverDelaysOnlyItsOwnAndOnlyTheOwnerSeesTheAddress() throws Exception {
        java.util.concurrent.CountDownLatch otherTold = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean silentStillWaiting = new java.util.concurrent.atomic.AtomicBoolean();
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            silentStillWaiting.set(true);
            try {
                // Answers only once the other receiver was told (or after a minute): a single
                // sender would never get to the other one while this waits.
                otherTold.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            otherTold.countDown();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        silent.start();
        other.start();
        String silentUrl = "http://127.0.0.1:" + silent.getAddress().getPort() + "/hook?secret=s3cr3t";
        String otherUrl = "http://127.0.0.1:" + other.getAddress().getPort() + "/hook";
        try (ServerProcess server = new ServerProcess(Files.createDirectories(temp.resolve("data")))
                .env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1:" + silent.getAddress().getPort() + ",127.0.0.1:"
                        + other.getAddress().getPort()).start()) {
            String audio = server.upload(SharedMedia.audio("zh_poem_5s.wav")).path("id").asText();
            String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
            String first = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                    + template + "\"],\"webhookUrl\":\"" + silentUrl + "\"}").path("id").asText();
            assertThat(server.get("/api/v1/batches/" + first).path("webhookUrl").asText()).as("the owner sees it")
                    .isEqualTo(silentUrl);
            Waits.until(silentStillWaiting::get, Duration.ofMinutes(2), "the silent receiver was never called");
            String second = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                    + template + "\"],\"webhookUrl\":\"" + otherUrl + "\"}").path("id").asText();
            assertThat(server.awaitBatch(second, Duration.ofMinutes(2)).path("state").asText()).isEqualTo("SUCCEEDED");
            // Told within a round or two (2 s each), not after the silent delivery's 20 s time-out.
            assertThat(otherTold.await(8, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the other receiver was told while the silent one still held its delivery").isTrue();

            // Someone the batch is shared with sees the batch, not its webhook address.
            Client admin = Client.withKey(server, "admin", server.token());
            JsonNode made = admin.ok("POST", "/api/v1/users", "{\"name\":\"vera\",\"role\":\"viewer\"}");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#/setup/([0-9a-f]{48})")
                    .matcher(made.path("setupLink").asText());
            assertThat(m.find()).isTrue();
            Client vera = Client.browser(server, "vera");
            vera.ok("POST", "/api/v1/setup", "{\"code\":\"" + m.group(1) + "\",\"password\":\"quiet river stone\"}");
            admin.ok("POST", "/api/v1/batches/" + first + "/shares", "{\"users\":[\"vera\"]}");
            JsonNode seen = vera.ok("GET", "/api/v1/batches/" + first, null);
            assertThat(seen.path("id").asText()).isEqualTo(first);
            assertThat(seen.path("webhookUrl").isNull()).as(seen.toString()).isTrue();
            assertThat(seen.toString()).doesNotContain("s3cr3t");
        } finally {
            otherTold.countDown();
            silent.stop(0);
            other.stop(0);
        }
    }
}
