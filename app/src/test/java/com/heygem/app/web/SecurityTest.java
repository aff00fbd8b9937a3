package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.cli.HeyGem;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attacker on the same host and a careless operator could do, against the real server:
 * a page on another port using the signed-in browser's cookie, a session that outlives its sign-out,
 * a token that cannot be replaced, a broken token file, missing security headers.
 */
class SecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** Signs in as the page does; @return the session cookie ({@code name=value}) */
    private static String signIn(ServerProcess server) throws Exception {
        HttpResponse<String> r = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/session"))
                .header("Content-Type", "application/json").header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.token() + "\"}")).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(set).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Max-Age=604800");
        return set.substring(0, set.indexOf(';'));
    }

    /** A request carrying only the browser's cookie, as a page would send it. */
    private static HttpRequest.Builder withCookie(ServerProcess server, String path, String cookie) {
        return HttpRequest.newBuilder(server.uri(path)).header("Cookie", cookie);
    }

    private static int status(ServerProcess server, HttpRequest request) throws Exception {
        return server.raw(request).statusCode();
    }

    @Test
    void cookiesWorkOnlyFromTheOwnOriginEndAtSignOutAndTokenRotationAndEveryAnswerHasSecurityHeaders()
            throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).start()) {
            for (String path : List.of("/", "/js/main.js", "/api/v1/health", "/api/v1/batches")) {
                HttpResponse<String> r = server.raw(HttpRequest.newBuilder(server.uri(path)).build());
                assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
                assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).as(path)
                        .contains("default-src 'self'").contains("frame-ancestors 'none'");
            }
            String cookie = signIn(server);
            String own = "http://127.0.0.1:" + server.port;
            String other = "http://127.0.0.1:" + (server.port + 1);
            String body = "{\"audioId\":\"a_x\",\"templateIds\":[\"v_x\"]}";

            // A page on another port: the browser marks the request same-site (not same-origin).
            assertThat(status(server, withCookie(server, "/api/v1/batches", cookie).header("Sec-Fetch-Site", "same-site")
                    .header("Origin", other).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build())).isEqualTo(403);
            // An older browser that sends only Origin.
            assertThat(status(server, withCookie(server, "/api/v1/items/i_x/cancel", cookie).header("Origin", other)
                    .POST(HttpRequest.BodyPublishers.noBody()).build())).isEqualTo(403);
            // The same host and port over another scheme is another origin (issue 23).
            assertThat(status(server, withCookie(server, "/api/v1/items/i_x/cancel", cookie)
                    .header("Origin", own.replace("http:", "https:")).POST(HttpRequest.BodyPublishers.noBody()).build()))
                    .isEqualTo(403);
            assertThat(status(server, withCookie(server, "/api/v1/items/i_x/cancel", cookie).header("Origin", own)
                    .POST(HttpRequest.BodyPublishers.noBody()).build())).isEqualTo(404);
            // Behind a TLS proxy the session cookie is Secure; over plain http it cannot be.
            HttpResponse<String> behindTls = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/session"))
                    .header("Content-Type", "application/json").header("Sec-Fetch-Site", "same-origin")
                    .header("X-Forwarded-Proto", "https").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"token\":\"" + server.token() + "\"}")).build());
            assertThat(behindTls.headers().allValues("Set-Cookie")).anyMatch(c -> c.contains("Secure"));
            HttpResponse<String> plain = server.raw(HttpRequest.newBuilder(server.uri("/api/v1/session"))
                    .header("Content-Type", "application/json").header("Sec-Fetch-Site", "same-origin")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.token() + "\"}")).build());
            assertThat(plain.headers().allValues("Set-Cookie")).isNotEmpty().noneMatch(c -> c.contains("Secure"));
            assertThat(status(server, withCookie(server, "/easy/submit", cookie).header("Sec-Fetch-Site", "cross-site")
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build()))
                    .isEqualTo(403);
            // From the own origin but as plain text (a form a foreign page could post): refused too.
            assertThat(status(server, withCookie(server, "/api/v1/batches", cookie).header("Origin", own)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build()))
                    .isEqualTo(415);
            // The page itself: passes the checks (and gets the batch route's own answer about the ids).
            HttpResponse<String> ok = server.raw(withCookie(server, "/api/v1/batches", cookie)
                    .header("Sec-Fetch-Site", "same-origin").header("Origin", own).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(ok.statusCode()).as(ok.body()).isIn(400, 404);
            assertThat(JSON.readTree(ok.body()).path("error").path("code").asText()).isNotIn("CROSS_SITE", "UNAUTHORIZED");
            // Scripts with the token are not browsers: no origin needed.
            assertThat(status(server, server.authorized("/api/v1/items/i_x/cancel").header("Origin", other)
                    .POST(HttpRequest.BodyPublishers.noBody()).build())).isEqualTo(404);

            // Signing out ends the session on the server, not only in this browser.
            assertThat(status(server, withCookie(server, "/api/v1/batches", cookie).build())).isEqualTo(200);
            assertThat(status(server, withCookie(server, "/api/v1/session", cookie).header("Sec-Fetch-Site", "same-origin")
                    .DELETE().build())).isEqualTo(200);
            assertThat(status(server, withCookie(server, "/api/v1/batches", cookie).build())).isEqualTo(401);

            // Rotating the token shuts out the old token and every session, without a restart.
            String second = signIn(server);
            String old = server.token();
            assertThat(HeyGem.commandLine().execute("token", "rotate", "--data-dir", data.toString())).isZero();
            assertThat(server.token()).isNotEqualTo(old).hasSize(48);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("token"))))
                    .isEqualTo("rw-------");
            // The server looks at the file once a second: wait for that, not for a second.
            HttpRequest withOld = HttpRequest.newBuilder(server.uri("/api/v1/batches"))
                    .header("Authorization", "Bearer " + old).build();
            long end = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
            while (status(server, withOld) != 401 && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(status(server, withOld)).isEqualTo(401);
            assertThat(status(server, withCookie(server, "/api/v1/batches", second).build())).isEqualTo(401);
            assertThat(status(server, server.authorized("/api/v1/batches").build())).isEqualTo(200);

            // The token is in no log line and not served by the log endpoint.
            String logs = server.raw(server.authorized("/api/v1/logs").build()).body();
            assertThat(logs).doesNotContain(old).doesNotContain(server.token());
            assertThat(Files.readString(data.resolve("logs/heygem.log"))).doesNotContain(old);
        }
    }

    @Test
    void aBrokenTokenFileIsAClearErrorBeforeAnythingStarts() throws Exception {
        for (String kind : List.of("directory", "not utf-8")) {
            Path data = Files.createDirectories(temp.resolve(kind.replace(' ', '-')));
            if (kind.equals("directory")) {
                Files.createDirectories(data.resolve("token"));
            } else {
                Files.write(data.resolve("token"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a', 'b', (byte) 0xc3});
            }
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "com.heygem.app.cli.HeyGem", "serve", "--port", "0",
                    "--bind", "127.0.0.1", "--data-dir", data.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).as(kind).contains("error [INVALID_ARGUMENT]").contains("token").doesNotContain("queue ready")
                    .doesNotContain("Exception");
        }
    }

    /** Issue 23: nothing under the data directory can be read by another account of the machine, from the first start. */
    @Test
    void theDataDirectoryIsItsAccountsOnlyFromTheFirstStart() throws Exception {
        Path data = temp.resolve("private");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerProcess server = new ServerProcess(data).start()) {
            server.upload(com.heygem.engine.testing.SharedMedia.audio("zh_poem_5s.wav"));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                    .isEqualTo("rwx------");
            if (!"root".equals(System.getProperty("user.name"))) {
                return; // reading as another account needs root to become one
            }
            List<Path> files;
            try (java.util.stream.Stream<Path> all = Files.walk(data)) {
                files = all.filter(Files::isRegularFile).toList();
            }
            assertThat(files).extracting(p -> data.relativize(p).toString()).contains("token", "db/heygem.mv.db",
                    "logs/heygem.log");
            // Even where the temp folder above lets everyone in, the data directory stops them.
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path f : files) {
                Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "cat", f.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(f + ": " + out).isNotZero();
                assertThat(out).as(f.toString()).contains("Permission denied");
            }
        }
    }

    /** Issue 23, part 5: someone without an account cannot fill the audit log (and the disk) with wrong tokens. */
    @Test
    void wrongTokensInTheAddressWriteABoundedAmount() throws Exception {
        Path data = temp.resolve("tokens");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).start()) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient(); // follows no redirect
            for (int k = 0; k < 300; k++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/?token=wrong" + k)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(302);
                assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/?signin=wrong");
            }
            String audit = server.get("/api/v1/audit?limit=500").toString();
            int rows = audit.split("a wrong token in the address", -1).length - 1;
            assertThat(rows).as("audit rows for 300 wrong tokens").isBetween(1, 20);
            assertThat(server.output().split("a wrong token in the address", -1).length - 1).isLessThanOrEqualTo(20);
        }
    }

    /** Issue 23, part 10: names others see carry no markup, control characters or direction marks. */
    @Test
    void namesOthersSeeCarryNoMarkupControlsOrDirectionMarks() throws Exception {
        Path data = temp.resolve("names");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start()) {
            String audio = server.upload(com.heygem.engine.testing.SharedMedia.audio("zh_poem_5s.wav")).path("id").asText();
            String template = server.upload(com.heygem.engine.testing.SharedMedia.template("obama_256_silent.mp4"))
                    .path("id").asText();
            String name = JSON.writeValueAsString("<img src=x onerror=alert(1)>Q4\u0000 launch \u202Egnp.exe\u2066");
            String made = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                    + "\"],\"name\":" + name + "}").path("name").asText();
            assertThat(made).contains("Q4").contains("launch").doesNotContain("<").doesNotContain(">")
                    .doesNotContain("\u0000").doesNotContain("\u202E").doesNotContain("\u2066");
            HttpResponse<String> renamed = server.raw(server.authorized("/api/v1/assets/" + audio).header("Content-Type",
                    "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":"
                    + JSON.writeValueAsString("poem\u202Evaw.exe") + "}")).build());
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
            assertThat(JSON.readTree(renamed.body()).path("name").asText()).doesNotContain("\u202E").startsWith("poem");
        }
    }
}
