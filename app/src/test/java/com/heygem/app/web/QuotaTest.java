package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An editor's quotas through the real server (nothing renders here, so what is queued stays):
 * storage, minutes a day and videos queued at once, each refused with what is used and allowed;
 * an admin changes one account's quota; admins have none.
 */
class QuotaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private static HttpResponse<String> call(ServerProcess server, String key, String method, String path, String json)
            throws Exception {
        return Client.withKey(server, "ed", key).call(method, path, json);
    }

    private static HttpResponse<String> upload(ServerProcess server, String key, Path file) throws Exception {
        return Client.withKey(server, "ed", key).upload(file);
    }

    private static String batch(String audio, String template, int n) {
        return "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + String.join(",", Collections.nCopies(n, "\"" + template + "\""))
                + "]}";
    }

    private static JsonNode error(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("code").asText()).isEqualTo(code);
        assertThat(e.path("messageZh").asText()).isNotBlank();
        return e;
    }

    @Test
    void anEditorIsHeldToItsQuotasWithWhatIsUsedAndAllowed() throws Exception {
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0")
                .env("HEYGEM_QUOTA_STORAGE_BYTES", "1M").env("HEYGEM_QUOTA_MINUTES_PER_DAY", "1")
                .env("HEYGEM_QUOTA_QUEUED_ITEMS", "20").start()) {
            JsonNode made = server.post("/api/v1/users", "{\"name\":\"ed\",\"role\":\"editor\"}");
            String ed = made.path("user").path("id").asText();
            // Ed's key, made by Ed (his browser set his password first).
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#/setup/([0-9a-f]{48})")
                    .matcher(made.path("setupLink").asText());
            assertThat(m.find()).isTrue();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            browser.send(HttpRequest.newBuilder(server.uri("/api/v1/setup")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + m.group(1) + "\",\"password\":\"silver tide harbor\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String key = JSON.readTree(browser.send(HttpRequest.newBuilder(server.uri("/api/v1/account/keys"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).path("key").asText();

            // Storage: 1 MB. The speech (74 kB) and a template (249 kB) fit; a 1.1 MB recording does not.
            HttpResponse<String> a = upload(server, key, SharedMedia.audio("en_short_5s.mp3"));
            assertThat(a.statusCode()).as(a.body()).isEqualTo(201);
            String audio = JSON.readTree(a.body()).path("id").asText();
            String template = JSON.readTree(upload(server, key, SharedMedia.template("obama_256_silent.mp4")).body())
                    .path("id").asText();
            JsonNode full = error(upload(server, key, SharedMedia.audio("en_jfk_11s.flac")), 507, "QUOTA_STORAGE");
            // Sizes as they are: "323 KB of your 1.0 MB", never "0 MB".
            assertThat(full.path("message").asText()).containsPattern("take \\d+ KB of your 1\\.0 MB")
                    .contains("this needs 1.1 MB more");
            // A file already in his library takes no more room: uploading it again is never refused.
            HttpResponse<String> shrink = server.raw(server.authorized("/api/v1/users/" + ed).header("Content-Type",
                    "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"quota\":{\"storageBytes\":100000}}")).build());
            assertThat(shrink.statusCode()).as(shrink.body()).isEqualTo(200);
            assertThat(upload(server, key, SharedMedia.audio("en_short_5s.mp3")).statusCode()).isEqualTo(201);
            error(upload(server, key, SharedMedia.audio("zh_poem_5s.wav")), 507, "QUOTA_STORAGE");
            server.raw(server.authorized("/api/v1/users/" + ed).header("Content-Type", "application/json").method("PATCH",
                    HttpRequest.BodyPublishers.ofString("{\"quota\":{\"storageBytes\":null}}")).build());

            // Minutes: 1 a day. 2 × 5 s fit; then 12 × 5 s more would make 70 s.
            assertThat(call(server, key, "POST", "/api/v1/batches", batch(audio, template, 2)).statusCode()).isEqualTo(201);
            JsonNode minutes = error(call(server, key, "POST", "/api/v1/batches", batch(audio, template, 12)), 429,
                    "QUOTA_MINUTES");
            assertThat(minutes.path("message").asText()).contains("needs 0.9 min").contains("0.2 of your 1 min");
            JsonNode me = JSON.readTree(call(server, key, "GET", "/api/v1/session", null).body()).path("user").path("quota");
            assertThat(me.path("minutesPerDay").asInt()).isEqualTo(1);
            assertThat(me.path("used").path("queuedItems").asInt()).isEqualTo(2);
            assertThat(me.path("used").path("minutesToday").asDouble()).isBetween(0.15, 0.2);

            // An admin gives Ed no minute limit but 3 videos at once.
            HttpResponse<String> set = server.raw(server.authorized("/api/v1/users/" + ed).header("Content-Type",
                    "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                            "{\"quota\":{\"minutesPerDay\":0,\"queuedItems\":3}}")).build());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            error(server.raw(server.authorized("/api/v1/users/" + ed).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"quota\":{\"queuedItems\":-2}}")).build()),
                    400, "BAD_QUOTA");
            assertThat(call(server, key, "POST", "/api/v1/batches", batch(audio, template, 1)).statusCode()).isEqualTo(201);
            JsonNode queued = error(call(server, key, "POST", "/api/v1/batches", batch(audio, template, 2)), 429,
                    "QUOTA_QUEUED");
            assertThat(queued.path("message").asText()).contains("You have 3 video(s) queued").contains("may have 3");
            // A batch larger than the limit itself: waiting cannot help, so it says to split it.
            JsonNode split = error(call(server, key, "POST", "/api/v1/batches", batch(audio, template, 7)), 429, "QUOTA_QUEUED");
            assertThat(split.path("message").asText()).contains("This batch has 7 videos");
            assertThat(split.path("hint").asText()).contains("Split it into 3 batches of at most 3 videos");
            // Cancelled videos free their places; retrying them takes them again.
            List<String> batches = new ArrayList<>();
            JSON.readTree(call(server, key, "GET", "/api/v1/batches", null).body()).path("batches")
                    .forEach(b -> batches.add(b.path("id").asText()));
            String first = batches.get(batches.size() - 1);
            assertThat(call(server, key, "POST", "/api/v1/batches/" + first + "/cancel", null).statusCode()).isEqualTo(200);
            assertThat(call(server, key, "POST", "/api/v1/batches", batch(audio, template, 2)).statusCode()).isEqualTo(201);
            error(call(server, key, "POST", "/api/v1/batches/" + first + "/retry", null), 429, "QUOTA_QUEUED");

            // Twenty batches sent at once pass the limit of 3 no more than one at a time would: the count
            // is taken again inside each batch's transaction, the account's row locked.
            for (JsonNode b : JSON.readTree(call(server, key, "GET", "/api/v1/batches", null).body()).path("batches")) {
                call(server, key, "POST", "/api/v1/batches/" + b.path("id").asText() + "/cancel", null);
            }
            Client ed1 = Client.withKey(server, "ed", key);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(20);
            java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(20);
            List<java.util.concurrent.Future<Integer>> racing = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                racing.add(senders.submit(() -> {
                    together.await();
                    return ed1.call("POST", "/api/v1/batches", batch(audio, template, 1)).statusCode();
                }));
            }
            List<Integer> answers = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : racing) {
                answers.add(f.get());
            }
            senders.shutdown();
            assertThat(answers.stream().filter(c -> c == 201).count()).as(answers.toString()).isEqualTo(3);
            assertThat(answers).containsOnly(201, 429);
            // So do retries at once of every cancelled batch (more than 3).
            List<String> cancelled = new ArrayList<>();
            for (JsonNode b : JSON.readTree(call(server, key, "GET", "/api/v1/batches?limit=200", null).body()).path("batches")) {
                call(server, key, "POST", "/api/v1/batches/" + b.path("id").asText() + "/cancel", null);
                cancelled.add(b.path("id").asText());
            }
            assertThat(cancelled.size()).isGreaterThan(5);
            java.util.concurrent.CyclicBarrier again = new java.util.concurrent.CyclicBarrier(cancelled.size());
            java.util.concurrent.ExecutorService retriers = java.util.concurrent.Executors.newFixedThreadPool(cancelled.size());
            List<java.util.concurrent.Future<Integer>> retries = new ArrayList<>();
            for (String b : cancelled) {
                retries.add(retriers.submit(() -> {
                    again.await();
                    return ed1.call("POST", "/api/v1/batches/" + b + "/retry", null).statusCode();
                }));
            }
            List<Integer> retried = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : retries) {
                retried.add(f.get());
            }
            retriers.shutdown();
            assertThat(JSON.readTree(call(server, key, "GET", "/api/v1/session", null).body()).path("user").path("quota")
                    .path("used").path("queuedItems").asInt()).as(retried.toString()).isEqualTo(3);

            // The admin has no quota, and sees every account's.
            assertThat(server.post("/api/v1/batches", batch(audio, template, 30)).path("id").asText()).isNotEmpty();
            JsonNode users = server.get("/api/v1/users");
            assertThat(users.path("quotaDefaults").path("storageBytes").asLong()).isEqualTo(1 << 20);
            for (JsonNode u : users.path("users")) {
                if (u.path("name").asText().equals("ed")) {
                    assertThat(u.path("quotaOwn").path("queuedItems").asInt()).isEqualTo(3);
                    assertThat(u.path("quotaOwn").path("storageBytes").isNull()).isTrue();
                    assertThat(u.path("quota").path("minutesPerDay").asInt()).as("0: no limit").isZero();
                }
            }
        }
    }
}
