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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes on one PostgreSQL and one data directory: a web-only node ({@code serve} with
 * workers.count 0) and two {@code heygem worker} processes, heartbeat one second. One worker is
 * killed with {@code kill -9} mid-item; another is stopped gracefully mid-item. Every item ends
 * SUCCEEDED exactly once with one valid file.
 */
class ScaleOutTest {
    private static PostgresServer postgres;
    @TempDir
    Path temp;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ServerProcess node(ServerProcess p, String dbUrl) {
        return p.env("HEYGEM_DB_URL", dbUrl).env("HEYGEM_DB_USER", "heygem").env("HEYGEM_WORKER_HEARTBEAT_SECONDS", "1")
                .env("HEYGEM_WORKER_STOP_GRACE_SECONDS", "300");
    }

    private static String batch(ServerProcess web, int copies) throws Exception {
        String audio = web.upload(SharedMedia.audio("en_jfk_11s.flac")).path("id").asText();
        List<String> ids = new ArrayList<>();
        for (String t : List.of("woman_may_512.mp4", "obama_256_silent.mp4", "woman_blue_700.mp4")) {
            ids.add('"' + web.upload(SharedMedia.template(t)).path("id").asText() + '"');
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            items.add(ids.get(i % ids.size()));
        }
        return web.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + String.join(",", items)
                + "]}").path("id").asText();
    }

    /** Waits until the named worker is rendering an item (stage rendering); returns the item id. */
    private static String awaitRendering(ServerProcess web, String worker) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode w : web.get("/api/v1/workers").path("workers")) {
                String item = w.path("currentItem").asText(null);
                if (w.path("name").asText().equals(worker) && item != null
                        && "rendering".equals(web.get("/api/v1/items/" + item).path("stage").asText())) {
                    return item;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(worker + " never rendered: " + web.get("/api/v1/workers"));
    }

    private static JsonNode worker(ServerProcess web, String name) throws Exception {
        for (JsonNode w : web.get("/api/v1/workers").path("workers")) {
            if (w.path("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no worker " + name);
    }

    @Test
    void aKilledWorkersItemRunsAgainOnTheOtherAndEveryItemSucceedsOnce() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        String db = postgres.createDatabase("killed");
        try (ServerProcess web = node(new ServerProcess(data), db).env("HEYGEM_WORKERS", "0").start();
                // worker-a's first render is held by the test hook until the kill, whatever the speed.
                ServerProcess a = node(ServerProcess.worker(data, "worker-a"), db)
                        .property(StageHold.PROPERTY, "rendering").start();
                ServerProcess b = node(ServerProcess.worker(data, "worker-b"), db).start()) {
            assertThat(web.get("/api/v1/workers").path("workers")).hasSize(2);
            String batch = batch(web, 6);
            String killed = awaitRendering(web, "worker-a");
            a.kill();
            JsonNode done = web.awaitBatch(batch, Duration.ofMinutes(5));
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            int attempts = 0;
            for (JsonNode item : done.path("items")) {
                assertThat(item.path("state").asText()).isEqualTo("SUCCEEDED");
                assertThat(item.path("attempts").asInt()).as(item.toString())
                        .isEqualTo(item.path("id").asText().equals(killed) ? 2 : 1);
                attempts += item.path("attempts").asInt();
            }
            assertThat(attempts).isEqualTo(7);
            ResultFiles.assertBatchFolder(data, batch, 6, 10.0, 12.5);
            JsonNode wa = worker(web, "worker-a");
            assertThat(wa.path("alive").asBoolean()).isFalse();
            assertThat(wa.path("state").asText()).isEqualTo("LOST");
            JsonNode wb = worker(web, "worker-b");
            assertThat(wb.path("alive").asBoolean()).isTrue();
            assertThat(wb.path("itemsDone").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(wb.path("cores").asInt()).isPositive();
        }
    }

    @Test
    void aWorkerStoppedGracefullyFinishesItsItemAndTheOtherDoesTheRest() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        String db = postgres.createDatabase("graceful");
        try (ServerProcess web = node(new ServerProcess(data), db).env("HEYGEM_WORKERS", "0").start();
                ServerProcess a = node(ServerProcess.worker(data, "worker-a"), db).start();
                ServerProcess b = node(ServerProcess.worker(data, "worker-b"), db).start()) {
            String batch = batch(web, 4);
            String finishing = awaitRendering(web, "worker-b");
            b.stop(Duration.ofMinutes(2)); // SIGTERM: the item in hand is finished first
            assertThat(web.get("/api/v1/items/" + finishing).path("state").asText()).isEqualTo("SUCCEEDED");
            JsonNode wb = worker(web, "worker-b");
            assertThat(wb.path("state").asText()).isEqualTo("STOPPED");
            assertThat(wb.path("itemsDone").asInt()).isGreaterThanOrEqualTo(1);
            JsonNode done = web.awaitBatch(batch, Duration.ofMinutes(5));
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            for (JsonNode item : done.path("items")) {
                assertThat(item.path("attempts").asInt()).as("rendered once: " + item).isEqualTo(1);
            }
            ResultFiles.assertBatchFolder(data, batch, 4, 10.0, 12.5);
            // The web node and the other worker stop cleanly on SIGTERM too, with PostgreSQL.
            assertThat(web.stop(Duration.ofSeconds(60))).isZero();
            assertThat(a.stop(Duration.ofSeconds(60))).isZero();
            for (ServerProcess p : List.of(web, a, b)) {
                assertThat(p.output()).contains("stopped").doesNotContain("already closed").doesNotContain("ERROR");
            }
        }
    }
}
