package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.testing.MediaSources;
import com.heygem.engine.media.Ffmpeg;
import com.heygem.engine.testing.SharedMedia;
import com.heygem.engine.testing.TestMedia;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Media pulled from addresses by a real server, from sources on 127.0.0.1 (allowed by
 * {@code import.allowHosts}): a file over HTTP renders exactly as the same file uploaded, HLS and
 * RTMP arrive whole, a live stream is recorded for the seconds asked or until stopped, and every
 * failure (nothing listening, a 404 playlist, a host not allowed, a redirect or a playlist segment
 * leading to one, a local file named in a playlist) ends with its own plain error.
 */
@Execution(ExecutionMode.SAME_THREAD)
class ImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    private static ServerProcess server;
    private static MediaSources sources;
    private static Path served;

    @BeforeAll
    static void start() throws Exception {
        served = Files.createDirectories(temp.resolve("served"));
        Files.copy(SharedMedia.audio("zh_poem_5s.wav"), served.resolve("poem.wav"));
        Files.copy(SharedMedia.template("obama_256_silent.mp4"), served.resolve("presenter.mp4"));
        Files.writeString(served.resolve("notes.txt"), "not media\n".repeat(100));
        // The speech as HLS: one-second AAC segments and a finished (VOD) playlist.
        Path hls = Files.createDirectories(served.resolve("hls"));
        TestMedia.ffmpeg(hls.resolve("speech.m3u8"), "-i", SharedMedia.audio("en_short_5s.mp3").toString(), "-c:a", "aac",
                "-b:a", "96k", "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
                "-hls_segment_filename", hls.resolve("s%02d.ts").toString());
        // Playlists that lead where they must not: another host, and a local file.
        String segment = Files.readAllLines(hls.resolve("speech.m3u8")).stream().filter(l -> l.endsWith(".ts"))
                .findFirst().orElseThrow();
        Files.writeString(served.resolve("elsewhere.m3u8"), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                + "#EXTINF:1.0,\nhttp://127.0.0.2:%d/hls/%s\n#EXT-X-ENDLIST\n".formatted(0, segment));
        Files.writeString(served.resolve("local.m3u8"), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                + "#EXTINF:1.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n");
        sources = new MediaSources(served);
        // The port is known now.
        Files.writeString(served.resolve("elsewhere.m3u8"), Files.readString(served.resolve("elsewhere.m3u8"))
                .replace(":0/", ":" + sources.port() + "/"));
        Path data = Files.createDirectories(temp.resolve("data"));
        server = new ServerProcess(data).env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1")
                .env("HEYGEM_IMPORT_STALL_SECONDS", "5").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sources != null) {
            sources.close();
        }
    }

    private static HttpResponse<String> begin(String url, double seconds) throws Exception {
        String body = JSON.writeValueAsString(seconds > 0 ? java.util.Map.of("url", url, "seconds", seconds)
                : java.util.Map.of("url", url));
        return server.raw(server.authorized("/api/v1/imports").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Starts an import (202) and waits until it has ended. */
    private static JsonNode pull(String url, double seconds) throws Exception {
        HttpResponse<String> r = begin(url, seconds);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return awaitEnd(JSON.readTree(r.body()).path("id").asText(), Duration.ofSeconds(90));
    }

    private static JsonNode awaitEnd(String id, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        JsonNode i = server.get("/api/v1/imports/" + id);
        while (System.nanoTime() < end) {
            i = server.get("/api/v1/imports/" + id);
            String state = i.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return i;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("import not ended in " + limit + ": " + i);
    }

    private static void assertFailed(JsonNode i, String code, String... words) {
        assertThat(i.path("state").asText()).as(i.toString()).isEqualTo("FAILED");
        JsonNode e = i.path("error");
        assertThat(e.path("code").asText()).as(i.toString()).isEqualTo(code);
        assertThat(e.path("message").asText()).contains(words);
        assertThat(e.path("messageZh").asText()).isNotBlank().doesNotContain("Server returned");
        assertThat(e.path("hint").asText()).isNotBlank();
    }

    @Test
    void aFileByAddressRendersExactlyAsTheSameFileUploaded() throws Exception {
        JsonNode speech = pull(sources.url("poem.wav"), 0);
        JsonNode presenter = pull(sources.url("presenter.mp4"), 0);
        assertThat(speech.path("state").asText()).as(speech.toString()).isEqualTo("DONE");
        assertThat(presenter.path("state").asText()).as(presenter.toString()).isEqualTo("DONE");
        assertThat(speech.path("asset").path("kind").asText()).isEqualTo("AUDIO");
        assertThat(speech.path("asset").path("name").asText()).isEqualTo("poem.mka");
        assertThat(presenter.path("asset").path("kind").asText()).isEqualTo("VIDEO");
        assertThat(presenter.path("asset").path("name").asText()).isEqualTo("presenter.mkv");
        double original = server.upload(served.resolve("poem.wav")).path("durationSeconds").asDouble();
        assertThat(speech.path("asset").path("durationSeconds").asDouble()).isCloseTo(original,
                org.assertj.core.data.Offset.offset(0.05));

        String byUrl = batch(speech.path("asset").path("id").asText(), presenter.path("asset").path("id").asText());
        String uploadedAudio = server.upload(served.resolve("poem.wav")).path("id").asText();
        String uploadedVideo = server.upload(served.resolve("presenter.mp4")).path("id").asText();
        String byFile = batch(uploadedAudio, uploadedVideo);
        assertThat(videoDigest(byUrl)).as("the picture made from the pulled files").isEqualTo(videoDigest(byFile));
        assertThat(audioDigest(byUrl)).as("the sound made from the pulled files").isEqualTo(audioDigest(byFile));
    }

    @Test
    void hlsAndRtmpArriveWhole() throws Exception {
        JsonNode hls = pull(sources.url("hls/speech.m3u8"), 0);
        assertThat(hls.path("state").asText()).as(hls.toString()).isEqualTo("DONE");
        assertThat(hls.path("asset").path("name").asText()).isEqualTo("speech.mka");
        assertThat(hls.path("asset").path("durationSeconds").asDouble()).isBetween(4.5, 5.6);
        assertThat(hls.path("cut").asBoolean()).isFalse();

        JsonNode rtmp = pull(sources.rtmp(SharedMedia.audio("en_short_5s.mp3"), false), 0);
        assertThat(rtmp.path("state").asText()).as(rtmp.toString()).isEqualTo("DONE");
        assertThat(rtmp.path("asset").path("kind").asText()).isEqualTo("AUDIO");
        assertThat(rtmp.path("asset").path("durationSeconds").asDouble()).isBetween(4.5, 5.6);
    }

    @Test
    void aLiveStreamIsRecordedForTheSecondsAskedOrUntilStopped() throws Exception {
        JsonNode timed = pull(sources.rtmp(SharedMedia.audio("en_short_5s.mp3"), true), 3);
        assertThat(timed.path("state").asText()).as(timed.toString()).isEqualTo("DONE");
        assertThat(timed.path("asset").path("durationSeconds").asDouble()).isBetween(2.8, 3.3);
        assertThat(timed.path("cut").asBoolean()).isTrue();

        HttpResponse<String> r = begin(sources.rtmp(SharedMedia.audio("zh_poem_5s.wav"), true), 0);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.get("/api/v1/imports/" + id).path("pulledSeconds").asDouble() < 2 && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        double atStop = server.post("/api/v1/imports/" + id + "/stop", 200).path("pulledSeconds").asDouble();
        long asked = System.nanoTime();
        JsonNode stopped = awaitEnd(id, Duration.ofSeconds(30));
        assertThat((System.nanoTime() - asked) / 1e9).as("seconds from stop to a kept file").isLessThan(5);
        assertThat(stopped.path("state").asText()).as(stopped.toString()).isEqualTo("DONE");
        assertThat(stopped.path("cut").asBoolean()).isTrue();
        // What came after the stop was asked is a moment of the stream, not more of it.
        assertThat(stopped.path("asset").path("durationSeconds").asDouble()).isBetween(atStop - 0.5, atStop + 5);
        // The recording is a whole file the renderer can read.
        String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
        String batch = batch(stopped.path("asset").path("id").asText(), template);
        assertThat(server.get("/api/v1/batches/" + batch).path("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void everyFailureEndsWithItsOwnPlainError() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertFailed(pull("http://127.0.0.1:" + closed + "/live/speech.m3u8", 0), "SOURCE_UNREACHABLE", "speech.m3u8");
        assertFailed(pull(sources.url("gone/speech.m3u8"), 0), "SOURCE_NOT_FOUND", "gone/speech.m3u8");
        assertFailed(pull(sources.url("private/speech.m3u8"), 0), "SOURCE_DENIED", "private/speech.m3u8", "401");
        assertFailed(pull(sources.url("notes.txt"), 0), "NOT_MEDIA", "notes.txt");
        // A playlist that names a local file: FFmpeg is not allowed to open it.
        JsonNode local = pull(sources.url("local.m3u8"), 0);
        assertThat(local.path("state").asText()).isEqualTo("FAILED");
        assertThat(local.path("error").path("code").asText()).isIn("SOURCE_UNSUPPORTED", "NOT_MEDIA");

        // A host that is not allowed: refused before anything is fetched, in the words of one that does not answer.
        int before = sources.asked.size();
        assertFailed(pull("http://127.0.0.2:" + sources.port() + "/poem.wav", 0), "SOURCE_UNREACHABLE", "127.0.0.2");
        // ... and where a redirect or a playlist's segment leads there, the proxy refuses it.
        sources.redirect("moved.wav", "http://127.0.0.2:" + sources.port() + "/poem.wav");
        assertFailed(pull(sources.url("moved.wav"), 0), "SOURCE_UNREACHABLE", "moved.wav");
        assertFailed(pull(sources.url("elsewhere.m3u8"), 0), "SOURCE_UNREACHABLE", "elsewhere.m3u8");
        assertThat(sources.asked.subList(before, sources.asked.size())).as("what was fetched from the source")
                .containsOnly("/moved.wav", "/elsewhere.m3u8");
        // Not an address HeyGem pulls from.
        for (String bad : List.of("file:///etc/passwd", "ftp://127.0.0.1/a.mp4", "http:///nohost.mp4",
                "http://user:secret@127.0.0.1/a.mp4")) {
            HttpResponse<String> r = begin(bad, 0);
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("SOURCE_UNSUPPORTED");
            assertThat(r.body()).doesNotContain("secret");
        }
        // The same address through POST /api/v1/assets and /easy/submit.
        HttpResponse<String> asAsset = server.raw(server.authorized("/api/v1/assets").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + sources.url("hls/speech.m3u8") + "\"}")).build());
        assertThat(asAsset.statusCode()).as(asAsset.body()).isEqualTo(202);
        assertThat(awaitEnd(JSON.readTree(asAsset.body()).path("id").asText(), Duration.ofSeconds(60)).path("state").asText())
                .isEqualTo("DONE");
        HttpResponse<String> easy = server.raw(server.authorized("/easy/submit").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"audio_url\":\"" + sources.url("poem.wav") + "\",\"video_url\":\""
                        + sources.url("presenter.mp4") + "\",\"code\":\"by-address\"}")).build());
        assertThat(JSON.readTree(easy.body()).path("code").asInt()).as(easy.body()).isEqualTo(10000);
        HttpResponse<String> easyBad = server.raw(server.authorized("/easy/submit").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"audio_url\":\"" + sources.url("gone.wav") + "\",\"video_url\":\""
                        + sources.url("presenter.mp4") + "\",\"code\":\"gone\"}")).build());
        JsonNode bad = JSON.readTree(easyBad.body());
        assertThat(bad.path("success").asBoolean()).isFalse();
        assertThat(bad.path("msgEn").asText()).contains("gone.wav").contains("404");
    }

    private static String batch(String audio, String template) throws Exception {
        String id = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\"]}")
                .path("id").asText();
        JsonNode b = server.awaitBatch(id, Duration.ofMinutes(3));
        assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
        return id;
    }

    private static Path result(String batch) throws Exception {
        String item = server.get("/api/v1/batches/" + batch).path("items").get(0).path("id").asText();
        Path file = temp.resolve(item + ".mp4");
        HttpResponse<Path> r = server.http().send(server.authorized("/api/v1/items/" + item + "/result").build(),
                HttpResponse.BodyHandlers.ofFile(file));
        assertThat(r.statusCode()).isEqualTo(200);
        return file;
    }

    private static String videoDigest(String batch) throws Exception {
        return digest(result(batch), "0:v:0");
    }

    private static String audioDigest(String batch) throws Exception {
        return digest(result(batch), "0:a:0");
    }

    /** MD5 of one stream's decoded frames or samples. */
    private static String digest(Path file, String stream) throws Exception {
        Process p = Ffmpeg.process(Ffmpeg.executable(), List.of("-hide_banner", "-loglevel", "error", "-i", file.toString(),
                "-map", stream, "-f", "md5", "-")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
