package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** One person talking to a test server: a browser (its own cookies) or a script (a key or the token). */
final class Client {
    private static final ObjectMapper JSON = new ObjectMapper();
    final String name;
    private final ServerProcess server;
    private final HttpClient http;
    private final String bearer;

    private Client(String name, ServerProcess server, HttpClient http, String bearer) {
        this.name = name;
        this.server = server;
        this.http = http;
        this.bearer = bearer;
    }

    /** A browser: signed in once it has a session cookie. */
    static Client browser(ServerProcess server, String name) {
        return new Client(name, server, HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), null);
    }

    /**
     * A new account of {@code role}, made by {@code admin}, whose browser has set its password
     * (a phrase without the name in it: those are refused) and is signed in.
     */
    static Client person(ServerProcess server, Client admin, String name, String role) throws Exception {
        JsonNode made = admin.ok("POST", "/api/v1/users", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#/setup/([0-9a-f]{48})")
                .matcher(made.path("setupLink").asText());
        assertThat(m.find()).isTrue();
        Client p = browser(server, name);
        p.ok("POST", "/api/v1/setup", "{\"code\":\"" + m.group(1) + "\",\"password\":\"" + password(name) + "\"}");
        return p;
    }

    /** The password {@link #person} sets for {@code name}. */
    static String password(String name) {
        return "long phrase " + Integer.toHexString(name.hashCode()) + " for tests";
    }

    /** A script sending {@code Authorization: Bearer key} (an API key, or the access token). */
    static Client withKey(ServerProcess server, String name, String key) {
        return new Client(name, server, HttpClient.newHttpClient(), key);
    }

    HttpResponse<String> call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose answer is kept as bytes (a video, a ZIP). */
    HttpResponse<byte[]> bytes(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The status of a call, which must never be a server failure. */
    int status(String method, String path, String json) throws Exception {
        HttpResponse<String> r = call(method, path, json);
        assertThat(r.statusCode()).as(name + " " + method + " " + path + ": " + r.body()).isNotEqualTo(500);
        return r.statusCode();
    }

    /** A call that must succeed; its answer. */
    JsonNode ok(String method, String path, String json) throws Exception {
        HttpResponse<String> r = call(method, path, json);
        assertThat(r.statusCode()).as(name + " " + method + " " + path + ": " + r.body()).isBetween(200, 202);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> upload(Path file) throws Exception {
        return upload(file, file.getFileName().toString(), "");
    }

    /** Uploads {@code file} under the name {@code name} (UTF-8), with {@code query} ("?use=speech" or ""). */
    HttpResponse<String> upload(Path file, String name, String query) throws Exception {
        String boundary = "----client" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/assets" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An upload under {@code name} that must succeed; its asset. */
    JsonNode uploaded(Path file, String name) throws Exception {
        HttpResponse<String> r = upload(file, name, "");
        assertThat(r.statusCode()).as(this.name + " upload " + name + ": " + r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    /** An upload that must succeed; its asset id. */
    String uploaded(Path file) throws Exception {
        HttpResponse<String> r = upload(file);
        assertThat(r.statusCode()).as(name + " upload " + file.getFileName() + ": " + r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }
}
