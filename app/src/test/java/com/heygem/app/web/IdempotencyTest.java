package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries a client may send: many copies of one batch request at once, a key reused for another
 * request, keys that are no keys, and one file uploaded twice at the same moment. Against the real
 * server (with no worker: nothing here needs to render).
 */
class IdempotencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private static HttpResponse<String> create(ServerProcess server, String key, String body) throws Exception {
        HttpRequest.Builder b = server.authorized("/api/v1/batches").header("Content-Type", "application/json");
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return server.raw(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void oneKeyMakesOneBatchUnderConcurrencyAndBadOrReusedKeysAreRefused() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start()) {
            // Two identical uploads at the same moment: one asset, both answered 201.
            Path file = SharedMedia.template("woman_may_512.mp4");
            Future<JsonNode> first = pool.submit(() -> server.upload(file));
            Future<JsonNode> second = pool.submit(() -> server.upload(file));
            String template = first.get().path("id").asText();
            assertThat(second.get().path("id").asText()).isEqualTo(template);
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String body = "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\"]}";

            Set<String> made = new HashSet<>();
            for (int round = 0; round < 5; round++) {
                String key = "retry-" + round;
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int k = 0; k < 16; k++) {
                    answers.add(pool.submit(() -> create(server, key, body)));
                }
                Set<String> ids = new HashSet<>();
                for (Future<HttpResponse<String>> a : answers) {
                    HttpResponse<String> r = a.get();
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    ids.add(JSON.readTree(r.body()).path("id").asText());
                }
                assertThat(ids).as("one batch for key " + key).hasSize(1);
                made.addAll(ids);
            }
            assertThat(server.get("/api/v1/batches?limit=100").path("batches")).hasSize(5);
            assertThat(made).hasSize(5);

            // The same key for another request is a mistake, not a replay.
            String other = "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\",\"" + template + "\"]}";
            HttpResponse<String> reused = create(server, "retry-0", other);
            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(reused.body()).path("error").path("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
            HttpResponse<String> replay = create(server, "retry-0", body);
            assertThat(replay.statusCode()).isEqualTo(201);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");

            for (String bad : List.of(" ", "k".repeat(201))) {
                HttpResponse<String> r = create(server, bad, body);
                assertThat(r.statusCode()).as("key of %d characters", bad.length()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("BAD_IDEMPOTENCY_KEY");
            }
            assertThat(server.get("/api/v1/batches?limit=100").path("batches")).hasSize(5);
        } finally {
            pool.shutdownNow();
        }
    }
}
