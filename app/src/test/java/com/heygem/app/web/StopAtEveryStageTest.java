package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.jobs.StageHold;
import com.heygem.app.testing.PostgresServer;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29: a server stopped (SIGTERM, no grace) while its item is at each stage in turn hands
 * the item back cleanly every time, for both databases. The test hook {@link StageHold} holds the
 * item at the stage, so the stop lands there whatever this machine's speed: one server start per
 * stage on the same data directory, each resuming the item the last one handed back, then one
 * without the hook that finishes it.
 *
 * <p>The speech (11 s) is longer than the template (5 s), so the render plays it back and forth
 * and has a stage that prepares the frames it plays backwards.
 *
 * <p>After each stop: exit code 0, one plain "handed back" line, nothing in the log that reads as
 * an error (no exception, no ERROR, no db-scheduler failure), no partial file anywhere in the
 * data directory, and the template's analysis, once made, still whole.
 */
class StopAtEveryStageTest {
    /**
     * The first stop comes while the template is analysed (the upload's face check and the
     * render's analysis both under way), the others in the order an item goes through them.
     */
    static final List<String> STAGES = List.of("analysing template", "queued", "analysing audio", "planning",
            "preparing", "rendering", "finishing");

    @TempDir
    Path temp;

    @Test
    void embeddedDatabase() throws Exception {
        stopAtEveryStage(List.of());
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String db = postgres.createDatabase("stages");
            stopAtEveryStage(List.of("HEYGEM_DB_URL", db, "HEYGEM_DB_USER", "heygem"));
        }
    }

    private ServerProcess server(Path data, List<String> env) throws Exception {
        ServerProcess p = new ServerProcess(data).env("HEYGEM_WORKER_STOP_GRACE_SECONDS", "0");
        for (int i = 0; i < env.size(); i += 2) {
            p.env(env.get(i), env.get(i + 1));
        }
        return p;
    }

    private void stopAtEveryStage(List<String> env) throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        String batch = null;
        int ran = 0;
        for (String stage : STAGES) {
            String out;
            try (ServerProcess server = server(data, env).property(StageHold.PROPERTY, stage).start()) {
                if (batch == null) {
                    String audio = server.upload(SharedMedia.audio("en_jfk_11s.flac")).path("id").asText();
                    String template = server.upload(SharedMedia.template("woman_may_512.mp4")).path("id").asText();
                    batch = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                            + template + "\"]}").path("id").asText();
                }
                server.awaitOutput(StageHold.HELD + " item", Duration.ofMinutes(2));
                JsonNode item = server.get("/api/v1/batches/" + batch).path("items").get(0);
                if (!stage.equals("queued")) {
                    assertThat(item.path("state").asText()).as(stage).isEqualTo("RUNNING");
                    assertThat(item.path("stage").asText()).as(stage).isEqualTo(stage);
                    ran++;
                }
                assertThat(server.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM at " + stage).isZero();
                out = server.output();
            }
            assertThat(out).as("stopped at " + stage).contains("handed back to the queue").contains("stopped")
                    .doesNotContain("Exception").doesNotContain("ERROR").doesNotContain("Treating as failure")
                    .doesNotContain("already closed").doesNotContain(" WARN ");
            assertThat(leftovers(data)).as("partial files after a stop at " + stage).isEmpty();
            if (STAGES.indexOf(stage) > STAGES.indexOf("analysing audio")) {
                // The analysis was made whole by this start (or an earlier one) and the stop kept it.
                assertThat(cached(data, ".profile")).as("profile after a stop at " + stage).hasSize(1);
                assertThat(cached(data, ".mouths")).as("mouth crops after a stop at " + stage).hasSize(1);
            }
        }
        try (ServerProcess server = server(data, env).start()) {
            JsonNode b = server.awaitBatch(batch, Duration.ofMinutes(3));
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            // Every start that ran it counted an attempt; a stop before it started did not.
            assertThat(b.path("items").get(0).path("attempts").asInt()).isEqualTo(ran + 1);
            assertThat(server.output()).contains("template analysed (cached)");
        }
        ResultFiles.assertBatchFolder(data, batch, 1, 10.0, 12.5);
        assertThat(leftovers(data)).isEmpty();
    }

    /** Hidden or partial files anywhere under the data directory: what an unclean stop leaves. */
    private static List<Path> leftovers(Path data) throws Exception {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data)) {
            files.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".partial") || f.startsWith(data.resolve("tmp"))
                        || (n.startsWith(".") && !f.startsWith(data.resolve("db")));
            }).forEach(found::add);
        }
        return found;
    }

    private static List<Path> cached(Path data, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("profiles"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
