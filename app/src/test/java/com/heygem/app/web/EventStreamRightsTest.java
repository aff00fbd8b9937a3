package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.jobs.StageHold;
import com.heygem.engine.testing.SharedMedia;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, part 4: an open event stream follows its caller's rights as they change (a withdrawn
 * or new share, a revoked key, a disabled account) within two seconds, and one account cannot
 * take every stream. Events for a batch are made on demand by cancelling and retrying its second
 * item while the test hook holds its first at rendering.
 */
class EventStreamRightsTest {
    @TempDir
    Path temp;

    /** An open stream: its lines as they come, and whether it has ended. */
    private static final class OpenStream {
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile boolean ended;

        boolean saw(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    private static OpenStream open(ServerProcess server, HttpClient http, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/events")).header("Accept", "text/event-stream");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        OpenStream s = new OpenStream();
        HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        Thread t = new Thread(() -> {
            try {
                r.body().forEach(s.lines::add);
            } catch (RuntimeException e) {
                // the stream was closed
            } finally {
                s.ended = true;
            }
        });
        t.setDaemon(true);
        t.start();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!s.saw("hello") && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(s.saw("hello")).isTrue();
        return s;
    }

    @Test
    void anOpenStreamFollowsItsCallersRightsAsTheyChange() throws Exception {
        try (ServerProcess server = new ServerProcess(Files.createDirectories(temp.resolve("data")))
                .property(StageHold.PROPERTY, "rendering@held").start()) {
            Client admin = Client.withKey(server, "admin", server.token());
            Client.person(server, admin, "val", "viewer");
            Client eve = Client.person(server, admin, "eve", "editor");
            String audio = server.upload(SharedMedia.audio("zh_poem_5s.wav")).path("id").asText();
            String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
            String batch = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                    + "\",\"" + template + "\"],\"name\":\"held\"}").path("id").asText();
            server.awaitOutput(StageHold.HELD + " item", Duration.ofMinutes(2));
            String second = server.get("/api/v1/batches/" + batch).path("items").get(1).path("id").asText();

            // Val's browser (one cookie jar for all her streams, as one browser with several tabs).
            HttpClient valBrowser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            valBrowser.send(HttpRequest.newBuilder(server.uri("/api/v1/session")).header("Content-Type", "application/json")
                    .header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"val\",\"password\":\"" + Client.password("val") + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            OpenStream val = open(server, valBrowser, null);

            // Not shared: a change of the batch does not reach her.
            server.post("/api/v1/items/" + second + "/cancel", 200);
            Thread.sleep(2500);
            assertThat(val.saw(batch)).as("an unshared batch's events").isFalse();

            // Shared after her stream opened: its events reach her within two seconds.
            admin.ok("POST", "/api/v1/batches/" + batch + "/shares", "{\"users\":[\"val\"]}");
            Thread.sleep(2000);
            server.post("/api/v1/items/" + second + "/retry", 200);
            Waits.until(() -> val.saw(batch), Duration.ofSeconds(10), "the shared batch's event never came");

            // Unshared: two seconds later, its events stop.
            admin.ok("POST", "/api/v1/batches/" + batch + "/shares", "{\"users\":[]}");
            Thread.sleep(2000);
            int before = val.lines.size();
            server.post("/api/v1/items/" + second + "/cancel", 200);
            Thread.sleep(2500);
            assertThat(val.lines.subList(before, val.lines.size())).as("events after the share was withdrawn")
                    .noneMatch(l -> l.contains(batch));

            // One account cannot take every stream: past its limit, 503 with Retry-After before the stream starts.
            for (int k = 1; k < EventRoutes.MAX_STREAMS_PER_ACCOUNT; k++) {
                open(server, valBrowser, null);
            }
            HttpResponse<String> refused = valBrowser.send(HttpRequest.newBuilder(server.uri("/api/v1/events"))
                    .header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("TOO_MANY_STREAMS");
            // ...and someone else still gets one.
            String key = eve.ok("POST", "/api/v1/account/keys", "{\"name\":\"watcher\"}").path("key").asText();
            OpenStream eves = open(server, HttpClient.newHttpClient(), key);

            // A revoked key's stream ends within two seconds; so do a disabled account's.
            String keyId = eve.ok("GET", "/api/v1/account/keys", null).path("keys").get(0).path("id").asText();
            eve.ok("DELETE", "/api/v1/account/keys/" + keyId, null);
            Waits.until(() -> eves.ended, Duration.ofSeconds(3), "the revoked key's stream goes on");
            String valId = null;
            for (JsonNode u : admin.ok("GET", "/api/v1/users", null).path("users")) {
                if (u.path("name").asText().equals("val")) {
                    valId = u.path("id").asText();
                }
            }
            admin.ok("PATCH", "/api/v1/users/" + valId, "{\"disabled\":true}");
            Waits.until(() -> val.ended, Duration.ofSeconds(3), "the disabled account's stream goes on");
            server.post("/api/v1/items/" + server.get("/api/v1/batches/" + batch).path("items").get(0).path("id").asText()
                    + "/cancel", 200); // lets the held render go
        }
    }
}
