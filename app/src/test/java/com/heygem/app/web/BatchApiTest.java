package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.jobs.StageHold;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch engine through the real server process, run with a 256 MB heap: a write failure
 * fails only its item and the server keeps serving, retry once the cause is gone, cancel and
 * retry of a batch, result downloads with ranges, and the ZIP of five results.
 */
class BatchApiTest {
    /** The name of the batch cancelled mid-render. */
    private static final String CANCELLED = "cancel me";
    @TempDir
    Path temp;

    @Test
    void batchesFailCancelRetryAndDownloadThroughTheServer() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        // The batch cancelled while it renders is held there by the test hook until the cancel comes.
        try (ServerProcess server = new ServerProcess(data).heap("-Xmx256m")
                .property(StageHold.PROPERTY, "rendering@" + CANCELLED).start()) {
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String template = server.upload(SharedMedia.template("woman_may_512.mp4")).path("id").asText();

            // A file where the output folder should be: the item fails with a clear error, the server goes on.
            Files.writeString(data.resolve("outputs"), "in the way");
            String blocked = createBatch(server, audio, template, 1);
            JsonNode b = server.awaitBatch(blocked, Duration.ofMinutes(2));
            JsonNode failed = b.path("items").get(0);
            assertThat(failed.path("state").asText()).isEqualTo("FAILED");
            assertThat(failed.path("error").path("code").asText()).isEqualTo("WRITE_FAILED");
            assertThat(failed.path("error").path("message").asText()).contains("outputs").contains("Not a directory");
            assertThat(failed.path("error").path("messageZh").asText()).contains("无法写入结果文件");
            assertThat(server.get("/api/v1/health").path("status").asText()).isEqualTo("ok");
            assertThat(server.isAlive()).isTrue();

            // The cause gone, a retry succeeds.
            Files.delete(data.resolve("outputs"));
            String failedId = failed.path("id").asText();
            // Queued again, and with a free worker it may already have started when the answer is written.
            assertThat(server.post("/api/v1/items/" + failedId + "/retry", 200).path("state").asText())
                    .isIn("QUEUED", "RUNNING");
            b = server.awaitBatch(blocked, Duration.ofMinutes(2));
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            assertThat(b.path("items").get(0).path("attempts").asInt()).isEqualTo(2);
            // A finished item can be neither cancelled nor retried; unknown ids are 404.
            JsonNode refused = assertError(server, server.authorized("/api/v1/items/" + failedId + "/cancel")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), 409, "INVALID_STATE");
            // Said with the template's name and the state in words, never the item's id or a raw state.
            assertThat(refused.path("error").path("message").asText()).contains("woman_may_512.mp4")
                    .contains("already finished").doesNotContain(failedId).doesNotContain("SUCCEEDED");
            assertThat(refused.path("error").path("messageZh").asText()).contains("已经完成").doesNotContain("SUCCEEDED");
            assertError(server, server.authorized("/api/v1/items/i_nothere/retry")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), 404, "NOT_FOUND");
            assertError(server, server.authorized("/api/v1/batches/b_nothere/zip").build(), 404, "NOT_FOUND");

            // Cancel a running batch: within 2 s nothing is rendering and no file is left; retry finishes it.
            String cancelled = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                    + template + "\",\"" + template + "\"],\"name\":\"" + CANCELLED + "\"}").path("id").asText();
            awaitRendering(server, cancelled);
            long t0 = System.nanoTime();
            JsonNode c = server.post("/api/v1/batches/" + cancelled + "/cancel", 200);
            assertThat(c.path("state").asText()).isEqualTo("CANCELED");
            Path out = data.resolve("outputs").resolve(cancelled);
            while (System.nanoTime() - t0 < 2_000_000_000L && filesIn(out) > 0) {
                Thread.sleep(50);
            }
            assertThat(filesIn(out)).as("files left in " + out).isZero();
            c = server.post("/api/v1/batches/" + cancelled + "/retry", 200);
            assertThat(c.path("counts").path("queued").asInt() + c.path("counts").path("running").asInt()).isEqualTo(2);
            assertThat(server.awaitBatch(cancelled, Duration.ofMinutes(2)).path("state").asText()).isEqualTo("SUCCEEDED");

            // Five results: one with ranges, all as one ZIP streamed by a server with a 256 MB heap.
            String five = createBatch(server, audio, template, 5);
            b = server.awaitBatch(five, Duration.ofMinutes(4));
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            checkRanges(server, b.path("items").get(0).path("result").asText());
            // Each result carries the sync judge's reading, beside what it reads on natural footage.
            JsonNode sync = b.path("items").get(0).path("sync");
            assertThat(sync.path("offsetFrames").isInt()).as(sync.toString()).isTrue();
            assertThat(sync.path("confidence").asDouble()).isBetween(-1.0, 1.0);
            assertThat(sync.path("naturalConfidence").asDouble()).isGreaterThan(0.3);
            assertThat(sync.path("readable").isBoolean()).isTrue();
            Path zip = temp.resolve("five.zip");
            HttpResponse<Path> z = server.http().send(server.authorized(b.path("zip").asText()).build(),
                    HttpResponse.BodyHandlers.ofFile(zip));
            assertThat(z.statusCode()).isEqualTo(200);
            assertThat(z.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
            List<Path> videos = ResultFiles.unzip(zip, temp.resolve("unzipped"));
            assertThat(videos).hasSize(5);
            for (Path v : videos) {
                ResultFiles.assertPlayable(v, 4.0, 6.5);
            }
            // The dry run lists and deletes nothing (nothing is old under the default 30 days).
            JsonNode plan = server.get("/api/v1/cleanup");
            assertThat(plan.path("dryRun").asBoolean()).isTrue();
            assertThat(plan.path("files").isArray()).isTrue();
            assertThat(server.isAlive()).isTrue();
        }
    }

    private static String createBatch(ServerProcess server, String audio, String template, int copies)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            ids.add('"' + template + '"');
        }
        return server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + String.join(",", ids)
                + "]}").path("id").asText();
    }

    private static void awaitRendering(ServerProcess server, String batch) throws Exception {
        server.awaitOutput(StageHold.HELD + " item", Duration.ofMinutes(1));
        JsonNode first = server.get("/api/v1/batches/" + batch).path("items").get(0);
        assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("RUNNING");
        assertThat(first.path("stage").asText()).as(first.toString()).isEqualTo("rendering");
    }

    private static long filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static JsonNode assertError(ServerProcess server, HttpRequest request, int status, String code)
            throws Exception {
        HttpResponse<String> r = server.raw(request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"" + code + "\"").contains("\"hint\"");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    }

    private static void checkRanges(ServerProcess server, String result) throws Exception {
        HttpResponse<byte[]> whole = server.http().send(server.authorized(result).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        byte[] all = whole.body();
        HttpResponse<byte[]> part = server.http().send(server.authorized(result).header("Range", "bytes=100-199")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + all.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(all, 100, 200));
        HttpResponse<byte[]> tail = server.http().send(server.authorized(result).header("Range", "bytes=-10").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(all, all.length - 10, all.length));
        HttpResponse<byte[]> beyond = server.http().send(server.authorized(result)
                .header("Range", "bytes=" + all.length + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(beyond.statusCode()).isEqualTo(416);
    }
}
