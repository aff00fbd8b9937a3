package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real {@code heygem serve} process for tests, and a small client for its API; or, made by
 * {@link #worker}, a {@code heygem worker} process (no API) sharing the data directory.
 */
final class ServerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Path dataDir;
    final int port;
    private Process process;
    private String heap = "-Xmx2g";
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private final List<String> properties = new ArrayList<>();
    /** Where this process' output starts in the file that every start on this data directory appends to. */
    private long outputStart;
    private final HttpClient http = HttpClient.newHttpClient();
    /** null for a server; the node name for a worker. */
    private String worker;

    ServerProcess(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    /** The server's heap limit, e.g. {@code -Xmx256m} (default 2 GB). */
    ServerProcess heap(String option) {
        this.heap = option;
        return this;
    }

    /** An environment variable for the server (a setting, e.g. HEYGEM_UPLOAD_MAX_BYTES). */
    ServerProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A JVM system property for the server, e.g. the test hook {@code heygem.test.holdAt}. */
    ServerProcess property(String name, String value) {
        properties.add("-D" + name + "=" + value);
        return this;
    }

    /** A {@code heygem worker} named {@code name} on the same data directory (give it HEYGEM_DB_URL). */
    static ServerProcess worker(Path dataDir, String name) throws IOException {
        ServerProcess p = new ServerProcess(dataDir);
        p.worker = name;
        return p.env("HEYGEM_NODE_NAME", name);
    }

    private Path out() {
        return dataDir.resolveSibling(dataDir.getFileName() + (worker == null ? "" : "-" + worker) + ".out");
    }

    ServerProcess start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, heap, "-XX:+ExitOnOutOfMemoryError"));
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.heygem.app.cli.HeyGem"));
        cmd.addAll(worker == null ? List.of("serve", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data-dir",
                dataDir.toString()) : List.of("worker", "--data-dir", dataDir.toString()));
        outputStart = Files.exists(out()) ? Files.size(out()) : 0;
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(env);
        process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out().toFile())).start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (worker != null && System.nanoTime() < end) {
            if (Files.isRegularFile(out()) && output().contains("queue ready")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited: " + output());
            }
            Thread.sleep(200);
        }
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited: " + output());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not start in 60 s");
    }

    /** SIGTERM: the shutdown hook runs (a graceful stop); waits for the exit. @return the exit code */
    int stop(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not stop within " + limit);
        }
        return process.exitValue();
    }

    /** What this process printed (its log lines) so far; not what earlier starts on the data directory did. */
    String output() throws IOException {
        byte[] all = Files.readAllBytes(out());
        return new String(all, (int) outputStart, all.length - (int) outputStart, StandardCharsets.UTF_8);
    }

    /**
     * Waits until the process prints {@code text} (a log line it was told to expect).
     *
     * @return what it printed by then
     */
    String awaitOutput(String text, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            String out = output();
            if (out.contains(text)) {
                return out;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process exited before it printed '" + text + "':\n" + lastLines(40));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not printed in " + limit + ": '" + text + "'; the last lines:\n" + lastLines(40));
    }

    /** The last {@code n} lines the process printed, without stack traces. */
    String lastLines(int n) throws IOException {
        List<String> lines = output().lines().filter(l -> !l.startsWith("\t") && !l.startsWith("Caused"))
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** kill -9: no shutdown hook, no clean-up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String token() throws IOException {
        return Files.readString(dataDir.resolve("token")).trim();
    }

    JsonNode upload(Path file) throws Exception {
        return upload(file, file.getFileName().toString(), 201);
    }

    /** Uploads {@code file} under the name {@code name}, expecting {@code status}. */
    JsonNode upload(Path file, String name, int status) throws Exception {
        String boundary = "----heygem" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/assets"))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        return send(request, status);
    }

    JsonNode post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), 201);
    }

    JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token()).build(), 200);
    }

    /** A POST without body, expecting {@code expected}. */
    JsonNode post(String path, int expected) throws Exception {
        return send(authorized(path).POST(HttpRequest.BodyPublishers.noBody()).build(), expected);
    }

    HttpRequest.Builder authorized(String path) throws IOException {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token());
    }

    /** Waits until the batch has no queued or running item; returns its last state. */
    JsonNode awaitBatch(String id, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        JsonNode b = get("/api/v1/batches/" + id);
        while (System.nanoTime() < end) {
            b = get("/api/v1/batches/" + id);
            String state = b.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return b;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("batch not finished in " + limit + ": " + b + "\nhealth: " + raw(HttpRequest.newBuilder(
                uri("/api/v1/health")).build()).body() + "\nthe server's last lines:\n" + lastLines(60));
    }

    HttpClient http() {
        return http;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    HttpResponse<String> raw(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> r = raw(request);
        if (r.statusCode() != expected) {
            throw new AssertionError(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
