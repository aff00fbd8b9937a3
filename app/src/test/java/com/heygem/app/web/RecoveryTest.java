package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server process, killed with kill -9 in the middle of a batch and started again. */
class RecoveryTest {
    @TempDir
    Path temp;

    @Test
    void aKilledServerFinishesEveryItemExactlyOnceAfterARestart() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        String batch;
        try (ServerProcess server = new ServerProcess(data).start()) {
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
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < end) {
                JsonNode first = server.get("/api/v1/batches/" + batch).path("items").get(0);
                if (first.path("state").asText().equals("RUNNING") && "rendering".equals(first.path("stage").asText())) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(server.get("/api/v1/batches/" + batch).path("items").get(0).path("state").asText())
                    .isEqualTo("RUNNING");
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
