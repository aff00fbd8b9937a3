package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the REST API against one real server (upload limit 2 MB): the OpenAPI
 * document and the routes agree, each call answers as documented, every bad input gets its
 * status with a message, and {@code /easy/submit} + {@code /easy/query} behave like HeyGem's.
 */
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    private static ServerProcess server;
    private static String audio;
    private static String template;

    @BeforeAll
    static void start() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        server = new ServerProcess(data).env("HEYGEM_UPLOAD_MAX_BYTES", "2M").start();
        audio = server.upload(SharedMedia.audio("zh_poem_5s.wav")).path("id").asText();
        template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = server.authorized(path);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return server.raw(b.build());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.request().uri() + ": " + r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("code").asText()).isEqualTo(code);
        assertThat(e.path("message").asText()).isNotBlank();
        assertThat(e.path("hint").asText()).isNotBlank();
    }

    @Test
    void theOpenApiDocumentIsValidAndEveryOperationInItIsAnswered() throws Exception {
        JsonNode doc = server.get("/api/v1/openapi.json");
        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        Set<String> operationIds = new HashSet<>();
        Pattern param = Pattern.compile("\\{([a-zA-Z]+)}");
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            assertThat(p.getKey()).startsWith("/");
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                operations++;
                assertThat(op.getKey()).isIn("get", "post", "patch", "delete");
                assertThat(operationIds.add(op.getValue().path("operationId").asText())).as("unique operationId").isTrue();
                assertThat(op.getValue().path("responses").size()).isPositive();
                assertThat(op.getValue().path("summary").asText()).isNotBlank();
                Matcher m = param.matcher(p.getKey());
                Set<String> declared = new HashSet<>();
                op.getValue().path("parameters").forEach(x -> declared.add(x.path("name").asText()));
                while (m.find()) {
                    assertThat(declared).as(p.getKey()).contains(m.group(1));
                }
                for (JsonNode resp : op.getValue().path("responses")) {
                    if (resp.has("$ref")) {
                        String ref = resp.path("$ref").asText().replace("#/components/responses/", "");
                        assertThat(doc.path("components").path("responses").has(ref)).isTrue();
                    }
                }
                if (op.getKey().equals("get") && p.getKey().equals("/api/v1/events")) {
                    continue; // a stream: checked below
                }
                // The route exists: whatever it answers for an unknown id, it is not "no such endpoint".
                String path = p.getKey().replaceAll("\\{[a-zA-Z]+}", "x_unknown");
                HttpResponse<String> r = call(op.getKey().toUpperCase(), path, op.getKey().equals("post") || op.getKey().equals("patch") ? "{}" : null);
                assertThat(r.statusCode()).as(op.getKey() + " " + path).isNotIn(405, 500);
                assertThat(r.body()).as(op.getKey() + " " + path).doesNotContain("NO_SUCH_ENDPOINT");
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(25);
        assertError(call("GET", "/api/v1/nothing-here", null), 404, "NO_SUCH_ENDPOINT");
    }

    @Test
    void withoutTheTokenEverythingButHealthIsRefused() throws Exception {
        assertThat(server.raw(HttpRequest.newBuilder(server.uri("/api/v1/health")).build()).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/api/v1/batches", "/api/v1/assets", "/api/v1/logs", "/easy/query?code=x",
            "/api/v1/openapi.json"}) {
            assertError(server.raw(HttpRequest.newBuilder(server.uri(path)).build()), 401, "UNAUTHORIZED");
            assertError(server.raw(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer wrong").build()),
                    401, "UNAUTHORIZED");
        }
        // A browser signs in with the token and then holds a session cookie.
        HttpResponse<String> wrong = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"nope\"}")).build());
        assertError(wrong, 401, "UNAUTHORIZED");
        HttpResponse<String> right = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.token() + "\"}")).build());
        assertThat(right.statusCode()).isEqualTo(200);
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").doesNotContain(server.token());
        HttpResponse<String> withCookie = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/batches"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build());
        assertThat(withCookie.statusCode()).isEqualTo(200);
        // The page itself is public (it holds no data) and comes from the server, not the internet.
        HttpResponse<String> page = server.raw(HttpRequest.newBuilder(server.uri("/")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/js/main.js").doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedWithAReason() throws Exception {
        try (ServerProcess second = new ServerProcess(server.dataDir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start).hasMessageContaining("data.dir")
                    .hasMessageContaining("in use by another running HeyGem");
        }
        assertThat(server.get("/api/v1/health").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void turningAccessControlOffIsExplicitAndLogged() throws Exception {
        Path open = temp.resolve("open");
        Files.createDirectories(open);
        try (ServerProcess server = new ServerProcess(open).env("HEYGEM_AUTH", "false").start()) {
            HttpResponse<String> r = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/batches")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Files.readString(open.resolve("logs").resolve("heygem.log"))).contains("ACCESS CONTROL IS OFF");
            // The start-up lines say so too, with no sign-in or set-up link to follow.
            assertThat(server.output()).contains("access control is off").doesNotContain("#/setup/")
                    .doesNotContain("and sign in");
        }
        try (ServerProcess bad = new ServerProcess(temp.resolve("bad"))) {
            Files.createDirectories(temp.resolve("bad"));
            bad.env("HEYGEM_AUTH", "maybe");
            org.assertj.core.api.Assertions.assertThatThrownBy(bad::start).hasMessageContaining("server.auth")
                    .hasMessageContaining("maybe");
        }
    }

    @Test
    void badUploadsAndBadRequestsAreRefusedWithAMessage() throws Exception {
        // 413: over the 2 MB limit set for this server.
        Path big = temp.resolve("big.wav");
        Files.write(big, new byte[3 << 20]);
        HttpResponse<String> tooBig = server.raw(multipart(big, "big.wav"));
        assertError(tooBig, 413, "TOO_LARGE");
        assertThat(JSON.readTree(tooBig.body()).path("error").path("message").asText()).contains("2 MiB");
        // 415: a text file named like a video is found out by probing.
        Path text = temp.resolve("notes.mp4");
        Files.writeString(text, "this is not a video\n".repeat(100));
        HttpResponse<String> notMedia = server.raw(multipart(text, "notes.mp4"));
        assertError(notMedia, 415, "NOT_MEDIA");
        assertThat(JSON.readTree(notMedia.body()).path("error").path("messageZh").asText()).contains("不是音频或视频文件");
        // Messages name the user's own file, never the server's temporary one.
        // The Chinese message is Chinese through and through (the detail too).
        assertThat(JSON.readTree(notMedia.body()).path("error").path("messageZh").asText()).contains("无法识别")
                .doesNotContain("recognised");
        assertThat(notMedia.body()).contains("notes.mp4").doesNotContain("upload-").doesNotContain(".part")
                .doesNotContain(server.dataDir.toString());
        // 422: a video cut off half-way says it is damaged (not "not a video"), under its own name.
        Path cut = temp.resolve("cut.mp4");
        byte[] whole = Files.readAllBytes(SharedMedia.template("woman_may_512.mp4"));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
        HttpResponse<String> damaged = server.raw(multipart(cut, "presenter.mp4"));
        assertThat(damaged.statusCode()).as(damaged.body()).isIn(415, 422);
        assertThat(damaged.body()).contains("presenter.mp4").doesNotContain("upload-").doesNotContain(".part");
        // Odd names are a name problem at most, never a server error or "too large".
        JsonNode nul = server.upload(SharedMedia.audio("zh_poem_5s.wav"), "po\u0000em.wav", 400);
        assertThat(nul.path("error").path("code").asText()).isEqualTo("BAD_FILE_NAME");
        assertThat(server.upload(SharedMedia.audio("zh_poem_5s.wav"), "x".repeat(20_000) + ".wav", 400).path("error")
                .path("code").asText()).isEqualTo("BAD_FILE_NAME");
        Path tone = tone(temp.resolve("tone.wav"));
        JsonNode longName = server.upload(tone, "p".repeat(600) + ".wav", 201);
        assertThat(longName.path("name").asText()).hasSize(255).endsWith(".wav");
        // The same content under another extension is the same asset, kept once, now under the name given last.
        JsonNode renamed = server.upload(tone, "tone.flac", 201);
        assertThat(renamed.path("id").asText()).isEqualTo(longName.path("id").asText());
        assertThat(renamed.path("name").asText()).isEqualTo("tone.flac");
        String poem = sha256(tone);
        try (var kept = Files.walk(server.dataDir.resolve("uploads"))) {
            assertThat(kept.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith(poem))).hasSize(1);
        }
        // A video without a face: its check fails naming the user's file, not the kept copy's hash.
        Path pattern = com.heygem.engine.testing.TestMedia.clip(temp.resolve("pattern.mp4"), 320, 240, 25, 2);
        String faceless = server.upload(pattern, "slides.mp4", 201).path("id").asText();
        JsonNode check = server.get("/api/v1/assets/" + faceless).path("check");
        long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!check.path("state").asText().equals("FAILED") && !check.path("state").asText().equals("DONE")
                && System.nanoTime() < until) {
            Thread.sleep(200);
            check = server.get("/api/v1/assets/" + faceless).path("check");
        }
        assertThat(check.path("state").asText()).as(check.toString()).isEqualTo("FAILED");
        assertThat(check.path("error").path("message").asText()).contains("slides.mp4").doesNotContainPattern("[0-9a-f]{16}");
        assertThat(check.path("error").path("messageZh").asText()).contains("slides.mp4");
        // Silence as the speech: said at upload and when the batch is made (a warning; it still renders).
        Path quiet = temp.resolve("quiet.wav");
        byte[] wav = Files.readAllBytes(tone(temp.resolve("t.wav")));
        java.util.Arrays.fill(wav, 44, wav.length, (byte) 0);
        Files.write(quiet, wav);
        JsonNode silent = server.upload(quiet, "quiet.wav", 201);
        assertThat(silent.path("speech").path("warning").path("code").asText()).isEqualTo("AUDIO_SILENT");
        assertThat(silent.path("speech").path("warning").path("message").asText()).contains("quiet.wav");
        assertThat(silent.path("speech").path("warning").path("messageZh").asText()).contains("听不到语音");
        JsonNode made = JSON.readTree(call("POST", "/api/v1/batches", "{\"audioId\":\"" + silent.path("id").asText()
                + "\",\"templateIds\":[\"" + template + "\"]}").body());
        assertThat(made.path("warnings").get(0).path("code").asText()).isEqualTo("AUDIO_SILENT");
        assertThat(server.get("/api/v1/assets/" + audio).path("speech").path("warning").isNull()).isTrue();
        // The library: search, rename (the extension kept), delete (refused while a queued batch uses it).
        assertThat(server.get("/api/v1/assets?q=SLIDES").path("assets")).hasSize(1);
        JsonNode renamed2 = JSON.readTree(call("PATCH", "/api/v1/assets/" + faceless, "{\"name\":\"Lecture slides\"}").body());
        assertThat(renamed2.path("name").asText()).isEqualTo("Lecture slides.mp4");
        HttpResponse<String> inUse = call("DELETE", "/api/v1/assets/" + silent.path("id").asText(), null);
        if (inUse.statusCode() == 409) {
            assertError(inUse, 409, "ASSET_IN_USE");
            assertThat(inUse.body()).contains("quiet.wav").doesNotContain("b_");
        }
        assertThat(JSON.readTree(call("DELETE", "/api/v1/assets/" + faceless, null).body()).path("deleted").asBoolean()).isTrue();
        assertThat(server.get("/api/v1/assets?q=slides").path("assets")).isEmpty();
        // A cap on templates per batch, with the number in the message.
        StringBuilder many = new StringBuilder();
        for (int k = 0; k < 1001; k++) {
            many.append(k == 0 ? "" : ",").append('"').append(template).append('"');
        }
        HttpResponse<String> tooMany = call("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":["
                + many + "]}");
        assertError(tooMany, 400, "TOO_MANY_TEMPLATES");
        assertThat(tooMany.body()).contains("at most 1000").contains("1001");
        // 400: no file; JSON without the address of one.
        assertError(call("POST", "/api/v1/assets", null), 400, "NO_FILE");
        HttpResponse<String> noUrl = call("POST", "/api/v1/assets", "{}");
        assertError(noUrl, 400, "BAD_REQUEST");
        assertThat(noUrl.body()).contains("url");
        // A name is the user's, read as typed: leading dots and slashes go (it names no folder; the file is
        // kept by its content inside the data directory), angle brackets become look-alikes (no markup).
        JsonNode odd = server.upload(SharedMedia.audio("zh_poem_5s.wav"), "../../<img src=x onerror=alert(1)>.wav", 201);
        assertThat(odd.path("name").asText()).isEqualTo("\uFF1Cimg src=x onerror=alert(1)\uFF1E.wav");
        // 404s and 400s of batches.
        assertError(call("GET", "/api/v1/batches/b_nope", null), 404, "NOT_FOUND");
        assertError(call("GET", "/api/v1/items/i_nope", null), 404, "NOT_FOUND");
        assertError(call("GET", "/api/v1/assets/a_nope", null), 404, "NOT_FOUND");
        assertError(call("POST", "/api/v1/batches", "not json"), 400, "BAD_JSON");
        assertError(call("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[]}"), 400, "BAD_REQUEST");
        assertError(call("POST", "/api/v1/batches", "{\"audioId\":\"a_nope\",\"templateIds\":[\"" + template + "\"]}"), 404,
                "NOT_FOUND");
        assertError(call("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + audio + "\"]}"), 400,
                "NOT_A_VIDEO");
        assertError(call("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                + "\"],\"settings\":{\"crf\":99}}"), 400, "INVALID_ARGUMENT");
        assertError(call("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                + "\"],\"settings\":{\"turbo\":true}}"), 400, "INVALID_ARGUMENT");
        assertError(call("GET", "/api/v1/batches?limit=0", null), 400, "BAD_REQUEST");
        // HEAD is a result download's only (tested with the batch below); elsewhere 405, not an empty 200
        // that would say any path exists.
        HttpResponse<String> head = call("HEAD", "/api/v1/assets/a_nope/file", null);
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow")).contains("GET");
        assertError(call("GET", "/api/v1/assets?kind=IMAGE", null), 400, "BAD_REQUEST");
        assertThat(server.get("/api/v1/health").path("status").asText()).isEqualTo("ok");
    }

    private static HttpRequest multipart(Path file, String name) throws Exception {
        String boundary = "----x" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return server.authorized("/api/v1/assets").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail))).build();
    }

    @Test
    void aBatchThroughEveryReadingEndpointAndTheEventStream() throws Exception {
        // Assets: list, one with its face check, the file with a range, a thumbnail.
        assertThat(server.get("/api/v1/assets?kind=VIDEO").path("assets").findValuesAsText("id")).contains(template);
        JsonNode t = server.get("/api/v1/assets/" + template);
        assertThat(t.path("width").asInt()).isEqualTo(256);
        assertThat(t.path("check").path("state").asText()).isIn("QUEUED", "RUNNING", "DONE");
        HttpResponse<byte[]> part = server.http().send(server.authorized("/api/v1/assets/" + audio + "/file")
                .header("Range", "bytes=0-3").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(new String(part.body(), StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        HttpResponse<byte[]> jpeg = server.http().send(server.authorized("/api/v1/assets/" + template + "/thumbnail").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.body()[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg.body()[1] & 0xff).isEqualTo(0xd8);

        // Events: the stream says hello, then tells the item's changes.
        HttpResponse<InputStream> stream = server.http().send(server.authorized("/api/v1/events")
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        String body = "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\"],\"settings\":{\"preset\":\"ultrafast\",\"crf\":23}}";
        JsonNode created = server.send(server.authorized("/api/v1/batches").header("Idempotency-Key", "contract-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
        String batch = created.path("id").asText();
        JsonNode again = server.send(server.authorized("/api/v1/batches").header("Idempotency-Key", "contract-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
        assertThat(again.path("id").asText()).as("same key, same batch").isEqualTo(batch);
        String item = created.path("items").get(0).path("id").asText();
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
            try {
                // Until the item's success has come both ways: from this node's renders and from the database.
                StringBuilder all = new StringBuilder();
                String event = "";
                boolean fast = false;
                boolean stored = false;
                for (String line; (line = events.readLine()) != null; ) {
                    all.append(line).append('\n');
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:") && line.contains(item) && line.contains("SUCCEEDED")) {
                        fast |= event.equals("progress");
                        stored |= event.equals("item");
                        if (fast && stored) {
                            return all.toString();
                        }
                    }
                }
                return all.toString();
            } catch (Exception e) {
                return e.toString();
            }
        });
        String got = seen.get(3, TimeUnit.MINUTES);
        stream.body().close();
        assertThat(got).contains("event: hello").contains("event: progress").contains("event: item").contains(item);

        JsonNode b = server.awaitBatch(batch, Duration.ofMinutes(2));
        assertThat(b.path("state").asText()).isEqualTo("SUCCEEDED");
        // The speech's name when the batch was made: the last one it was uploaded under (other tests upload
        // the same bytes under other names).
        assertThat(b.path("audioName").asText()).isEqualTo(server.get("/api/v1/assets/" + audio).path("name").asText());
        JsonNode listed = server.get("/api/v1/batches?limit=5");
        assertThat(listed.path("batches").findValuesAsText("id")).contains(batch);
        assertThat(server.get("/api/v1/batches/" + batch + "/items").path("items").findValuesAsText("id"))
                .containsExactly(item);
        assertThat(server.get("/api/v1/session").path("signedIn").asBoolean()).isTrue();
        assertThat(server.get("/api/v1/workers").path("workers").get(0).path("itemsDone").asInt()).isPositive();
        HttpResponse<Void> head = server.http().send(server.authorized("/api/v1/items/" + item + "/result")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0)).isGreaterThan(10_000);
        JsonNode i = server.get("/api/v1/items/" + item);
        assertThat(i.path("templateName").asText()).isEqualTo("obama_256_silent.mp4");
        assertThat(i.path("progress").asDouble()).isEqualTo(100.0);
        HttpResponse<String> log = call("GET", "/api/v1/items/" + item + "/log", null);
        assertThat(log.body()).contains("rendered").contains(item);
        assertThat(call("GET", "/api/v1/logs?lines=50", null).body()).contains("HeyGem is ready");
        HttpResponse<byte[]> thumb = server.http().send(server.authorized("/api/v1/items/" + item + "/thumbnail").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumb.statusCode()).isEqualTo(200);
        JsonNode dry = server.get("/api/v1/cleanup");
        assertThat(dry.path("dryRun").asBoolean()).isTrue();
        assertThat(call("POST", "/api/v1/cleanup", null).statusCode()).isEqualTo(200);

        // Deleting the batch removes it and its files.
        JsonNode gone = JSON.readTree(call("DELETE", "/api/v1/batches/" + batch, null).body());
        assertThat(gone.path("deleted").asBoolean()).isTrue();
        assertError(call("GET", "/api/v1/batches/" + batch, null), 404, "NOT_FOUND");
        assertThat(server.dataDir.resolve("outputs").resolve(batch)).doesNotExist();
    }

    @Test
    void aBatchHasAPriorityThatCanChangeAndAPlaceInTheQueueThatCanMove() throws Exception {
        String body = "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\"],\"priority\":";
        HttpResponse<String> bad = call("POST", "/api/v1/batches", body + "\"urgent\"}");
        assertError(bad, 400, "BAD_PRIORITY");
        assertThat(JSON.readTree(bad.body()).path("error").path("hint").asText()).contains("high", "normal", "low");
        assertThat(JSON.readTree(bad.body()).path("error").path("messageZh").asText()).contains("优先级");
        assertError(call("POST", "/api/v1/batches", body + "3}"), 400, "BAD_PRIORITY");

        JsonNode high = server.post("/api/v1/batches", body + "\"HIGH\"}");
        assertThat(high.path("priority").asText()).isEqualTo("high");
        String id = high.path("id").asText();
        assertThat(server.get("/api/v1/batches").path("batches").findValuesAsText("priority")).contains("high");
        JsonNode normal = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                + template + "\"]}");
        assertThat(normal.path("priority").asText()).as("the default").isEqualTo("normal");

        HttpResponse<String> changed = call("PATCH", "/api/v1/batches/" + id, "{\"priority\":\"low\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(JSON.readTree(changed.body()).path("priority").asText()).isEqualTo("low");
        assertThat(server.get("/api/v1/batches/" + id).path("priority").asText()).isEqualTo("low");
        assertError(call("PATCH", "/api/v1/batches/" + id, "{\"priority\":\"asap\"}"), 400, "BAD_PRIORITY");
        assertError(call("PATCH", "/api/v1/batches/" + id, "{}"), 400, "BAD_REQUEST");
        assertError(call("PATCH", "/api/v1/batches/b_unknown", "{\"priority\":\"low\"}"), 404, "NOT_FOUND");
        assertError(call("POST", "/api/v1/batches/" + id + "/move", "{\"direction\":\"sideways\"}"), 400, "BAD_REQUEST");

        // Finished: nothing waits, so it has no place in the queue to move.
        server.awaitBatch(id, Duration.ofMinutes(2));
        server.awaitBatch(normal.path("id").asText(), Duration.ofMinutes(2));
        assertError(call("POST", "/api/v1/batches/" + id + "/move", "{\"direction\":\"up\"}"), 409, "INVALID_STATE");
    }

    @Test
    void everyChangeIsInTheAuditLogWithWhoAndFromWhereAndRefusedSignInsToo() throws Exception {
        JsonNode made = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                + "\"],\"priority\":\"low\"}");
        String id = made.path("id").asText();
        assertThat(call("PATCH", "/api/v1/batches/" + id, "{\"priority\":\"high\"}").statusCode()).isEqualTo(200);
        assertError(call("PATCH", "/api/v1/batches/" + id, "{\"priority\":\"now\"}"), 400, "BAD_PRIORITY");
        HttpResponse<String> refused = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"guess\"}"))
                .build());
        assertThat(refused.statusCode()).isEqualTo(401);
        server.awaitBatch(id, Duration.ofMinutes(2));
        assertThat(call("DELETE", "/api/v1/batches/" + id, null).statusCode()).isEqualTo(200);

        JsonNode entries = server.get("/api/v1/audit?limit=1000").path("entries");
        java.util.List<JsonNode> mine = new java.util.ArrayList<>();
        entries.forEach(e -> {
            if (id.equals(e.path("target").asText())) {
                mine.add(e);
            }
        });
        // Newest first: the delete, the priority change (the refused one is not a change), the creation.
        assertThat(mine).extracting(e -> e.path("action").asText())
                .containsExactly("batches.delete", "batches.change", "batches.create");
        JsonNode created = mine.get(2);
        assertThat(created.path("actor").asText()).isEqualTo("admin");
        assertThat(created.path("via").asText()).isEqualTo("token");
        assertThat(created.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(created.path("detail").asText()).isEqualTo("1 template(s), low priority");
        assertThat(mine.get(1).path("detail").asText()).isEqualTo("low → high");
        assertThat(java.time.Instant.parse(created.path("at").asText())).isBefore(java.time.Instant.now().plusSeconds(1));
        boolean refusal = false;
        for (JsonNode e : entries) {
            refusal |= e.path("action").asText().equals("signin.refused") && e.path("actor").asText().equals("-")
                    && e.path("detail").asText().equals("a wrong token");
        }
        assertThat(refusal).as("the refused sign-in is recorded").isTrue();
        // Filters and pages.
        JsonNode batchesOnly = server.get("/api/v1/audit?action=batches&limit=1000").path("entries");
        batchesOnly.forEach(e -> assertThat(e.path("action").asText()).startsWith("batches."));
        JsonNode page = server.get("/api/v1/audit?limit=2");
        assertThat(page.path("entries")).hasSize(2);
        long next = page.path("next").asLong();
        JsonNode after = server.get("/api/v1/audit?limit=2&before=" + next).path("entries");
        assertThat(after.get(0).path("id").asLong()).isLessThan(next);
        // And in the server's log, with the other lines.
        assertThat(server.output()).contains("admin (token from 127.0.0.1) batches.delete " + id);
        assertError(call("GET", "/api/v1/audit?limit=0", null), 400, "BAD_REQUEST");
    }

    @Test
    void easySubmitAndQueryBehaveLikeHeyGem() throws Exception {
        Path input = server.dataDir.resolve("input");
        Files.copy(SharedMedia.audio("en_short_5s.mp3"), input.resolve("speech.mp3"));
        Files.copy(SharedMedia.template("woman_may_512.mp4"), input.resolve("may.mp4"));
        String submit = "{\"audio_url\":\"speech.mp3\",\"video_url\":\"may.mp4\",\"code\":\"task-1\",\"chaofen\":0,"
                + "\"watermark_switch\":0,\"pn\":1}";
        JsonNode s = JSON.readTree(call("POST", "/easy/submit", submit).body());
        assertThat(s.path("code").asInt()).isEqualTo(10000);
        assertThat(s.path("success").asBoolean()).isTrue();
        // The same code again is the same task, not a second render.
        assertThat(JSON.readTree(call("POST", "/easy/submit", submit).body()).path("code").asInt()).isEqualTo(10000);

        JsonNode q = null;
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Set<Integer> statuses = new HashSet<>();
        while (System.nanoTime() < end) {
            q = JSON.readTree(call("GET", "/easy/query?code=task-1", null).body());
            assertThat(q.path("code").asInt()).isEqualTo(10000);
            int status = q.path("data").path("status").asInt();
            statuses.add(status);
            assertThat(status).isBetween(0, 2);
            if (status == 2) {
                break;
            }
            Thread.sleep(200);
        }
        JsonNode data = q.path("data");
        assertThat(data.path("status").asInt()).isEqualTo(2);
        assertThat(data.path("progress").asInt()).isEqualTo(100);
        assertThat(data.path("code").asText()).isEqualTo("task-1");
        assertThat(Path.of(data.path("result").asText())).isRegularFile();
        String batch = data.path("batchId").asText();
        assertThat(server.get("/api/v1/batches/" + batch).path("items")).hasSize(1);

        JsonNode unknown = JSON.readTree(call("GET", "/easy/query?code=never", null).body());
        assertThat(unknown.path("code").asInt()).isEqualTo(10004);
        assertThat(unknown.path("msgZh").asText()).contains("任务不存在");
        // Without a code: a bad request (10001, as documented), in both languages.
        JsonNode noCode = JSON.readTree(call("GET", "/easy/query", null).body());
        assertThat(noCode.path("code").asInt()).isEqualTo(10001);
        assertThat(noCode.path("msgEn").asText()).contains("code");
        assertThat(noCode.path("msgZh").asText()).contains("缺少 code");
        assertThat(unknown.path("success").asBoolean()).isFalse();
        JsonNode outside = JSON.readTree(call("POST", "/easy/submit",
                "{\"audio_url\":\"../token\",\"video_url\":\"may.mp4\",\"code\":\"task-2\"}").body());
        assertThat(outside.path("code").asInt()).isEqualTo(10002);
        assertThat(outside.path("msg").asText()).contains("outside the input folder").contains("不在输入目录中");
        // A link inside the folder that leads out of it (to the token) is refused like a path that does.
        Files.createSymbolicLink(input.resolve("link.mp3"), server.dataDir.resolve("token"));
        JsonNode linked = JSON.readTree(call("POST", "/easy/submit",
                "{\"audio_url\":\"link.mp3\",\"video_url\":\"may.mp4\",\"code\":\"task-4\"}").body());
        assertThat(linked.path("code").asInt()).isEqualTo(10002);
        assertThat(linked.path("msg").asText()).contains("link to a file outside");
        // A link that stays inside is fine.
        Files.createSymbolicLink(input.resolve("inner.mp3"), input.resolve("speech.mp3"));
        assertThat(JSON.readTree(call("POST", "/easy/submit",
                "{\"audio_url\":\"inner.mp3\",\"video_url\":\"may.mp4\",\"code\":\"task-5\"}").body())
                .path("code").asInt()).isEqualTo(10000);
        JsonNode missing = JSON.readTree(call("POST", "/easy/submit", "{\"audio_url\":\"speech.mp3\"}").body());
        assertThat(missing.path("code").asInt()).isEqualTo(10001);
        JsonNode failed = JSON.readTree(call("POST", "/easy/submit",
                "{\"audio_url\":\"speech.mp3\",\"video_url\":\"speech.mp3\",\"code\":\"task-3\"}").body());
        assertThat(failed.path("code").asInt()).isEqualTo(10002);
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    /** One second of a 440 Hz tone as 16 kHz mono WAV: content no other test uploads. */
    private static Path tone(Path file) throws java.io.IOException {
        int rate = 16000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * rate).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * rate).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(2 * rate);
        for (int k = 0; k < rate; k++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * k / rate)));
        }
        return Files.write(file, b.array());
    }
}
