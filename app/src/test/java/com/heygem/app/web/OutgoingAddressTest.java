package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.testing.MediaSources;
import com.heygem.engine.source.SourceAddress;
import com.heygem.engine.testing.SharedMedia;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, part 1: every connection the server opens to an address a user typed goes through
 * one policy that reads the host as the connecting code does. Driven through the real server,
 * real FFmpeg and real sockets on this machine: a listener on a loopback port counts every
 * connection that reaches it.
 */
class OutgoingAddressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    /** A port on 127.0.0.1 that must never be reached, and how often it was. */
    private ServerSocket inside;
    private final AtomicInteger reached = new AtomicInteger();

    @BeforeEach
    void listen() throws Exception {
        inside = new ServerSocket();
        inside.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> {
            while (!inside.isClosed()) {
                try (Socket s = inside.accept()) {
                    reached.incrementAndGet();
                } catch (Exception e) {
                    return;
                }
            }
        }, "inside");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void close() throws Exception {
        inside.close();
    }

    private static JsonNode importOf(ServerProcess server, String url) throws Exception {
        HttpResponse<String> r = server.raw(server.authorized("/api/v1/imports").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("url", url)))).build());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).path("id").asText();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode i = server.get("/api/v1/imports/" + id);
        while (System.nanoTime() < end && (i.path("state").asText().equals("QUEUED") || i.path("state").asText().equals("RUNNING"))) {
            Thread.sleep(100);
            i = server.get("/api/v1/imports/" + id);
        }
        return i;
    }

    /** The error of a failed import, its address taken out: what tells one failure from another. */
    private static String failure(JsonNode imp, String url) {
        assertThat(imp.path("state").asText()).as(imp.toString()).isEqualTo("FAILED");
        JsonNode e = imp.path("error");
        String shown = SourceAddress.parse(url).shown();
        return e.path("code").asText() + " | " + e.path("message").asText().replace(shown, "ADDRESS") + " | "
                + e.path("messageZh").asText().replace(shown, "ADDRESS");
    }

    @Test
    void internalAddressesInEverySpellingAreRefusedLikeAHostThatDoesNotAnswer() throws Exception {
        int port = inside.getLocalPort();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        // What a host that does not answer looks like: allowed, nothing listening.
        String unreachable;
        try (ServerProcess allowing = new ServerProcess(Files.createDirectories(temp.resolve("allowing")))
                .env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1:" + closed).start()) {
            String url = "http://127.0.0.1:" + closed + "/speech.wav";
            unreachable = failure(importOf(allowing, url), url);
        }
        assertThat(unreachable).startsWith("SOURCE_UNREACHABLE").contains(SourceAddress.NO_ANSWER.en());

        try (ServerProcess server = new ServerProcess(Files.createDirectories(temp.resolve("data"))).start()) {
            for (String url : new String[] {"rtmp://0177.0.0.1:" + port + "/app/s", "rtmp://2130706433:" + port + "/app/s",
                    "rtmp://[::ffff:127.0.0.1]:" + port + "/app/s", "http://012.0.0.1:" + port + "/speech.wav",
                    "http://0177.0.0.1:" + port + "/speech.wav", "http://127.0.0.1:" + port + "/speech.wav",
                    "http://[::1]:" + port + "/speech.m3u8"}) {
                assertThat(failure(importOf(server, url), url)).as(url).isEqualTo(unreachable);
            }
            // Short and hex forms: the URL parser either takes them as a host (then they are refused like the
            // others) or not (then they are no address at all, 400 at once); never a connection.
            for (String url : new String[] {"rtmp://127.1:" + port + "/app/s", "http://0x7f.1:" + port + "/a.wav",
                    "http://0x7f000001:" + port + "/a.wav", "rtmp://0x7f.0.0.1:" + port + "/app/s",
                    "rtmp://0x7F000001:" + port + "/app/s"}) {
                HttpResponse<String> r = server.raw(server.authorized("/api/v1/imports")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"url\":\"" + url + "\"}")).build());
                if (r.statusCode() == 400) {
                    assertThat(r.body()).as(url).contains("SOURCE_UNSUPPORTED");
                } else {
                    assertThat(failure(importOf(server, url), url)).as(url).isEqualTo(unreachable);
                }
            }
            // A webhook to this machine is refused when the batch is made, in the words of an unknown host.
            String audio = server.upload(SharedMedia.audio("zh_poem_5s.wav")).path("id").asText();
            String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
            String refused = webhookError(server, audio, template, "http://127.0.0.1:" + port + "/hook");
            assertThat(refused).isEqualTo(webhookError(server, audio, template, "http://0179.0.0.1:" + port + "/hook"));
            assertThat(webhookError(server, audio, template, "http://0177.0.0.1:" + port + "/hook")).isEqualTo(refused);
            assertThat(webhookError(server, audio, template, "http://[::ffff:7f00:1]:" + port + "/hook")).isEqualTo(refused);
            // A live source and a HeyGem-style task in those spellings: refused as unreachable, never a connection.
            for (String url : new String[] {"rtmp://0177.0.0.1:" + port + "/app/s", "rtmp://[::ffff:127.0.0.1]:" + port
                    + "/app/s"}) {
                String live = server.post("/api/v1/live", JSON.writeValueAsString(Map.of("audioUrl", url,
                        "templateId", template))).path("id").asText();
                JsonNode st = server.get("/api/v1/live/" + live);
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (st.path("state").asText().equals("STARTING") && System.nanoTime() < end) {
                    Thread.sleep(100);
                    st = server.get("/api/v1/live/" + live);
                }
                assertThat(st.path("state").asText()).as(st.toString()).isEqualTo("FAILED");
                assertThat(st.path("error").path("code").asText()).isEqualTo("SOURCE_UNREACHABLE");
                JsonNode easy = server.send(server.authorized("/easy/submit").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("audio_url", url,
                                "video_url", "presenter.mp4", "code", "octal-" + live)))).build(), 200);
                assertThat(easy.path("success").asBoolean()).as(easy.toString()).isFalse();
                assertThat(easy.path("msgEn").asText()).contains(SourceAddress.NO_ANSWER.en());
            }
        }
        assertThat(reached.get()).as("connections that reached the internal port").isZero();
    }

    private static String webhookError(ServerProcess server, String audio, String template, String hook) throws Exception {
        HttpResponse<String> r = server.raw(server.authorized("/api/v1/batches").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("audioId", audio,
                        "templateIds", java.util.List.of(template), "webhookUrl", hook)))).build());
        assertThat(r.statusCode()).as(hook + ": " + r.body()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body()).path("error");
        String shown = hook.replaceAll("\\?.*", "");
        return e.path("code").asText() + " | " + e.path("message").asText().replace(shown, "ADDRESS");
    }

    @Test
    void anAllowedHostAndPortIsReachedAndNoOtherPortOfIt() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        Files.copy(SharedMedia.audio("zh_poem_5s.wav"), served.resolve("poem.wav"));
        int port = inside.getLocalPort();
        // An ffconcat list (from the allowed host) whose entries lead to the other port.
        Files.writeString(served.resolve("list.ffconcat"), "ffconcat version 1.0\nfile 'http://127.0.0.1:" + port
                + "/poem.wav'\nfile 'tcp://127.0.0.1:" + port + "'\n");
        try (MediaSources sources = new MediaSources(served);
                ServerProcess server = new ServerProcess(Files.createDirectories(temp.resolve("data")))
                        .env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1:" + sources.port()).start()) {
            JsonNode ok = importOf(server, sources.url("poem.wav"));
            assertThat(ok.path("state").asText()).as(ok.toString()).isEqualTo("DONE");
            String other = "http://127.0.0.1:" + port + "/poem.wav";
            assertThat(failure(importOf(server, other), other)).startsWith("SOURCE_UNREACHABLE");
            String rtmp = "rtmp://127.0.0.1:" + port + "/app/s";
            assertThat(failure(importOf(server, rtmp), rtmp)).startsWith("SOURCE_UNREACHABLE");
            String list = sources.url("list.ffconcat");
            assertThat(failure(importOf(server, list), list)).startsWith("NOT_MEDIA");
            assertThat(sources.asked).contains("/list.ffconcat");
        }
        assertThat(reached.get()).as("connections that reached the other port").isZero();
    }
}
