package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three people of three roles on one server: every route × role answers what the role and the
 * ownership allow. Ed (editor) makes a batch; Eve (another editor) and Vic (viewer) do not see it
 * until it is shared with Vic, who may then read it but change nothing.
 */
class RolesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    @TempDir
    Path files;

    @Test
    void everyRouteAnswersWhatTheRoleAndTheOwnershipAllow() throws Exception {
        try (ServerProcess server = new ServerProcess(data).start()) {
            Client admin = Client.withKey(server, "admin", server.token());
            Client ed = Client.person(server, admin, "ed", "editor");
            Client eve = Client.person(server, admin, "eve", "editor");
            Client vic = Client.person(server, admin, "vic", "viewer");

            // Ed's work: a speech of his own, a template (the library of templates is shared), a batch.
            String speech = ed.uploaded(SharedMedia.audio("en_short_5s.mp3"));
            String template = ed.uploaded(SharedMedia.template("obama_256_silent.mp4"));
            JsonNode batch = ed.ok("POST", "/api/v1/batches", "{\"audioId\":\"" + speech + "\",\"templateIds\":[\""
                    + template + "\"]}");
            String b = batch.path("id").asText();
            String item = batch.path("items").get(0).path("id").asText();
            assertThat(batch.path("owner").asText()).isEqualTo("ed");
            server.awaitBatch(b, Duration.ofMinutes(2));
            String eveSpeech = eve.uploaded(SharedMedia.audio("zh_poem_5s.wav"));

            // The batch and its parts: Ed and the admin see it; Eve and Vic do not even learn it exists.
            List<String> reads = List.of("/api/v1/batches/" + b, "/api/v1/batches/" + b + "/items", "/api/v1/items/" + item,
                    "/api/v1/items/" + item + "/result", "/api/v1/items/" + item + "/thumbnail", "/api/v1/items/" + item + "/log",
                    "/api/v1/batches/" + b + "/zip");
            for (String path : reads) {
                assertThat(admin.status("GET", path, null)).as("admin " + path).isEqualTo(200);
                assertThat(ed.status("GET", path, null)).as("ed " + path).isEqualTo(200);
                assertThat(eve.status("GET", path, null)).as("eve " + path).isEqualTo(404);
                assertThat(vic.status("GET", path, null)).as("vic " + path).isEqualTo(404);
            }
            // The item's own log: as written for the admin; in words for its owner (no ids, no class names).
            assertThat(admin.call("GET", "/api/v1/items/" + item + "/log", null).body()).contains(item)
                    .contains("RenderItemRunner");
            String hisLog = ed.call("GET", "/api/v1/items/" + item + "/log", null).body();
            assertThat(hisLog).contains("rendering template obama_256_silent.mp4").doesNotContain(item)
                    .doesNotContain(b).doesNotContain("RenderItemRunner");
            assertThat(ids(eve.ok("GET", "/api/v1/batches", null), "batches")).doesNotContain(b);
            assertThat(ids(vic.ok("GET", "/api/v1/batches", null), "batches")).isEmpty();
            assertThat(ids(admin.ok("GET", "/api/v1/batches", null), "batches")).contains(b);
            Map<String, String> changes = Map.of("/api/v1/batches/" + b + "/cancel", "POST", "/api/v1/batches/" + b + "/retry",
                    "POST", "/api/v1/items/" + item + "/retry", "POST", "/api/v1/batches/" + b + "/shares", "POST",
                    "/api/v1/batches/" + b, "PATCH");
            for (Map.Entry<String, String> c : changes.entrySet()) {
                String body = c.getValue().equals("PATCH") ? "{\"priority\":\"low\"}" : c.getKey().endsWith("shares")
                        ? "{\"users\":[]}" : null;
                assertThat(eve.status(c.getValue(), c.getKey(), body)).as("eve " + c).isEqualTo(404);
                assertThat(vic.status(c.getValue(), c.getKey(), body)).as("vic " + c).isEqualTo(403); // a viewer changes nothing
                assertThat(ed.status(c.getValue(), c.getKey(), body)).as("ed " + c).isIn(200, 409);
            }
            assertThat(eve.status("DELETE", "/api/v1/batches/" + b, null)).isEqualTo(404);
            assertThat(ed.status("PATCH", "/api/v1/batches/" + b, "{\"priority\":\"high\"}")).as("high: admins only")
                    .isEqualTo(403);
            assertThat(ed.status("POST", "/api/v1/batches/" + b + "/move", "{\"direction\":\"up\"}")).isEqualTo(403);

            // Shared with Vic: he reads it, and still changes nothing; Eve still sees nothing.
            JsonNode shared = ed.ok("POST", "/api/v1/batches/" + b + "/shares", "{\"users\":[\"VIC\"]}");
            assertThat(shared.path("sharedWith").get(0).asText()).isEqualTo("vic");
            for (String path : reads) {
                assertThat(vic.status("GET", path, null)).as("vic, shared, " + path).isEqualTo(200);
                assertThat(eve.status("GET", path, null)).as("eve " + path).isEqualTo(404);
            }
            assertThat(ids(vic.ok("GET", "/api/v1/batches", null), "batches")).containsExactly(b);
            assertThat(vic.status("POST", "/api/v1/batches/" + b + "/cancel", null)).isEqualTo(403);
            assertThat(vic.status("DELETE", "/api/v1/batches/" + b, null)).isEqualTo(403);
            assertThat(ed.status("POST", "/api/v1/batches/" + b + "/shares", "{\"users\":[\"nobody\"]}")).isEqualTo(400);

            // Uploads: recordings are one's own, templates are shared.
            assertThat(eve.status("GET", "/api/v1/assets/" + speech, null)).isEqualTo(404);
            assertThat(eve.status("GET", "/api/v1/assets/" + template, null)).isEqualTo(200);
            assertThat(eve.status("DELETE", "/api/v1/assets/" + template, null)).as("not in her library").isEqualTo(403);
            assertThat(eve.status("POST", "/api/v1/batches", "{\"audioId\":\"" + speech + "\",\"templateIds\":[\""
                    + template + "\"]}")).as("someone else's recording").isEqualTo(404);
            assertThat(ids(eve.ok("GET", "/api/v1/assets?kind=AUDIO", null), "assets")).containsExactly(eveSpeech);
            assertThat(ids(ed.ok("GET", "/api/v1/assets?kind=AUDIO", null), "assets")).containsExactly(speech);
            assertThat(ids(admin.ok("GET", "/api/v1/assets?kind=AUDIO", null), "assets")).contains(speech, eveSpeech);
            assertThat(ids(vic.ok("GET", "/api/v1/assets", null), "assets")).isEmpty();
            // The same bytes uploaded by Eve under a name of her own: her own upload (id, name, time), the
            // bytes kept once below both; nothing of Ed's is told to her or changeable by her, and her
            // delete leaves his upload and its file whole.
            Path hers = java.nio.file.Files.copy(SharedMedia.audio("en_short_5s.mp3"), files.resolve("my take.mp3"));
            HttpResponse<String> up = eve.upload(hers);
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            JsonNode mine = JSON.readTree(up.body());
            JsonNode his = ed.ok("GET", "/api/v1/assets/" + speech, null);
            String again = mine.path("id").asText();
            assertThat(again).isNotEqualTo(speech);
            assertThat(up.body()).doesNotContain(speech).doesNotContain("en_short_5s");
            assertThat(mine.path("name").asText()).isEqualTo("my take.mp3");
            assertThat(mine.path("createdAt").asText()).isNotEqualTo(his.path("createdAt").asText());
            assertThat(eve.status("PATCH", "/api/v1/assets/" + speech, "{\"name\":\"mine.mp3\"}")).isEqualTo(404);
            assertThat(eve.ok("PATCH", "/api/v1/assets/" + again, "{\"name\":\"take two.mp3\"}").path("name").asText())
                    .isEqualTo("take two.mp3");
            assertThat(ed.ok("GET", "/api/v1/assets/" + speech, null).path("name").asText()).isEqualTo("en_short_5s.mp3");
            assertThat(ids(eve.ok("GET", "/api/v1/assets?kind=AUDIO", null), "assets")).containsExactlyInAnyOrder(eveSpeech,
                    again);
            assertThat(ids(ed.ok("GET", "/api/v1/assets?kind=AUDIO", null), "assets")).containsExactly(speech);
            try (var kept = java.nio.file.Files.walk(data.resolve("uploads"))) {
                assertThat(kept.filter(f -> f.getFileName().toString().endsWith(".mp3"))).as("stored once").hasSize(1);
            }
            assertThat(eve.status("DELETE", "/api/v1/assets/" + speech, null)).isEqualTo(404);
            assertThat(eve.status("DELETE", "/api/v1/assets/" + again, null)).isEqualTo(200);
            assertThat(eve.status("GET", "/api/v1/assets/" + again, null)).isEqualTo(404);
            assertThat(ed.status("GET", "/api/v1/assets/" + speech, null)).isEqualTo(200);
            assertThat(ed.call("GET", "/api/v1/assets/" + speech + "/file", null).body()).hasSizeGreaterThan(1000);

            // Every documented route × role: admin-only ones refuse the others, a viewer only reads, none fails.
            JsonNode doc = admin.ok("GET", "/api/v1/openapi.json", null);
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> p = paths.next();
                String path = p.getKey().replaceAll("\\{[a-zA-Z]+}", "x_unknown");
                for (Iterator<String> ops = p.getValue().fieldNames(); ops.hasNext(); ) {
                    String method = ops.next().toUpperCase(java.util.Locale.ROOT);
                    if (path.equals("/api/v1/events") || path.startsWith("/api/v1/session") || path.startsWith("/api/v1/setup")
                            || path.startsWith("/api/v1/account/")) {
                        continue; // a stream (EventFanOutTest); signing in and out and passwords (AccountsTest)
                    }
                    String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
                    int asEditor = eve.status(method, path, body);
                    int asViewer = vic.status(method, path, body);
                    int asAdmin = admin.status(method, path, body);
                    // What the table allows is answered (perhaps 404 for an unknown id), what it refuses is 403.
                    assertThat(asAdmin).as("admin " + method + " " + path).isNotIn(401, 403);
                    for (var p2 : List.of(java.util.Map.entry(com.heygem.app.accounts.Role.EDITOR, asEditor),
                            java.util.Map.entry(com.heygem.app.accounts.Role.VIEWER, asViewer))) {
                        if (Access.allowed(p2.getKey(), method, path)) {
                            assertThat(p2.getValue()).as(p2.getKey() + " " + method + " " + path).isNotEqualTo(401);
                            if (method.equals("GET")) {
                                assertThat(p2.getValue()).as(p2.getKey() + " " + method + " " + path).isNotEqualTo(403);
                            }
                        } else {
                            assertThat(p2.getValue()).as(p2.getKey() + " " + method + " " + path).isEqualTo(403);
                        }
                    }
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(40);
            // The table itself, spelled out for the routes that matter most.
            for (String adminOnly : List.of("/api/v1/users", "/api/v1/audit", "/api/v1/logs", "/api/v1/workers",
                    "/api/v1/cleanup")) {
                assertThat(eve.status("GET", adminOnly, null)).as("editor " + adminOnly).isEqualTo(403);
                assertThat(vic.status("GET", adminOnly, null)).as("viewer " + adminOnly).isEqualTo(403);
            }
            assertThat(vic.status("GET", "/api/v1/live", null)).isEqualTo(403);
            assertThat(vic.status("GET", "/easy/query?code=x", null)).isEqualTo(403);
            assertThat(eve.status("GET", "/api/v1/live", null)).isEqualTo(200);
            // The signed-out and the disabled are refused at once.
            vic.ok("DELETE", "/api/v1/session", null);
            assertThat(vic.status("GET", "/api/v1/batches", null)).isEqualTo(401);
            admin.ok("PATCH", "/api/v1/users/" + userId(admin, "ed"), "{\"disabled\":true}");
            assertThat(ed.status("GET", "/api/v1/batches/" + b, null)).isEqualTo(401);
        }
    }

    private static String userId(Client admin, String name) throws Exception {
        for (JsonNode u : admin.ok("GET", "/api/v1/users", null).path("users")) {
            if (u.path("name").asText().equals(name)) {
                return u.path("id").asText();
            }
        }
        throw new AssertionError("no " + name);
    }

    private static List<String> ids(JsonNode answer, String field) {
        List<String> out = new ArrayList<>();
        answer.path(field).forEach(x -> out.add(x.path("id").asText()));
        return out;
    }

}
