package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.jobs.StageHold;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server process, stopped (SIGTERM) or killed (kill -9) in the middle of a batch and started again. */
class RecoveryTest {
    @TempDir
    Path temp;

    /** Uploads the speech and the templates and makes a batch of them; @return its id */
    private static String batch(ServerProcess server, List<String> names) throws Exception {
        String audio = server.upload(SharedMedia.audio("en_jfk_11s.flac")).path("id").asText();
        StringBuilder templates = new StringBuilder();
        for (String t : names) {
            JsonNode asset = server.upload(SharedMedia.template(t));
            assertThat(asset.path("kind").asText()).isEqualTo("VIDEO");
            templates.append(templates.length() == 0 ? "" : ",").append('"').append(asset.path("id").asText())
                    .append('"');
        }
        return server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + templates
                + "]}").path("id").asText();
    }

    /**
     * Waits until the batch's first item renders frames, where the test hook holds it (until it is
     * stopped) so that what the test does next finds it there on a fast machine as on a slow one.
     */
    private static void awaitRendering(ServerProcess server, String batch) throws Exception {
        server.awaitOutput(StageHold.HELD + " item", Duration.ofMinutes(2));
        JsonNode first = server.get("/api/v1/batches/" + batch).path("items").get(0);
        assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("RUNNING");
        assertThat(first.path("stage").asText()).as(first.toString()).isEqualTo("rendering");
    }

    @Test
    void aStoppedServerHandsItsItemBackClosesTheDatabaseLastAndExitsZero() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        String batch;
        // No grace: the render in hand stops and goes back to the queue at once.
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKER_STOP_GRACE_SECONDS", "0")
                .property(StageHold.PROPERTY, "rendering").start()) {
            batch = batch(server, List.of("woman_may_512.mp4"));
            awaitRendering(server, batch);
            assertThat(server.stop(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
        }
        String token = Files.readString(data.resolve("token")).trim();
        assertThat(Files.readString(data.resolve("logs/heygem.log"))).contains("HeyGem is ready").doesNotContain(token);
        String out = Files.readString(temp.resolve("data.out"));
        assertThat(out).contains("handed back to the queue").contains("stopped")
                .doesNotContain("already closed").doesNotContain("Exception").doesNotContain("ERROR")
                .doesNotContain("Treating as failure");
        try (Stream<Path> files = Files.walk(data.resolve("outputs"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList())
                    .as("no half-written result left").isEmpty();
        }
        try (ServerProcess server = new ServerProcess(data).start()) {
            JsonNode item = server.get("/api/v1/batches/" + batch).path("items").get(0);
            // Handed back: queued (or already running again), never stuck as RUNNING from the old process.
            assertThat(item.path("attempts").asInt()).as(item.toString()).isLessThanOrEqualTo(2);
            JsonNode b = server.awaitBatch(batch, Duration.ofMinutes(3));
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            assertThat(b.path("items").get(0).path("attempts").asInt()).isEqualTo(2);
        }
        ResultFiles.assertBatchFolder(data, batch, 1, 10.0, 12.5);
    }

    @Test
    void aKilledServerFinishesEveryItemExactlyOnceAfterARestart() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        String batch;
        try (ServerProcess server = new ServerProcess(data).property(StageHold.PROPERTY, "rendering").start()) {
            // The API refuses requests without the token, and answers health without one.
            assertThat(server.raw(HttpRequest.newBuilder(server.uri("/api/v1/batches/x")).build()).statusCode())
                    .isEqualTo(401);
            String audio = server.upload(SharedMedia.audio("en_jfk_11s.flac")).path("id").asText();
            StringBuilder templates = new StringBuilder();
            for (String t : List.of("woman_blue_700.mp4", "woman_may_512.mp4", "obama_256_silent.mp4")) {
                JsonNode asset = server.upload(SharedMedia.template(t));
                assertThat(asset.path("kind").asText()).isEqualTo("VIDEO");
                templates.append(templates.length() == 0 ? "" : ",").append('"').append(asset.path("id").asText())
                        .append('"');
            }
            batch = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + templates
                    + "]}").path("id").asText();
            // Kill it while the first item is rendering.
            awaitRendering(server, batch);
            server.kill();
        }
        try (ServerProcess server = new ServerProcess(data).start()) {
            JsonNode b = null;
            long end = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (System.nanoTime() < end) {
                b = server.get("/api/v1/batches/" + batch);
                if (b.path("state").asText().equals("SUCCEEDED") || b.path("state").asText().equals("FAILED")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            for (JsonNode item : b.path("items")) {
                assertThat(item.path("state").asText()).isEqualTo("SUCCEEDED");
            }
        }
        // Exactly three results, each a whole video; nothing half-written beside them.
        ResultFiles.assertBatchFolder(data, batch, 3, 10.0, 12.5);
    }
}
