package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One account cannot starve the others: its imports wait for their turn behind everyone else's
 * next one and stop at 10; its uploads stop at 4 at once; a request waiting on a pull ends its
 * pull when its client leaves; the server keeps answering throughout.
 */
class FairShareTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void oneAccountsManyPullsAndUploadsDelayOnlyItsOwn() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // and never answers
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            String nowhere = "http://127.0.0.1:" + silent.getLocalPort() + "/speech-";
            try (ServerProcess server = new ServerProcess(Files.createDirectories(temp.resolve("data")))
                    .env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1:" + silent.getLocalPort())
                    .env("HEYGEM_IMPORT_STALL_SECONDS", "120").env("HEYGEM_WORKERS", "0").start()) {
                Client admin = Client.withKey(server, "admin", server.token());
                Client ed = Client.person(server, admin, "ed", "editor");
                Client eve = Client.person(server, admin, "eve", "editor");

                // Ed: ten pulls of a host that never answers are taken, the eleventh is refused.
                for (int i = 0; i < 10; i++) {
                    assertThat(ed.status("POST", "/api/v1/imports", "{\"url\":\"" + nowhere + i + ".mp3\"}"))
                            .isEqualTo(202);
                }
                HttpResponse<String> eleventh = ed.call("POST", "/api/v1/imports", "{\"url\":\"" + nowhere + "x.mp3\"}");
                assertThat(eleventh.statusCode()).as(eleventh.body()).isEqualTo(429);
                assertThat(JSON.readTree(eleventh.body()).path("error").path("code").asText()).isEqualTo("TOO_MANY_IMPORTS");
                Waits.until(() -> states(ed).stream().filter("RUNNING"::equals).count() == 2, Duration.ofSeconds(20),
                        "two of Ed's pulls running");
                // Eve's pull starts at once, ahead of Ed's eight waiting ones.
                String hers = eve.ok("POST", "/api/v1/imports", "{\"url\":\"" + nowhere + "eve.mp3\"}").path("id").asText();
                Waits.until(() -> states(eve).contains("RUNNING"), Duration.ofSeconds(10), "Eve's pull never started: "
                        + hers);
                assertThat(states(ed)).containsOnly("RUNNING", "QUEUED");
                assertHealthy(server);

                // Uploads: four of Ed's at once (each stuck half-way) hold his share; a fifth is
                // refused at once, Eve's goes through, and Ed's goes through once one has ended.
                String edKey = ed.ok("POST", "/api/v1/account/keys", "{\"name\":\"script\"}").path("key").asText();
                List<Socket> stuck = new ArrayList<>();
                for (int i = 0; i < AssetRoutes.UPLOADS_AT_ONCE; i++) {
                    stuck.add(halfAnUpload(server, edKey));
                }
                Path speech = SharedMedia.audio("en_short_5s.mp3");
                HttpResponse<String> fifth = Waits.value(() -> {
                    // One still on its way when the last try was sent may have been refused: sent again.
                    for (int i = 0; i < stuck.size(); i++) {
                        if (answered(stuck.get(i))) {
                            stuck.get(i).close();
                            stuck.set(i, halfAnUpload(server, edKey));
                        }
                    }
                    HttpResponse<String> r = ed.upload(speech);
                    return r.statusCode() == 429 ? r : null;
                }, Duration.ofSeconds(10), "Ed's fifth upload at once was taken");
                assertThat(JSON.readTree(fifth.body()).path("error").path("code").asText()).isEqualTo("TOO_MANY_UPLOADS");
                assertThat(eve.upload(speech).statusCode()).isEqualTo(201);
                stuck.get(0).close();
                Waits.until(() -> status(ed, speech) == 201, Duration.ofSeconds(10), "Ed's upload after one ended");
                for (Socket s : stuck) {
                    s.close();
                }

                // /easy/submit waits while it pulls; its client leaving stops the pull.
                try (Socket client = new Socket("127.0.0.1", server.port)) {
                    byte[] body = ("{\"audio_url\":\"" + nowhere + "easy.mp3\",\"video_url\":\"" + nowhere
                            + "easy.mp4\",\"code\":\"left\"}").getBytes(StandardCharsets.UTF_8);
                    OutputStream out = client.getOutputStream();
                    out.write(("POST /easy/submit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.token()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    InputStream in = client.getInputStream();
                    byte[] head = new byte[4096];
                    int got = 0;
                    while (!new String(head, 0, got, StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                        got += in.read(head, got, head.length - got); // the answer's head, then spaces
                    }
                    assertThat(new String(head, 0, got, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
                    Waits.until(() -> imports(admin).stream().anyMatch(i -> i.path("url").asText().endsWith("easy.mp3")
                            && i.path("state").asText().equals("RUNNING")), Duration.ofSeconds(10), "the pull never started");
                }
                Waits.until(() -> imports(admin).stream().anyMatch(i -> i.path("url").asText().endsWith("easy.mp3")
                        && !List.of("QUEUED", "RUNNING").contains(i.path("state").asText())), Duration.ofSeconds(10),
                        "the pull of a client that left goes on");
                server.awaitOutput("the client left", Duration.ofSeconds(5));
                assertHealthy(server);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** An upload whose head and first kilobyte are sent, and nothing more. */
    private static Socket halfAnUpload(ServerProcess server, String key) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port);
        String boundary = "----stuck";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/v1/assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 10000000\r\n\r\n"
                + head).getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1024]);
        out.flush();
        return s;
    }

    /** Whether the server has answered (refused) a half-sent upload. */
    private static boolean answered(Socket s) throws java.io.IOException {
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() >= 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private static List<String> states(Client c) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : imports(c)) {
            out.add(i.path("state").asText());
        }
        return out;
    }

    private static List<JsonNode> imports(Client c) {
        try {
            List<JsonNode> out = new ArrayList<>();
            c.ok("GET", "/api/v1/imports", null).path("imports").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(Client c, Path file) {
        try {
            return c.upload(file).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertHealthy(ServerProcess server) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/health")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
