package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.engine.testing.SharedMedia;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a team's History and downloads rest on, through the real server: search, filters, sort and
 * pages with the total; per-state counts and a percent over the work that will run; every upload
 * under its owner's own name (any script, slashes and markup as characters) in the library, the
 * batch, the downloads and the ZIP; a speech without sound refused at upload.
 */
class HistoryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void historyFindsFiltersSortsAndPagesWithTrueCounts() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        // No worker: every item waits, so states come only from what the test cancels.
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start()) {
            Client admin = Client.withKey(server, "admin", server.token());
            Client anna = Client.person(server, admin, "anna", "editor");
            String speech = admin.uploaded(SharedMedia.audio("en_short_5s.mp3"), "春节 促销/第一版.mp3").path("id").asText();
            String may = admin.uploaded(SharedMedia.template("woman_may_512.mp4"), "woman_may_512.mp4").path("id").asText();
            String obama = admin.uploaded(SharedMedia.template("obama_256_silent.mp4"), "obama_256_silent.mp4").path("id").asText();
            String spring = batch(admin, speech, "Spring campaign", may, obama, may);
            String autumn = batch(admin, speech, "Autumn sale 100%", obama);
            String plain = batch(admin, speech, null, may);
            String annas = batch(anna, anna.uploaded(SharedMedia.audio("zh_poem_5s.wav"), "zh_poem_5s.wav").path("id").asText(),
                    "Anna's own", anna.uploaded(SharedMedia.template("woman_may_512.mp4"), "may.mp4").path("id").asText());

            // Two of Spring's three cancelled, the third waiting: 1 queued, 2 cancelled, and 0 % of the work
            // that will run (it read "2 of 3 finished · 80 %" once).
            JsonNode items = admin.ok("GET", "/api/v1/batches/" + spring, null).path("items");
            admin.ok("POST", "/api/v1/items/" + items.get(0).path("id").asText() + "/cancel", null);
            admin.ok("POST", "/api/v1/items/" + items.get(1).path("id").asText() + "/cancel", null);
            JsonNode s = admin.ok("GET", "/api/v1/batches/" + spring, null);
            assertThat(s.path("counts").path("canceled").asInt()).isEqualTo(2);
            assertThat(s.path("counts").path("queued").asInt()).isEqualTo(1);
            assertThat(s.path("progress").asDouble()).isEqualTo(0.0);
            // The waiting one has an expected time from the render pace; nobody renders, so no time left.
            assertThat(s.path("items").get(2).path("expectedSeconds").asDouble()).isPositive();
            assertThat(s.path("renderSlots").asInt()).isZero();
            assertThat(s.path("etaSeconds").isNull()).isTrue();
            // Autumn cancelled whole: cancelled, and 100 % of nothing left to run.
            admin.ok("POST", "/api/v1/batches/" + autumn + "/cancel", null);
            JsonNode a = admin.ok("GET", "/api/v1/batches/" + autumn, null);
            assertThat(a.path("state").asText()).isEqualTo("CANCELED");
            assertThat(a.path("progress").asDouble()).isEqualTo(100.0);

            // Everything, newest first, with the total.
            JsonNode all = admin.ok("GET", "/api/v1/batches", null);
            assertThat(all.path("total").asInt()).isEqualTo(4);
            assertThat(ids(all)).containsExactly(annas, plain, autumn, spring);
            // Search: the batch's name, the speech's or a presenter's, case-insensitive, every word.
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=SPRING", null))).containsExactly(spring);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=" + enc("第一版"), null))).containsExactly(plain, autumn, spring);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=" + enc("obama sale"), null))).containsExactly(autumn);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=may.mp4", null))).containsExactly(annas);
            // A % or _ is a character, not a pattern.
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=" + enc("100%"), null))).containsExactly(autumn);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=" + enc("_"), null))).containsExactly(annas, plain, autumn,
                    spring); // every one has "woman_may_512" or "obama_256…" or "zh_poem_5s"
            assertThat(ids(admin.ok("GET", "/api/v1/batches?q=" + enc("%%"), null))).isEmpty();
            // States, as the page names them.
            assertThat(ids(admin.ok("GET", "/api/v1/batches?state=canceled", null))).containsExactly(autumn);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?state=queued", null))).containsExactly(annas, plain);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?state=active", null))).containsExactly(annas, plain, spring);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?state=cancelled,running", null))).containsExactly(autumn, spring);
            // Whose.
            assertThat(ids(admin.ok("GET", "/api/v1/batches?owner=anna", null))).containsExactly(annas);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?owner=nobody", null))).isEmpty();
            assertThat(ids(anna.ok("GET", "/api/v1/batches", null))).containsExactly(annas);
            assertThat(anna.ok("GET", "/api/v1/batches?q=spring", null).path("total").asInt()).isZero();
            // Dates (a day is a whole UTC day; an instant is exact).
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
            assertThat(admin.ok("GET", "/api/v1/batches?from=" + today + "&to=" + today, null).path("total").asInt()).isEqualTo(4);
            assertThat(admin.ok("GET", "/api/v1/batches?from=" + tomorrow, null).path("total").asInt()).isZero();
            assertThat(admin.ok("GET", "/api/v1/batches?to=2000-01-01T00:00:00Z", null).path("total").asInt()).isZero();
            // Orders and pages: the total stays, the page moves.
            assertThat(ids(admin.ok("GET", "/api/v1/batches?sort=oldest", null))).containsExactly(spring, autumn, plain, annas);
            assertThat(ids(admin.ok("GET", "/api/v1/batches?sort=name", null)).get(0)).isEqualTo(annas); // "Anna's own"
            assertThat(ids(admin.ok("GET", "/api/v1/batches?sort=size", null)).get(0)).isEqualTo(spring);
            JsonNode page2 = admin.ok("GET", "/api/v1/batches?sort=oldest&limit=3&offset=3", null);
            assertThat(ids(page2)).containsExactly(annas);
            assertThat(page2.path("total").asInt()).isEqualTo(4);

            // Mistakes are said with what to do.
            assertThat(error(admin, "/api/v1/batches?state=finished")).contains("'finished' is not a batch state")
                    .contains("queued, running, active");
            assertThat(error(admin, "/api/v1/batches?sort=biggest")).contains("'biggest' is not a sort order");
            assertThat(error(admin, "/api/v1/batches?from=12/08/2026")).contains("'from' must be a date like 2026-12-08");
            assertThat(error(admin, "/api/v1/batches?q=" + "x".repeat(201))).contains("201 characters");
            assertThat(error(admin, "/api/v1/batches?limit=0")).contains("'limit' must be a whole number");
        }
    }

    @Test
    void everyUploadKeepsItsOwnersNameInTheLibraryTheBatchAndEveryDownload() throws Exception {
        Path data = temp.resolve("names");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).start()) {
            Client admin = Client.withKey(server, "admin", server.token());
            Client anna = Client.person(server, admin, "anna", "editor");
            Path may = SharedMedia.template("woman_may_512.mp4");
            Path speech = SharedMedia.audio("en_short_5s.mp3");
            // Her name, as typed: Chinese, a slash and markup as characters (angle brackets as look-alikes).
            String hers = "主持人＜script＞alert(1)＜/script＞/第一版.mp4";
            String mine = admin.uploaded(may, "woman_may_512.mp4").path("id").asText();
            JsonNode annas = anna.uploaded(may, "主持人<script>alert(1)</script>/第一版.mp4");
            assertThat(annas.path("name").asText()).isEqualTo(hers);
            // The same bytes, two uploads, each under its owner's name (Anna also sees admin's as a shared template).
            assertThat(names(anna.ok("GET", "/api/v1/assets?kind=VIDEO", null))).contains(hers);
            assertThat(anna.ok("GET", "/api/v1/assets/" + annas.path("id").asText(), null).path("name").asText()).isEqualTo(hers);
            assertThat(admin.ok("GET", "/api/v1/assets/" + mine, null).path("name").asText()).isEqualTo("woman_may_512.mp4");

            String annaBatch = batch(anna, anna.uploaded(speech, "讲稿.mp3").path("id").asText(), "Winter / 冬季",
                    annas.path("id").asText());
            String adminBatch = batch(admin, admin.uploaded(speech, "en_short_5s.mp3").path("id").asText(), null, mine);
            JsonNode a = server.awaitBatch(annaBatch, Duration.ofMinutes(3));
            JsonNode b = server.awaitBatch(adminBatch, Duration.ofMinutes(3));
            assertThat(a.path("state").asText()).as(a.toString()).isEqualTo("SUCCEEDED");
            assertThat(b.path("state").asText()).as(b.toString()).isEqualTo("SUCCEEDED");
            assertThat(a.path("items").get(0).path("templateName").asText()).isEqualTo(hers);
            assertThat(a.path("audioName").asText()).isEqualTo("讲稿.mp3");
            assertThat(b.path("items").get(0).path("templateName").asText()).isEqualTo("woman_may_512.mp4");

            // Downloads: "<batch name> - <presenter>.mp4", safe on every system and reading the same.
            HttpResponse<byte[]> video = anna.bytes(a.path("items").get(0).path("result").asText() + "?download=1");
            assertThat(video.statusCode()).isEqualTo(200);
            String expected = "Winter ／ 冬季 - 主持人＜script＞alert(1)＜／script＞／第一版.mp4";
            assertThat(filename(video)).isEqualTo(expected);
            // Unnamed batch: the speech's name stands for it.
            assertThat(filename(admin.bytes(b.path("items").get(0).path("result").asText() + "?download=1")))
                    .isEqualTo("en_short_5s - woman_may_512.mp4");
            HttpResponse<byte[]> zip = anna.bytes("/api/v1/batches/" + annaBatch + "/zip");
            assertThat(filename(zip)).isEqualTo("Winter ／ 冬季.zip");
            assertThat(entries(zip.body())).containsExactly(expected);

            // The same bytes uploaded again under another name: the next batch uses it, the earlier keeps its own.
            assertThat(admin.uploaded(may, "演讲者.mp4").path("id").asText()).isEqualTo(mine);
            String again = batch(admin, b.path("audioId").asText(), "Again", mine);
            assertThat(admin.ok("GET", "/api/v1/batches/" + again, null).path("items").get(0).path("templateName").asText())
                    .isEqualTo("演讲者.mp4");
            assertThat(admin.ok("GET", "/api/v1/batches/" + adminBatch, null).path("items").get(0).path("templateName")
                    .asText()).isEqualTo("woman_may_512.mp4");
            // A long name keeps 255 characters and its extension, in the library as on the card.
            String longName = "长".repeat(300) + ".mp4";
            JsonNode longOne = anna.uploaded(SharedMedia.template("obama_256_silent.mp4"), longName);
            assertThat(longOne.path("name").asText()).hasSize(255).endsWith("长.mp4");
        }
    }

    @Test
    void aSpeechWithoutSoundIsRefusedAtUploadAndAtTheBatch() throws Exception {
        Path data = temp.resolve("sound");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start()) {
            Client admin = Client.withKey(server, "admin", server.token());
            Path silent = SharedMedia.template("obama_256_silent.mp4");
            HttpResponse<String> r = admin.upload(silent, "我的讲话.mp4", "?use=speech");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            JsonNode e = JSON.readTree(r.body()).path("error");
            assertThat(e.path("code").asText()).isEqualTo("NO_AUDIO_STREAM");
            assertThat(e.path("message").asText()).contains("我的讲话.mp4");
            assertThat(e.path("messageZh").asText()).contains("我的讲话.mp4").contains("音轨");
            // Nothing was kept.
            assertThat(admin.ok("GET", "/api/v1/assets", null).path("assets").size()).isZero();
            r = admin.upload(SharedMedia.audio("en_short_5s.mp3"), "speech.mp3", "?use=template");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("NO_VIDEO_STREAM");
            assertThat(admin.upload(silent, "x.mp4", "?use=everything").statusCode()).isEqualTo(400);

            // Sent without saying what it is for (a script), it is a template; as a batch's speech it is refused.
            String video = admin.uploaded(silent, "我的讲话.mp4").path("id").asText();
            HttpResponse<String> refused = admin.call("POST", "/api/v1/batches",
                    "{\"audioId\":\"" + video + "\",\"templateIds\":[\"" + video + "\"]}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("NO_AUDIO_STREAM").contains("我的讲话.mp4");
            assertThat(admin.ok("GET", "/api/v1/batches", null).path("total").asInt()).isZero();
        }
    }

    private static String batch(Client c, String audio, String name, String... templates) throws Exception {
        StringBuilder t = new StringBuilder();
        for (String id : templates) {
            t.append(t.length() == 0 ? "" : ",").append('"').append(id).append('"');
        }
        return c.ok("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + t + "]"
                + (name == null ? "" : ",\"name\":" + JSON.writeValueAsString(name)) + "}").path("id").asText();
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("batches").forEach(b -> out.add(b.path("id").asText()));
        return out;
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("assets").forEach(a -> out.add(a.path("name").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String error(Client c, String path) throws Exception {
        HttpResponse<String> r = c.call("GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body()).path("error");
        return e.path("message").asText() + " — " + e.path("hint").asText();
    }

    /** The name a download is saved under (RFC 6266 filename*). */
    private static String filename(HttpResponse<?> r) {
        String h = r.headers().firstValue("Content-Disposition").orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename\\*=UTF-8''([^;]+)").matcher(h);
        assertThat(m.find()).as(h).isTrue();
        return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private static List<String> entries(byte[] zip) throws Exception {
        List<String> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.add(e.getName());
            }
        }
        return out;
    }
}
