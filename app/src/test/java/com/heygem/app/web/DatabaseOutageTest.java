package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.testing.PostgresServer;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared PostgreSQL server goes away and comes back: requests are told to try again (503
 * with Retry-After, within the pool's wait), not answered 500 or left hanging, and the server
 * works again by itself once the database is back, its queue included.
 */
class DatabaseOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void aDatabaseServerThatGoesAwayIsAPassingConditionNotAServerError() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
                ServerProcess server = new ServerProcess(data).env("HEYGEM_DB_URL", postgres.createDatabase("outage"))
                        .env("HEYGEM_DB_USER", "heygem").start()) {
            String before = server.get("/api/v1/batches").toString();
            postgres.halt();
            for (String method : new String[] {"GET", "DELETE"}) {
                HttpRequest.Builder request = server.authorized("/api/v1/batches" + (method.equals("GET") ? "" : "/b_none"));
                long start = System.nanoTime();
                HttpResponse<String> r = server.raw(method.equals("GET") ? request.GET().build() : request.DELETE().build());
                long waited = System.nanoTime() - start;
                assertThat(r.statusCode()).as(method + " " + r.body()).isEqualTo(503);
                assertThat(waited).as("answered within the pool's wait").isLessThan(Duration.ofSeconds(15).toNanos());
                assertThat(r.headers().firstValue("Retry-After")).hasValue(String.valueOf(ApiServer.RETRY_AFTER_SECONDS));
                JsonNode error = JSON.readTree(r.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("DATABASE_UNAVAILABLE");
                assertThat(error.path("message").asText()).contains("cannot reach its database");
                assertThat(error.path("messageZh").asText()).contains("数据库");
            }
            assertThat(server.get("/api/v1/health").path("status").asText()).isEqualTo("ok");

            postgres.resume();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> r = server.raw(server.authorized("/api/v1/batches").GET().build());
            while (r.statusCode() != 200 && System.nanoTime() < end) {
                Thread.sleep(500);
                r = server.raw(server.authorized("/api/v1/batches").GET().build());
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).toString()).isEqualTo(before);
            // The queue outlived the outage too.
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
            String batch = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\""
                    + template + "\"]}").path("id").asText();
            assertThat(server.awaitBatch(batch, Duration.ofMinutes(2)).path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(server.output()).doesNotContainPattern("ERROR +c\\.h\\.a\\.web\\.ApiServer");
        }
    }
}
