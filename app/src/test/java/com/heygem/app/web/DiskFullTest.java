package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a small disk of its own (a tmpfs the test mounts; root only) that fills up while
 * a batch runs: the tester's three acknowledged batches failed within 2 s and were gone after a
 * restart. Now the queue pauses with every item kept, new work is refused with 507, the state is
 * in the health answer, a restart while full loses nothing, and it all finishes once space is freed.
 */
class DiskFullTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1 << 20;

    @TempDir
    Path temp;
    private Path disk;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            run("umount", "-l", disk.toString());
        }
    }

    /** Fills the disk until {@code leave} bytes are free; @return the filler file */
    private static Path fill(Path dir, long leave) throws IOException {
        FileStore store = Files.getFileStore(dir);
        Path filler = dir.resolve("filler-" + System.nanoTime());
        byte[] block = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (store.getUsableSpace() - block.length > leave) {
                out.write(block);
            }
        } catch (IOException e) {
            // full already
        }
        return filler;
    }

    /** Fills the disk to its very last byte, as a runaway process does; @return the filler file */
    private static Path fillToTheLastByte(Path dir) throws IOException {
        Path filler = dir.resolve("filler-" + System.nanoTime());
        for (int block : new int[] {1 << 20, 64 << 10, 4 << 10, 1}) {
            byte[] bytes = new byte[block];
            try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                while (true) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                // full at this block size: go on with smaller ones
            }
        }
        return filler;
    }

    private static Set<String> states(JsonNode batch) {
        Set<String> s = new HashSet<>();
        batch.path("items").forEach(i -> s.add(i.path("state").asText()));
        return s;
    }

    /**
     * The 2-hour soak's 27 answers of 500: on a disk full to the last byte the database's next
     * write (a heartbeat, every second here) failed, H2 closed the database, and reads of it failed
     * until it was reopened, over and over. Now the room set aside for it is given back: reads go
     * on, a cancel and the delete that frees space work, and everything resumes once space is freed.
     */
    @Test
    void aDiskFullToTheLastByteStillAnswersReadsCancelsAndDeletes() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small file system needs root");
        disk = Files.createDirectories(temp.resolve("disk"));
        assertThat(run("mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", disk.toString())).isZero();
        Path data = Files.createDirectories(disk.resolve("data"));
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_STORAGE_RESERVE_BYTES", "32M")
                .env("HEYGEM_WORKER_HEARTBEAT_SECONDS", "1").start()) {
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
            String body = "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\"]}";
            String done = server.post("/api/v1/batches", body).path("id").asText();
            assertThat(server.awaitBatch(done, Duration.ofMinutes(2)).path("state").asText()).isEqualTo("SUCCEEDED");
            // Three renders of 11 s: the last is still queued when the disk is full.
            String speech = server.upload(SharedMedia.audio("en_jfk_11s.flac")).path("id").asText();
            String waiting = server.post("/api/v1/batches", "{\"audioId\":\"" + speech + "\",\"templateIds\":[\""
                    + template + "\",\"" + template + "\",\"" + template + "\"]}").path("id").asText();
            String waitingItem = server.get("/api/v1/batches/" + waiting).path("items").get(2).path("id").asText();

            Path filler = fillToTheLastByte(disk);
            assertThat(Files.getFileStore(disk).getUsableSpace()).isLessThan(4096);
            List<String> turnedAway = new ArrayList<>();
            long start = System.nanoTime();
            long settled = start + Duration.ofSeconds(3).toNanos();
            int reads = 0;
            while (System.nanoTime() - start < Duration.ofSeconds(15).toNanos()) {
                for (String path : List.of("/api/v1/batches/" + done, "/api/v1/batches/" + waiting, "/api/v1/batches")) {
                    HttpResponse<String> r = server.raw(server.authorized(path).GET().build());
                    reads++;
                    if (r.statusCode() != 200) {
                        // Only while the room is being given back (the watch looks every second) may a
                        // read be turned away, and then as a passing condition to retry, never a 500.
                        assertThat(System.nanoTime()).as("turned away after the room was given back: %s %s", path,
                                r.body()).isLessThan(settled);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("STORAGE_FULL");
                        turnedAway.add(path);
                    }
                }
                Thread.sleep(150);
            }
            assertThat(reads).isGreaterThan(60);
            assertThat(server.get("/api/v1/health").path("storage").path("low").asBoolean()).isTrue();
            // Writes a user makes while the disk is full: a cancel, and the delete that frees space.
            HttpResponse<String> cancel = server.raw(server.authorized("/api/v1/items/" + waitingItem + "/cancel")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            HttpResponse<String> delete = server.raw(server.authorized("/api/v1/batches/" + done).DELETE().build());
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
            assertThat(data.resolve("outputs").resolve(done)).doesNotExist();
            assertThat(server.output()).contains("given back to it");

            Files.delete(filler);
            server.post("/api/v1/items/" + waitingItem + "/retry", 200);
            JsonNode b = server.awaitBatch(waiting, Duration.ofMinutes(2));
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            ResultFiles.assertBatchFolder(data, waiting, 3, 10.0, 12.5);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(data.resolve("db").resolve("spare-room")) && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertThat(data.resolve("db").resolve("spare-room")).as("the room is set aside again").exists();
            assertThat(server.stop(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).as("no request failed as a server error")
                    .doesNotContainPattern("ERROR +c\\.h\\.a\\.web\\.ApiServer");
        }
    }

    @Test
    void aFullDiskPausesTheQueueRefusesNewWorkAndLosesNothing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small file system needs root");
        disk = Files.createDirectories(temp.resolve("disk"));
        assertThat(run("mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", disk.toString())).isZero();
        Path data = Files.createDirectories(disk.resolve("data"));
        List<String> batches = new ArrayList<>();
        Path filler;
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_STORAGE_RESERVE_BYTES", "32M")
                .env("HEYGEM_WORKER_STOP_GRACE_SECONDS", "0").start()) {
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String template = server.upload(SharedMedia.template("woman_may_512.mp4")).path("id").asText();
            String body = "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\",\"" + template + "\"]}";
            for (int k = 0; k < 3; k++) {
                batches.add(server.post("/api/v1/batches", body).path("id").asText());
            }
            // Below the reserve, with some real room left: the queue pauses.
            filler = fill(disk, 12 * MIB);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonNode health = server.get("/api/v1/health");
            while (!health.path("storage").path("low").asBoolean() && System.nanoTime() < end) {
                Thread.sleep(200);
                health = server.get("/api/v1/health");
            }
            assertThat(health.path("storage").path("low").asBoolean()).as(health.toString()).isTrue();
            HttpResponse<String> refused = server.raw(server.authorized("/api/v1/batches")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(refused.statusCode()).isEqualTo(507);
            JsonNode error = JSON.readTree(refused.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("STORAGE_FULL");
            assertThat(error.path("message").asText()).contains("nearly full").contains("nothing already accepted is lost");
            assertThat(error.path("messageZh").asText()).contains("磁盘空间不足");
            assertThat(server.upload(SharedMedia.audio("zh_poem_5s.wav"), "poem.wav", 507).path("error").path("code")
                    .asText()).isEqualTo("STORAGE_FULL");

            // Paused: whatever had started may finish, nothing fails, the rest waits.
            Thread.sleep(8000);
            int done = 0;
            for (String b : batches) {
                JsonNode batch = server.get("/api/v1/batches/" + b);
                assertThat(states(batch)).as(batch.toString()).doesNotContain("FAILED");
                done += batch.path("counts").path("succeeded").asInt();
            }
            assertThat(done).as("items finished while paused").isLessThanOrEqualTo(1);
            assertThat(server.stop(Duration.ofSeconds(30))).as("a stop while paused").isZero();
        }
        // A restart while still full: every acknowledged batch is there.
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_STORAGE_RESERVE_BYTES", "32M").start()) {
            for (String b : batches) {
                assertThat(states(server.get("/api/v1/batches/" + b))).doesNotContain("FAILED");
            }
            Files.delete(filler); // space is back: everything goes on by itself
            for (String b : batches) {
                JsonNode batch = server.awaitBatch(b, Duration.ofMinutes(4));
                assertThat(batch.path("state").asText()).as(batch.toString()).isEqualTo("SUCCEEDED");
            }
            assertThat(server.get("/api/v1/health").path("storage").path("low").asBoolean()).isFalse();

            // Full to the last byte while a render writes: it goes back to the queue, never fails.
            String audio = server.upload(SharedMedia.audio("en_jfk_11s.flac")).path("id").asText();
            String template = server.get("/api/v1/batches/" + batches.get(0)).path("items").get(0).path("templateId")
                    .asText();
            String full = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                    + template + "\"]}").path("id").asText();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!"rendering".equals(server.get("/api/v1/batches/" + full).path("items").get(0).path("stage").asText())
                    && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            Path all = fill(disk, 0);
            for (int k = 0; k < 20; k++) {
                Thread.sleep(400);
                JsonNode b = server.get("/api/v1/batches/" + full);
                assertThat(states(b)).as(b.toString()).doesNotContain("FAILED");
            }
            Files.delete(all);
            JsonNode b = server.awaitBatch(full, Duration.ofMinutes(3));
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            batches.add(full);
        }
        for (String b : batches.subList(0, 3)) {
            ResultFiles.assertBatchFolder(data, b, 2, 4.0, 6.5);
        }
        ResultFiles.assertBatchFolder(data, batches.get(3), 1, 10.0, 12.5);
    }
}
