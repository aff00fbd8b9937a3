package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installation from before accounts (its database at migration 9, one token, one batch and
 * its uploads) started by this version: the batch is there, owned by admin, the old token is
 * admin's key, the uploads are in admin's library, and admin gets its set-up link.
 */
class UpgradeTest {
    @TempDir
    Path data;

    @Test
    void aSingleTokenInstallationKeepsItsBatchesAndItsToken() throws Exception {
        Path db = Files.createDirectories(data.resolve("db"));
        String url = "jdbc:h2:file:" + db.toAbsolutePath().resolve("heygem")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
        Flyway.configure().dataSource(url, "heygem", "").locations("classpath:db/migration").target("9").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "heygem", ""); Statement s = c.createStatement()) {
            s.execute("insert into assets (id, sha256, kind, file_name, stored_path, size_bytes, duration_seconds,"
                    + " created_at, last_used_at) values ('a_old', '" + "a".repeat(64) + "', 'AUDIO', 'old speech.wav',"
                    + " 'uploads/a.wav', 1000, 5.0, current_timestamp, current_timestamp)");
            s.execute("insert into assets (id, sha256, kind, file_name, stored_path, size_bytes, created_at, last_used_at,"
                    + " width, height) values ('a_tpl', '" + "b".repeat(64) + "', 'VIDEO', 'old template.mp4',"
                    + " 'uploads/b.mp4', 2000, current_timestamp, current_timestamp, 256, 256)");
            s.execute("insert into batches (id, submitted, audio_id, settings_json, idempotency_key, created_at)"
                    + " values ('b_old', nextval('batch_order'), 'a_old', '{}', 'nightly-1', current_timestamp)");
            s.execute("insert into items (id, batch_id, template_id, position, state, updated_at)"
                    + " values ('i_old', 'b_old', 'a_tpl', 0, 'CANCELED', current_timestamp)");
            s.execute("shutdown");
        }
        String oldToken = "0123456789abcdef0123456789abcdef0123456789abcdef";
        Files.writeString(data.resolve("token"), oldToken + "\n");

        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start()) {
            assertThat(server.token()).isEqualTo(oldToken);
            JsonNode batch = server.get("/api/v1/batches/b_old");
            assertThat(batch.path("owner").asText()).isEqualTo("admin");
            assertThat(batch.path("priority").asText()).isEqualTo("normal");
            assertThat(batch.path("items").get(0).path("state").asText()).isEqualTo("CANCELED");
            assertThat(server.get("/api/v1/assets?kind=AUDIO").path("assets").findValuesAsText("id")).contains("a_old");
            // Its idempotency key still answers its batch for admin's scripts.
            JsonNode replay = server.send(server.authorized("/api/v1/batches").header("Idempotency-Key", "nightly-1")
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"audioId\":\"a_old\",\"templateIds\":[\"a_tpl\"]}")).build(), 201);
            assertThat(replay.path("id").asText()).isEqualTo("b_old");
            assertThat(server.get("/api/v1/users").path("users").findValuesAsText("name")).containsExactly("admin");
            assertThat(server.output()).contains("one-time link").containsPattern("#/setup/[0-9a-f]{48}");
        }
    }

    /**
     * Uploads two accounts shared before each upload became its owner's own record (migration 16):
     * each holder gets a record of their own, naming the one stored file, and their batches use it.
     */
    @Test
    void anUploadTwoLibrariesSharedBecomesTwoRecordsOfOneFile() throws Exception {
        String url = "jdbc:h2:mem:split;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "heygem", "").locations("classpath:db/migration").target("15").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "heygem", ""); Statement s = c.createStatement()) {
            s.execute("insert into assets (id, sha256, kind, file_name, stored_path, size_bytes, created_at, last_used_at)"
                    + " values ('a_both', '" + "c".repeat(64) + "', 'AUDIO', 'ed.wav', 'uploads/c.wav', 10,"
                    + " current_timestamp, current_timestamp)");
            s.execute("insert into asset_users (asset_id, user_id) values ('a_both', 'u_ed'), ('a_both', 'u_eve')");
            s.execute("insert into batches (id, submitted, audio_id, settings_json, created_at, queue_order, owner_id)"
                    + " values ('b_eve', nextval('batch_order'), 'a_both', '{}', current_timestamp, current_timestamp, 'u_eve')");
        }
        Flyway.configure().dataSource(url, "heygem", "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "heygem", ""); Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("select id, owner_id, stored_path, file_name from assets order by id")) {
            java.util.List<String> rows = new java.util.ArrayList<>();
            while (r.next()) {
                rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4));
            }
            assertThat(rows).containsExactly("a_both u_ed uploads/c.wav ed.wav", "a_both-u_eve u_eve uploads/c.wav ed.wav");
            try (java.sql.ResultSet b = c.createStatement().executeQuery("select audio_id from batches")) {
                assertThat(b.next()).isTrue();
                assertThat(b.getString(1)).as("Eve's batch uses her copy").isEqualTo("a_both-u_eve");
            }
            s.execute("shutdown");
        }
    }
}
