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

    private static void await(java.util.function.BooleanSupplier done, Duration limit, String what) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what);
            }
            Thread.sleep(200);
        }
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
                await(() -> !to(got, "/default", a).isEmpty(), Duration.ofMinutes(2), "batch A was not told");
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
                await(() -> !to(got, "/own", b).isEmpty(), Duration.ofMinutes(2), "batch B was not told after the restart");
                // A receiver that fails once is tried again (after 5 s).
                String c = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                        + "\"],\"webhookUrl\":\"" + base + "/flaky\"}").path("id").asText();
                await(() -> to(got, "/flaky", c).size() == 2, Duration.ofMinutes(2), "batch C was not told again");
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
}
