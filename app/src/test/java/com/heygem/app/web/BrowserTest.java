package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.jobs.StageHold;
import com.heygem.app.testing.MediaSources;
import com.heygem.app.testing.WebDriver;
import com.heygem.engine.testing.SharedMedia;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real page in headless Chromium against a real server: sign in with the logged address,
 * upload one audio and two templates, wait for their face checks, start, follow the batch to
 * 100 %, play a result, download the ZIP and find two playable videos; screenshots of every page
 * in English and Chinese go to {@code target/screenshots/}. While the batch renders, the page and
 * the API are timed.
 */
class BrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path temp;

    @Test
    void aUserMakesTwoVideosInTheBrowser() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        // The batch cancelled while it renders is held there by the test hook until the cancel comes.
        try (ServerProcess server = new ServerProcess(data).property(StageHold.PROPERTY, "rendering@Cancel me").start();
                WebDriver browser = WebDriver.start(1280, 1000)) {
            String root = "http://127.0.0.1:" + server.port;
            // A wrong token opens no session: the page asks for the token.
            browser.open(root + "/?token=wrong");
            browser.await("document.querySelector('.signin form')", Duration.ofSeconds(10), () -> "no sign-in form");
            browser.await("!document.querySelector('.signin .error').hidden", Duration.ofSeconds(5), () -> "no word on the bad token");
            assertThat(browser.script("return location.search;").asText()).isEmpty();
            browser.script("localStorage.setItem('heygem.lang', 'en');");
            browser.open(root + "/?token=" + server.token());
            browser.await("document.querySelector('#audio-drop input[type=file]')", Duration.ofSeconds(10),
                    () -> "the create page did not load");
            browser.screenshot(SHOTS.resolve("1-create-empty-en.png"));

            browser.type("#audio-drop input[type=file]", SharedMedia.audio("en_short_5s.mp3").toAbsolutePath().toString());
            browser.type("#template-drop input[type=file]", SharedMedia.template("woman_may_512.mp4").toAbsolutePath()
                    + "\n" + SharedMedia.template("obama_256_silent.mp4").toAbsolutePath());
            browser.await("document.querySelector('#audio-list audio') && document.querySelectorAll('#template-list .check .score').length === 2"
                    + " && !document.querySelector('#start').disabled", Duration.ofSeconds(120), () -> text(browser, "#template-list"));
            browser.screenshot(SHOTS.resolve("2-create-ready-en.png"));

            browser.script("const n = document.querySelector('#batch-name'); n.value = 'Spring campaign';"
                    + " n.dispatchEvent(new Event('input'));");
            // Headless Chromium has no notifications: a stand-in records what the page would show.
            browser.script("window.shown = []; window.Notification = class { constructor(title, o) { window.shown.push(title + ' | '"
                    + " + (o && o.body)); } }; Notification.permission = 'granted'; Notification.requestPermission ="
                    + " () => Promise.resolve('granted');");
            browser.click("#start");
            browser.await("location.hash.startsWith('#/batch/')", Duration.ofSeconds(20), () -> "no batch page");
            // Record whether the whole batch's time left is ever shown (renders last seconds only).
            browser.await("document.querySelector('.overall span')", Duration.ofSeconds(10), () -> "no counter");
            browser.script("window.sawLeft = false; const c = document.querySelector('.overall span');"
                    + " new MutationObserver(() => { if (c.textContent.includes('left')) window.sawLeft = true; })"
                    + ".observe(c, {subtree: true, childList: true, characterData: true});");
            browser.await("document.querySelector('.batch h1') && document.querySelector('.batch h1').textContent === 'Spring campaign'",
                    Duration.ofSeconds(10), () -> text(browser, ".batch"));
            String batch = browser.script("return location.hash.substring(8);").asText();
            browser.await("document.querySelector('.item.running')", Duration.ofSeconds(60), () -> text(browser, ".items"));
            browser.screenshot(SHOTS.resolve("3-batch-running-en.png"));

            // With a batch rendering, the page and the API still answer quickly.
            long[] page = time(server, "/", 40);
            long[] batchApi = time(server, "/api/v1/batches/" + batch, 40);
            System.out.printf("latency while rendering (ms): page p50 %d p95 %d max %d; batch API p50 %d p95 %d max %d%n",
                    page[0], page[1], page[2], batchApi[0], batchApi[1], batchApi[2]);
            assertThat(page[1]).as("page p95 ms").isLessThan(200);
            assertThat(batchApi[1]).as("batch API p95 ms").isLessThan(200);

            browser.await("document.querySelectorAll('.gallery .tile').length === 2 && document.querySelector('.overall strong').textContent === '100%'",
                    Duration.ofMinutes(4), () -> text(browser, ".batch"));
            browser.screenshot(SHOTS.resolve("4-batch-done-en.png"));
            assertThat(browser.script("return window.sawLeft;").asBoolean()).as("the batch's time left was shown").isTrue();
            assertThat(browser.script("return window.shown.join('\\n');").asText()).as("notifications")
                    .isEqualTo("HeyGem: Spring campaign is done | 2 of 2 done");
            assertThat(text(browser, ".gallery")).contains("woman_may_512.mp4").contains("obama_256_silent.mp4")
                    .doesNotContain(".flv");

            browser.click(".gallery .tile");
            double seconds = browser.await("(v => v && v.duration > 0 ? v.duration : null)(document.querySelector('video.player'))",
                    Duration.ofSeconds(20), () -> "the video did not load").asDouble();
            assertThat(seconds).isBetween(4.0, 6.5);
            // The sync judge's reading under the player, beside natural footage's.
            assertThat(text(browser, ".modal .sync")).matches("Lip sync: (on time|mouth \\d+ frames? (late|early))"
                    + " · match -?[0-9.]+ \\(natural footage 0\\.[0-9]+\\)|Lip sync: cannot be judged.*");
            browser.screenshot(SHOTS.resolve("5-player-en.png"));
            // Before and after side by side, and frame by frame.
            browser.script("const v = document.querySelector('.compare video:not(.before)'); v.pause(); v.currentTime = 1.0;");
            browser.click(".modal .row button:nth-child(3)"); // Compare with the template
            browser.await("(b => b && b.readyState >= 1 && b.duration > 0)(document.querySelector('.compare.side video.before'))",
                    Duration.ofSeconds(20), () -> "no template beside the result");
            browser.click(".modal .row button:nth-child(2)"); // one frame on
            double now = browser.await("(v => v.seeking ? null : v.currentTime)(document.querySelector('.compare video:not(.before)'))",
                    Duration.ofSeconds(5), () -> "no step").asDouble();
            assertThat(now).isCloseTo(1.04, org.assertj.core.data.Offset.offset(0.02));
            browser.screenshot(SHOTS.resolve("5b-compare-en.png"));
            browser.script("document.querySelector('.modal-close').click();");

            // "Download all" with the browser's own session cookie.
            Path zip = download(browser, server, "a[href$=\"/zip\"]", temp.resolve("all.zip"));
            List<Path> videos = ResultFiles.unzip(zip, temp.resolve("unzipped"));
            assertThat(videos).hasSize(2);
            for (Path v : videos) {
                ResultFiles.assertPlayable(v, 4.0, 6.5);
            }

            browser.open(root + "/#/history");
            browser.await("document.querySelector('table.history:not(.workers) tbody tr')", Duration.ofSeconds(10), () -> "no history");
            assertThat(text(browser, "table.history:not(.workers) tbody")).contains("Spring campaign").contains("en_short_5s.mp3");
            browser.screenshot(SHOTS.resolve("6-history-en.png"));
            browser.open(root + "/#/logs");
            browser.await("document.querySelector('pre.log').textContent.includes('rendered')", Duration.ofSeconds(10),
                    () -> "no log");
            // The log box ends inside the window (it once ended 57 px below it, hiding the newest lines).
            assertThat(browser.script("const r = document.querySelector('pre.log').getBoundingClientRect();"
                    + " return innerHeight - r.bottom;").asDouble()).as("room below the log box, px").isBetween(0.0, 80.0);
            // Who did what: this browser's sign-in and the batch it made.
            browser.await("document.querySelector('table.audit') && document.querySelector('table.audit').textContent"
                    + ".includes('Created a batch')", Duration.ofSeconds(10), () -> text(browser, "main"));
            // Named as people know it: the batch's name (its id only on hover).
            assertThat(text(browser, "table.audit")).contains("Signed in").contains("admin").contains("Spring campaign")
                    .doesNotContain(batch);
            browser.screenshot(SHOTS.resolve("7-logs-en.png"));
            browser.script("document.querySelector('table.audit').scrollIntoView();");
            browser.screenshot(SHOTS.resolve("7b-activity-en.png"));
            browser.script("window.scrollTo(0, 0);");
            browser.await("document.querySelector('table.workers tbody') && document.querySelector('table.workers tbody').textContent"
                    + ".includes('Idle')", Duration.ofSeconds(10), () -> text(browser, "main"));

            // The same pages in Chinese.
            browser.click("#lang");
            browser.await("document.querySelector('[data-nav=create]').textContent === '创建'", Duration.ofSeconds(5),
                    () -> "no Chinese");
            // The page draws the workers again in the new language: wait for that, do not look at once.
            browser.await("document.querySelector('table.workers tbody') && document.querySelector('table.workers tbody')"
                    + ".textContent.includes('空闲')", Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.await("document.querySelector('table.audit').textContent.includes('创建批次')", Duration.ofSeconds(10),
                    () -> text(browser, "table.audit"));
            browser.screenshot(SHOTS.resolve("8-logs-zh.png"));
            browser.open(root + "/#/history");
            browser.await("document.querySelector('table.history:not(.workers) tbody tr')", Duration.ofSeconds(10), () -> "no history");
            assertThat(text(browser, "table.history:not(.workers) thead")).contains("时间");
            browser.screenshot(SHOTS.resolve("9-history-zh.png"));
            browser.open(root + "/#/batch/" + batch);
            browser.await("document.querySelectorAll('.gallery .tile').length === 2", Duration.ofSeconds(10), () -> "no batch");
            assertThat(text(browser, ".batch")).contains("已完成");
            browser.screenshot(SHOTS.resolve("10-batch-done-zh.png"));
            browser.open(root + "/#/create");
            browser.await("document.querySelector('#audio-drop')", Duration.ofSeconds(10), () -> "no create page");
            assertThat(text(browser, "main")).contains("语音");
            browser.screenshot(SHOTS.resolve("11-create-zh.png"));

            // Reuse both files from the library, start, cancel the running item, retry it, then delete the batch.
            browser.click(".grid2 .card:nth-child(1) .card-head button");
            browser.await("document.querySelector('.library-row button.primary')", Duration.ofSeconds(10), () -> "no audio library");
            browser.click(".library-row button.primary");
            browser.click(".modal-close"); // in Batch mode the library stays open for more speeches
            browser.click(".grid2 .card:nth-child(2) .card-head button");
            browser.await("document.querySelectorAll('.library-row button.primary').length === 2", Duration.ofSeconds(10),
                    () -> "no template library");
            // Search narrows the library to one presenter.
            browser.type(".library-tools .search", "may");
            browser.await("document.querySelectorAll('.library-row').length === 1", Duration.ofSeconds(10),
                    () -> text(browser, ".library"));
            assertThat(text(browser, ".library")).contains("woman_may_512.mp4").doesNotContain("obama");
            browser.screenshot(SHOTS.resolve("12-library-zh.png"));
            browser.click(".library-row button.primary");
            browser.click(".modal-close");
            browser.await("document.querySelectorAll('#template-list .upload').length === 1 && !document.querySelector('#start').disabled",
                    Duration.ofSeconds(30), () -> text(browser, "main"));
            browser.script("const n = document.querySelector('#batch-name'); n.value = 'Cancel me';"
                    + " n.dispatchEvent(new Event('input'));");
            browser.click("#start");
            browser.await("location.hash.startsWith('#/batch/') && location.hash.substring(8) !== arguments[0]".replace("arguments[0]",
                    "'" + batch + "'"), Duration.ofSeconds(20), () -> "no second batch");
            String second = browser.script("return location.hash.substring(8);").asText();
            browser.await("document.querySelector('.item.running .item-actions button')", Duration.ofSeconds(60),
                    () -> text(browser, ".items"));
            // Cancelled while the hook holds it at 'rendering' (its first frames exist), not before: an item
            // cancelled earlier would leave the hook to hold its retry, which nothing then releases.
            server.awaitOutput(StageHold.HELD, Duration.ofSeconds(60));
            // Watch the row: once cancelled it must never show "running" again (a late progress report
            // used to flip it back for up to half a second).
            browser.script("window.flipped = false; window.seenCanceled = false;"
                    + " new MutationObserver(() => { if (document.querySelector('.item.canceled')) window.seenCanceled = true;"
                    + " else if (window.seenCanceled && document.querySelector('.item.running')) window.flipped = true; })"
                    + ".observe(document.querySelector('.items'), {subtree: true, childList: true, attributes: true});");
            browser.click(".item.running .item-actions button"); // 取消
            browser.await("document.querySelector('.item.canceled')", Duration.ofSeconds(10), () -> text(browser, ".items"));
            Thread.sleep(1500); // the render notices its cancel within 0.5 s: any late report has come by now
            assertThat(browser.script("return window.flipped;").asBoolean()).as("a cancelled item showed Running again").isFalse();
            assertThat(server.get("/api/v1/batches/" + second).path("items").get(0).path("state").asText()).isEqualTo("CANCELED");
            // From here the event stream is dead (a proxy that holds it, say): the page must notice the
            // silence and follow the retried render by polling.
            browser.script("window.EventSource = class { constructor() { this.readyState = 1; } addEventListener() {}"
                    + " close() {} }; window.EventSource.CLOSED = 2; window.heygemEvents.reconnect();");
            browser.await("document.querySelector('.item.canceled .item-actions button')", Duration.ofSeconds(10),
                    () -> text(browser, ".items"));
            browser.click(".item.canceled .item-actions button"); // 重试
            browser.await("document.querySelectorAll('.gallery .tile').length === 1", Duration.ofMinutes(2),
                    () -> text(browser, ".batch") + "\nthe server says: " + itemOf(server, second));
            assertThat(server.get("/api/v1/batches/" + second).path("items").get(0).path("attempts").asInt()).isEqualTo(2);
            browser.open(root + "/#/history");
            browser.await("document.querySelectorAll('table.history:not(.workers) tbody tr').length === 2", Duration.ofSeconds(10),
                    () -> "history");
            browser.script("window.confirm = () => true;");
            browser.click("table.history:not(.workers) tbody tr:first-child .danger");
            browser.await("document.querySelectorAll('table.history:not(.workers) tbody tr').length === 1", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(server.raw(server.authorized("/api/v1/batches/" + second).build()).statusCode()).isEqualTo(404);

            // History pictures the presenters; the first batch runs again with another speech.
            assertThat(browser.script("return document.querySelectorAll('table.history:not(.workers) .faces img').length;")
                    .asInt()).isEqualTo(2);
            browser.open(root + "/#/batch/" + batch);
            browser.await("document.querySelector('.card-head .actions button')", Duration.ofSeconds(10), () -> text(browser, ".batch"));
            browser.click(".card-head .actions button"); // 换一段语音再生成
            browser.await("location.hash === '#/create' && document.querySelectorAll('#template-list .upload').length === 2"
                    + " && !document.querySelector('#audio-list .upload')", Duration.ofSeconds(20), () -> text(browser, "main"));
            assertThat(text(browser, "#start-why")).contains("语音");
            assertThat(browser.script("return document.querySelector('#batch-name').value;").asText()).contains("Spring campaign");
        }
    }

    @Test
    void theCreatePageLeavesOutWhatCannotWorkMergesDuplicatesSaysWhyAndSurvivesAReload() throws Exception {
        Path data = temp.resolve("guard");
        Files.createDirectories(data);
        Path slides = com.heygem.engine.testing.TestMedia.clip(temp.resolve("slides.mp4"), 320, 240, 25, 2);
        Path text = Files.writeString(temp.resolve("notes.mp4"), "not a video\n".repeat(50));
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start();
                WebDriver browser = WebDriver.start(1280, 1000)) {
            String root = "http://127.0.0.1:" + server.port;
            browser.open(root + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en'); localStorage.removeItem('heygem.draft');");
            browser.open(root + "/?token=" + server.token());
            browser.await("document.querySelector('#audio-drop input[type=file]')", Duration.ofSeconds(10), () -> "no page");
            assertThat(text(browser, "#start-why")).contains("Add the speech");
            browser.type("#audio-drop input[type=file]", SharedMedia.audio("en_short_5s.mp3").toAbsolutePath().toString());
            browser.type("#template-drop input[type=file]", SharedMedia.template("woman_may_512.mp4").toAbsolutePath()
                    + "\n" + slides.toAbsolutePath());
            // The pattern has no face: marked, left out, and Start says so but stays usable for the other.
            browser.await("document.querySelector('.upload.left-out') && !document.querySelector('#start').disabled"
                    + " && document.querySelectorAll('#template-list .check .score').length === 1",
                    Duration.ofSeconds(90), () -> text(browser, "main"));
            assertThat(text(browser, "#start-why")).contains("1 video(s) without a usable face are left out");
            assertThat(text(browser, "#start")).isEqualTo("Start");
            // The same presenter again, under its own name: merged, with a word.
            browser.type("#template-drop input[type=file]", SharedMedia.template("woman_may_512.mp4").toAbsolutePath().toString());
            browser.await("document.querySelector('#toast:not([hidden])') && document.querySelector('#toast').textContent"
                    + ".includes('already in the list')", Duration.ofSeconds(30), () -> text(browser, "#toast"));
            assertThat(browser.script("return document.querySelectorAll('#template-list .upload').length;").asInt())
                    .isEqualTo(2);
            // No face at all: the render would fail the same way, so "include anyway" is not offered.
            assertThat(browser.script("return !!document.querySelector('.upload.left-out .include');").asBoolean()).isFalse();
            // A reload keeps the choice. A real reload: opening the same page with another hash would only
            // re-render it, and the old page would be typed into while the new one was being drawn (once
            // a "stale element" failure); the mark is gone only from a new page.
            browser.script("window.beforeReload = true; location.reload();");
            browser.await("!window.beforeReload && document.querySelectorAll('#template-list .upload').length === 2"
                    + " && document.querySelector('#audio-list .upload') && document.querySelector('.upload.left-out')"
                    + " && document.querySelector('#start').textContent === 'Start'", Duration.ofSeconds(20),
                    () -> text(browser, "main"));
            // A failed upload blocks Start and says why.
            browser.type("#template-drop input[type=file]", text.toAbsolutePath().toString());
            browser.await("document.querySelector('#template-list .upload-body > .bad:not(.check)') && document.querySelector('#start').disabled",
                    Duration.ofSeconds(30), () -> text(browser, "main"));
            assertThat(text(browser, "#start-why")).contains("1 upload(s) failed");
            browser.screenshot(SHOTS.resolve("14-create-guards-en.png"));
            browser.click("#lang");
            browser.await("document.querySelector('#start-why').textContent.includes('上传失败')", Duration.ofSeconds(5),
                    () -> text(browser, "#start-why"));
            browser.screenshot(SHOTS.resolve("15-create-guards-zh.png"));

            // Two speeches with the same presenters: one batch each, named after its speech.
            browser.click("#template-list .upload:last-child .remove");
            browser.type("#audio-drop input[type=file]", SharedMedia.audio("zh_poem_5s.wav").toAbsolutePath().toString());
            browser.await("document.querySelector('#start-why').textContent.includes('2 段语音') && !document.querySelector('#start').disabled",
                    Duration.ofSeconds(30), () -> text(browser, "#start-why"));
            // Not urgent: low priority, shown in the history.
            browser.script("const p = document.querySelector('#priority'); p.value = 'low';"
                    + " p.dispatchEvent(new Event('change'));");
            browser.click("#start");
            browser.await("location.hash === '#/history' && document.querySelectorAll('table.history:not(.workers) tbody tr').length === 2",
                    Duration.ofSeconds(20), () -> text(browser, "main"));
            assertThat(text(browser, "table.history:not(.workers) tbody")).contains("zh_poem_5s.wav").contains("en_short_5s.mp3");
            assertThat(browser.script("return document.querySelectorAll('table.history:not(.workers) .chip.priority.low').length;")
                    .asInt()).isEqualTo(2);
            assertThat(text(browser, "table.history:not(.workers) tbody")).contains("↓ 低");
            for (JsonNode b : server.get("/api/v1/batches").path("batches")) {
                assertThat(b.path("priority").asText()).isEqualTo("low");
            }
            browser.open(root + "/#/create");
            browser.await("document.querySelector('#priority')", Duration.ofSeconds(10), () -> "create");
            assertThat(browser.script("return document.querySelector('#priority').value;").asText())
                    .as("urgent once is not urgent for the next batch").isEqualTo("normal");

            // A phone's width: everything fits, nothing scrolls sideways, names are whole.
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String template = server.upload(SharedMedia.template("woman_may_512.mp4")).path("id").asText();
            server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template + "\"]}");
            browser.resize(360, 800);
            // Each page by what only it has (the page before it has a "main section" too).
            java.util.Map<String, String> own = java.util.Map.of("create", "#audio-drop", "history",
                    "table.history:not(.workers)", "logs", "pre.log");
            for (String page : new String[] {"create", "history", "logs"}) {
                browser.open(root + "/#/" + page);
                browser.await("document.querySelector(\"" + own.get(page) + "\")", Duration.ofSeconds(10), () -> page);
                Thread.sleep(500);
                assertThat(browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
                        .asInt()).as("sideways scroll on " + page + " at 360 px").isLessThanOrEqualTo(0);
                browser.screenshot(SHOTS.resolve("16-" + page + "-360-zh.png"));
            }
            // And a wide screen.
            browser.resize(2560, 1440);
            browser.open(root + "/#/history");
            browser.await("document.querySelector('main section')", Duration.ofSeconds(10), () -> "history");
            assertThat(browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
                    .asInt()).as("sideways scroll at 2560 px").isLessThanOrEqualTo(0);
            browser.screenshot(SHOTS.resolve("17-history-2560-zh.png"));

            // The server goes away: the page says it cannot reach it (not the sign-in form).
            assertThat(server.stop(Duration.ofSeconds(30))).isZero();
            browser.script("location.hash = '#/create';");
            browser.await("document.querySelector('main').textContent.includes('无法连接服务器')", Duration.ofSeconds(15),
                    () -> text(browser, "main"));
            assertThat(browser.script("return !!document.querySelector('.signin');").asBoolean()).isFalse();
        }
    }

    @Test
    void aFullDiskIsShownOnThePageAndAnUploadIsRefusedInPlainWords() throws Exception {
        Path data = temp.resolve("full");
        Files.createDirectories(data);
        // A reserve no disk has: the server is "full" from the start.
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_STORAGE_RESERVE_BYTES", "1000T").start();
                WebDriver browser = WebDriver.start(1280, 900)) {
            String root = "http://127.0.0.1:" + server.port;
            browser.open(root + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en');");
            browser.open(root + "/?token=" + server.token());
            browser.await("document.querySelector('#condition')", Duration.ofSeconds(10), () -> "no storage banner");
            assertThat(text(browser, "#condition")).contains("nearly full").contains("queue is paused")
                    .contains("Nothing already accepted is lost");
            browser.type("#audio-drop input[type=file]", SharedMedia.audio("en_short_5s.mp3").toAbsolutePath().toString());
            browser.await("document.querySelector('#audio-list .bad')", Duration.ofSeconds(20), () -> text(browser, "#audio-list"));
            assertThat(text(browser, "#audio-list")).contains("nearly full");
            browser.screenshot(SHOTS.resolve("13-disk-full-en.png"));
            browser.click("#lang");
            browser.await("document.querySelector('#condition').textContent.includes('磁盘')", Duration.ofSeconds(5),
                    () -> text(browser, "#condition"));
            // What was already on screen is worded again in the new language, with no English left in it.
            browser.await("document.querySelector('#audio-list .bad') && document.querySelector('#audio-list .bad')"
                    + ".textContent.includes('磁盘空间不足')", Duration.ofSeconds(5), () -> text(browser, "#audio-list"));
            assertThat(text(browser, "#audio-list .bad")).doesNotContain("nearly full").doesNotContain("Upload failed");
        }
    }

    @Test
    void theLibraryIsManagedAndEveryMessageNamesTheUsersFileInTheirLanguage() throws Exception {
        Path data = temp.resolve("library");
        Files.createDirectories(data);
        Path slides = com.heygem.engine.testing.TestMedia.clip(temp.resolve("slides.mp4"), 320, 240, 25, 2);
        Path quiet = com.heygem.engine.testing.TestMedia.ffmpeg(temp.resolve("quiet.wav"), "-f", "lavfi", "-i",
                "anullsrc=r=16000:cl=mono", "-t", "4");
        Path served = Files.createDirectories(temp.resolve("served"));
        Files.copy(SharedMedia.audio("en_short_5s.mp3"), served.resolve("speech.mp3"));
        // No workers: a batch stays queued, so the presenter in it is "in use".
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0")
                .env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1").start();
                WebDriver browser = WebDriver.start(1280, 1000); MediaSources sources = new MediaSources(served)) {
            String root = "http://127.0.0.1:" + server.port;
            String woman = server.upload(SharedMedia.template("woman_may_512.mp4")).path("id").asText();
            String faceless = server.upload(slides).path("id").asText();
            String speech = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            for (String id : new String[] {woman, faceless}) {
                awaitCheck(server, id);
            }
            String queued = server.post("/api/v1/batches", "{\"audioId\":\"" + speech + "\",\"templateIds\":[\"" + woman
                    + "\"],\"name\":\"Autumn sale\"}").path("id").asText();
            String gone = server.post("/api/v1/batches", "{\"audioId\":\"" + speech + "\",\"templateIds\":[\"" + woman
                    + "\"]}").path("id").asText();
            assertThat(server.raw(server.authorized("/api/v1/batches/" + gone).DELETE().build()).statusCode()).isEqualTo(200);

            browser.open(root + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en'); localStorage.setItem('heygem.mode', 'batch');"
                    + " localStorage.removeItem('heygem.draft');");
            browser.open(root + "/?token=" + server.token());
            browser.await("document.querySelector('#template-drop')", Duration.ofSeconds(10), () -> "no page");
            browser.script("window.confirm = () => true; window.prompt = () => 'old slides.mp4';");

            // The presenters' library shows each face check; the faceless one by its own name.
            browser.click(".grid2 .card:nth-child(2) .card-head button");
            browser.await("document.querySelectorAll('.library-row .check:not(.muted)').length === 2", Duration.ofSeconds(10),
                    () -> text(browser, ".library"));
            String row = ".library-row[data-id='" + faceless + "']";
            assertThat(text(browser, ".library-row[data-id='" + woman + "'] .check")).contains("Usability");
            assertThat(text(browser, row + " .check")).contains("slides.mp4").doesNotContainPattern("[0-9a-f]{16}")
                    .doesNotContain("upload-").doesNotContain(data.toString());
            awaitPictures(browser, ".library");
            browser.screenshot(SHOTS.resolve("18-library-en.png"));
            // Renamed, then deleted (nothing uses it).
            browser.click(row + " button.small:not(.danger)");
            browser.await("document.querySelector(arguments[0] + ' .name').textContent === 'old slides.mp4'".replace("arguments[0]",
                    "\"" + row + "\""), Duration.ofSeconds(10), () -> text(browser, ".library"));
            browser.click(row + " .danger");
            browser.await("!document.querySelector(\"" + row + "\")", Duration.ofSeconds(10), () -> text(browser, ".library"));
            // The presenter of a queued batch cannot be deleted: the message names the file and the batch.
            browser.click(".library-row[data-id='" + woman + "'] .danger");
            browser.await("document.querySelector('#toast').textContent.includes('is used by')", Duration.ofSeconds(10),
                    () -> text(browser, "#toast"));
            assertThat(text(browser, "#toast")).contains("woman_may_512.mp4").contains("Autumn sale").doesNotContain(queued)
                    .doesNotContain("b_");
            assertThat(server.get("/api/v1/assets/" + woman).path("name").asText()).isEqualTo("woman_may_512.mp4");
            browser.click(".modal-close");

            // The same in Chinese, and ticking rows adds just those.
            browser.click("#lang");
            browser.await("document.querySelector('[data-nav=create]').textContent === '创建'", Duration.ofSeconds(5), () -> "no Chinese");
            browser.click(".grid2 .card:nth-child(2) .card-head button");
            browser.await("document.querySelectorAll('.library-row .check:not(.muted)').length === 1", Duration.ofSeconds(10),
                    () -> text(browser, ".library"));
            assertThat(text(browser, ".library")).contains("可用度").doesNotContain("Usability");
            browser.click(".library-row[data-id='" + woman + "'] .danger");
            browser.await("document.querySelector('#toast').textContent.includes('正被')", Duration.ofSeconds(10),
                    () -> text(browser, "#toast"));
            assertThat(text(browser, "#toast")).contains("woman_may_512.mp4").contains("Autumn sale")
                    .doesNotContainPattern("[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}"); // no English sentence inside
            browser.click(".library-row[data-id='" + woman + "'] input.tick");
            browser.await("document.querySelector('#library-add').textContent.includes('选中的 1 个')", Duration.ofSeconds(5),
                    () -> text(browser, ".library-tools"));
            awaitPictures(browser, ".library");
            browser.screenshot(SHOTS.resolve("19-library-zh.png"));
            browser.click("#library-add");
            browser.await("!document.querySelector('.modal') || document.querySelector('.modal').hidden", Duration.ofSeconds(10),
                    () -> "the library stayed open");
            browser.await("document.querySelectorAll('#template-list .upload').length === 1", Duration.ofSeconds(10),
                    () -> text(browser, "#template-list"));

            // A speech by address: the server fetches it, then it is like an upload; a missing one says so plainly.
            browser.type("#audio-drop .address", sources.url("speech.mp3"));
            browser.click("#audio-drop .address-form button");
            browser.await("[...document.querySelectorAll('#audio-list .upload .name')].some(n => n.textContent === 'speech.mka')"
                    + " && document.querySelector('#audio-list audio')", Duration.ofSeconds(60), () -> text(browser, "#audio-list"));
            browser.type("#audio-drop .address", sources.url("missing/speech.m3u8"));
            browser.click("#audio-drop .address-form button");
            browser.await("document.querySelector('#audio-list .bad')", Duration.ofSeconds(60), () -> text(browser, "#audio-list"));
            assertThat(text(browser, "#audio-list .bad")).contains("获取失败").contains("missing/speech.m3u8").contains("404")
                    .doesNotContain("Server returned").doesNotContain("imp_");
            browser.screenshot(SHOTS.resolve("20b-create-address-zh.png"));
            browser.click("#audio-list .upload:last-child .remove");
            browser.click("#audio-list .upload:last-child .remove");

            // A speech without voice is flagged before Start, by its name, in the page's language.
            browser.type("#audio-drop input[type=file]", quiet.toAbsolutePath().toString());
            browser.await("document.querySelector('#audio-list .warning')", Duration.ofSeconds(30), () -> text(browser, "#audio-list"));
            assertThat(text(browser, "#audio-list .warning")).contains("quiet.wav").contains("听不到语音");
            assertThat(text(browser, "#start-why")).contains("几乎没有说话声");
            browser.click("#lang");
            browser.await("document.querySelector('#audio-list .warning').textContent.includes('no speech')", Duration.ofSeconds(5),
                    () -> text(browser, "#audio-list"));
            assertThat(text(browser, "#start-why")).contains("little or no voice");
            browser.screenshot(SHOTS.resolve("20-create-quiet-en.png"));

            // A queued video's log says it has not started; a deleted batch's page says it is gone, in plain words.
            browser.open(root + "/#/batch/" + queued);
            browser.await("document.querySelector('.item.queued .item-actions button:last-child')", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            browser.click(".item.queued .item-actions button:last-child");
            browser.await("document.querySelector('.modal') && document.querySelector('.modal').textContent.includes('has not started')",
                    Duration.ofSeconds(10), () -> text(browser, ".modal"));
            browser.click(".modal-close");
            browser.open(root + "/#/batch/" + gone);
            browser.await("document.querySelector('main .bad')", Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, "main")).contains("no such batch").doesNotContain(gone).doesNotContain("/api/");
            browser.click("#lang");
            browser.await("document.querySelector('main .bad') && document.querySelector('main .bad').textContent"
                    + ".includes('没有这个批次')", Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, "main")).doesNotContain(gone).doesNotContain("/api/").doesNotContain("batch");
            browser.screenshot(SHOTS.resolve("21-batch-gone-zh.png"));
        }
    }

    @Test
    void anAdminSetsUpThePageAddsAnEditorAndEachSeesWhatTheirRoleMay() throws Exception {
        Path data = Files.createDirectories(temp.resolve("accounts"));
        try (ServerProcess server = new ServerProcess(data).start(); WebDriver browser = WebDriver.start(1280, 900)) {
            String root = "http://127.0.0.1:" + server.port;
            java.util.regex.Matcher printed = java.util.regex.Pattern.compile("(#/setup/[0-9a-f]{48})").matcher(server.output());
            assertThat(printed.find()).as(server.output()).isTrue();
            browser.open(root + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en');");
            // The printed one-time link: admin chooses a password and is in.
            browser.open(root + "/" + printed.group(1));
            browser.await("document.querySelector('form.setup')", Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, ".signin")).contains("admin");
            browser.screenshot(SHOTS.resolve("24-setup-admin-en.png"));
            browser.type("form.setup input[name=password]", "correct horse battery");
            browser.type("form.setup input[name=again]", "correct horse batteri");
            browser.click("form.setup button");
            browser.await("!document.querySelector('.signin .error').hidden", Duration.ofSeconds(5), () -> text(browser, "main"));
            assertThat(text(browser, ".signin .error")).contains("differ");
            browser.script("document.querySelector('form.setup input[name=again]').value = '';");
            browser.type("form.setup input[name=again]", "correct horse battery");
            browser.click("form.setup button");
            browser.await("document.querySelector('#audio-drop') && !document.querySelector('#me').hidden", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(text(browser, "#me")).contains("admin");

            // Accounts: add an editor, get her link.
            browser.script("location.hash = '#/accounts';");
            browser.await("document.querySelector('table.accounts')", Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.type("#new-account", "Anna");
            browser.click(".add-account button");
            browser.await("document.querySelector('.setup-link input')", Duration.ofSeconds(10), () -> text(browser, "main"));
            String link = browser.script("return document.querySelector('.setup-link input').value;").asText();
            assertThat(link).startsWith(root + "/#/setup/");
            assertThat(text(browser, "table.accounts")).contains("anna").contains("Editor").contains("Waiting for set-up");
            browser.screenshot(SHOTS.resolve("25-accounts-en.png"));
            // Anna's quota: 30 minutes of video a day.
            browser.click("tr[data-user=anna] button.quota");
            browser.await("document.querySelector('.quota-form')", Duration.ofSeconds(5), () -> "no quota form");
            browser.type(".quota-form input[name=minutesPerDay]", "30");
            browser.click(".quota-form button");
            browser.await("document.querySelector('tr[data-user=anna]').textContent.includes('30 min/day')", Duration.ofSeconds(10),
                    () -> text(browser, "table.accounts"));
            browser.click("#lang");
            browser.await("document.querySelector('[data-nav=accounts]').textContent === '账号'", Duration.ofSeconds(5),
                    () -> "no Chinese");
            browser.await("document.querySelector('table.accounts') && document.querySelector('table.accounts').textContent"
                    + ".includes('等待设置密码')", Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.screenshot(SHOTS.resolve("26-accounts-zh.png"));

            // Signing out: the session ends; Anna's link lets her choose her password.
            signOut(browser);
            browser.screenshot(SHOTS.resolve("27-signin-zh.png"));
            browser.open(link);
            browser.await("document.querySelector('form.setup')", Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, ".signin")).contains("anna");
            browser.type("form.setup input[name=password]", "amber falcon meadow");
            browser.type("form.setup input[name=again]", "amber falcon meadow");
            browser.click("form.setup button");
            browser.await("document.querySelector('#audio-drop') && !document.querySelector('#me').hidden", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(text(browser, "#me")).contains("anna");
            assertThat(browser.script("return document.querySelector('[data-nav=accounts]').hidden;").asBoolean())
                    .as("an editor has no Accounts page").isTrue();
            assertThat(text(browser, "#quota-line")).contains("0 / 30");
            browser.screenshot(SHOTS.resolve("28-editor-create-zh.png"));

            // Signed out, a wrong password is said; the right one signs in.
            signOut(browser);
            browser.click("#lang");
            browser.type(".signin input[name=name]", "anna");
            browser.type(".signin input[name=token]", "not her password");
            browser.click(".signin button");
            browser.await("!document.querySelector('.signin .error').hidden", Duration.ofSeconds(5), () -> text(browser, "main"));
            assertThat(text(browser, ".signin .error")).contains("Wrong name or password");
            browser.screenshot(SHOTS.resolve("29-signin-wrong-en.png"));
            browser.script("document.querySelector('.signin input[name=token]').value = '';");
            browser.type(".signin input[name=token]", "amber falcon meadow");
            browser.click(".signin button");
            browser.await("document.querySelector('#audio-drop') && document.querySelector('#me').textContent.includes('anna')",
                    Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(browser.script("return [...document.querySelectorAll('#priority option')].map(o => o.value).join();")
                    .asText()).as("high priority is for admins").isEqualTo("normal,low");

            // Anna makes an API key for her scripts: shown once, then only its first characters.
            browser.script("location.hash = '#/keys';");
            browser.await("document.querySelector('#key-name')", Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.type("#key-name", "nightly import");
            browser.click(".add-account button");
            browser.await("document.querySelector('#new-key')", Duration.ofSeconds(10), () -> text(browser, "main"));
            String key = browser.script("return document.querySelector('#new-key').value;").asText();
            assertThat(key).startsWith("hg_");
            assertThat(server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/session"))
                    .header("Authorization", "Bearer " + key).build()).body()).contains("\"name\":\"anna\"");
            browser.screenshot(SHOTS.resolve("32-keys-en.png"));
            browser.open(root + "/#/keys");
            browser.await("document.querySelector('table.keys')", Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, "main")).doesNotContain(key).contains(key.substring(0, 7));

            // A viewer: sees only what is shared with him, and changes nothing.
            java.util.regex.Matcher vic = java.util.regex.Pattern.compile("#/setup/[0-9a-f]{48}").matcher(server.post(
                    "/api/v1/users", "{\"name\":\"vic\",\"role\":\"viewer\"}").path("setupLink").asText());
            assertThat(vic.find()).isTrue();
            String audio = server.upload(SharedMedia.audio("en_short_5s.mp3")).path("id").asText();
            String template = server.upload(SharedMedia.template("obama_256_silent.mp4")).path("id").asText();
            String shared = server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                    + "\"],\"name\":\"Spring campaign\"}").path("id").asText();
            server.post("/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[\"" + template
                    + "\"],\"name\":\"Not for Vic\"}");
            server.send(server.authorized("/api/v1/batches/" + shared + "/shares").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"users\":[\"vic\"]}")).build(), 200);
            server.awaitBatch(shared, Duration.ofMinutes(2));
            signOut(browser);
            browser.open(root + "/" + vic.group());
            browser.await("document.querySelector('form.setup')", Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.type("form.setup input[name=password]", "copper lantern hill");
            browser.type("form.setup input[name=again]", "copper lantern hill");
            browser.click("form.setup button");
            browser.await("document.querySelector('table.history') && !document.querySelector('#me').hidden", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(text(browser, "table.history tbody")).contains("Spring campaign").doesNotContain("Not for Vic");
            assertThat(browser.script("return document.querySelector('[data-nav=create]').hidden"
                    + " && document.querySelector('[data-nav=logs]').hidden;").asBoolean()).isTrue();
            assertThat(browser.script("return document.querySelectorAll('table.history .danger').length;").asInt()).isZero();
            browser.screenshot(SHOTS.resolve("30-viewer-history-en.png"));
            browser.open(root + "/#/batch/" + shared);
            browser.await("document.querySelectorAll('.gallery .tile').length === 1", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(browser.script("return document.querySelectorAll('.card-head .actions button').length;").asInt())
                    .as("a viewer has nothing to change").isZero();
            assertThat(text(browser, ".batch")).contains("by admin").contains("shared with vic");
            browser.click("#lang");
            browser.await("document.querySelector('.batch') && document.querySelector('.batch').textContent.includes('已共享给 vic')",
                    Duration.ofSeconds(10), () -> text(browser, ".batch"));
            browser.screenshot(SHOTS.resolve("31-viewer-batch-zh.png"));
            // The template is not his to see: Compare says so (it once showed a black box).
            browser.click(".gallery .tile");
            browser.await("document.querySelector('.modal .row button:nth-child(3)')", Duration.ofSeconds(10), () -> "no player");
            browser.click(".modal .row button:nth-child(3)");
            browser.await("document.querySelector('#toast:not([hidden])') && document.querySelector('#toast').textContent"
                    + ".includes('未与您共享')", Duration.ofSeconds(10), () -> text(browser, "#toast"));
            assertThat(browser.script("return !!document.querySelector('.compare.side');").asBoolean()).isFalse();
            browser.script("document.querySelector('.modal-close').click();");
            // A viewer has no Create page: the address sends him to History.
            browser.script("location.hash = '#/accounts';");
            browser.await("location.hash === '#/history' && document.querySelector('[data-nav=history].on')", Duration.ofSeconds(10),
                    () -> script(browser, "return location.hash;"));

            // Signed out: no navigation to pages that only ask to sign in.
            signOut(browser);
            assertThat(browser.script("return getComputedStyle(document.querySelector('header nav')).visibility;").asText())
                    .isEqualTo("hidden");
            // Anna, an editor, uses admin's template but may not rename or delete it; her own she may.
            browser.type(".signin input[name=name]", "anna");
            browser.type(".signin input[name=token]", "amber falcon meadow");
            browser.click(".signin button");
            // Signed in where the address points (History, Vic's last page); then to Create.
            browser.await("document.querySelector('#me').textContent.includes('anna')", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            browser.script("location.hash = '#/create';");
            browser.await("document.querySelector('#template-drop')", Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.type("#template-drop input[type=file]", SharedMedia.template("woman_may_512.mp4").toAbsolutePath().toString());
            browser.await("document.querySelector('#template-list .upload .muted')", Duration.ofSeconds(30), () -> text(browser, "main"));
            browser.click(".grid2 .card:nth-child(2) .card-head button");
            browser.await("document.querySelectorAll('.library-row').length === 2", Duration.ofSeconds(10),
                    () -> text(browser, ".library"));
            assertThat(browser.script("return document.querySelectorAll(\".library-row[data-id='" + template
                    + "'] .danger\").length;").asInt()).as("admin's template: no Delete for anna").isZero();
            assertThat(browser.script("return document.querySelectorAll('.library-row .danger').length;").asInt())
                    .as("her own upload: Delete").isEqualTo(1);
            browser.script("document.querySelector('.modal-close').click();");
            // Disabled, she is told why when she signs in (not "wrong password").
            signOut(browser);
            server.send(server.authorized("/api/v1/users/" + userId(server, "anna")).header("Content-Type",
                    "application/json").method("PATCH",
                    java.net.http.HttpRequest.BodyPublishers.ofString("{\"disabled\":true}")).build(), 200);
            browser.type(".signin input[name=name]", "anna");
            browser.type(".signin input[name=token]", "amber falcon meadow");
            browser.click(".signin button");
            browser.await("!document.querySelector('.signin .error').hidden", Duration.ofSeconds(5), () -> text(browser, "main"));
            assertThat(text(browser, ".signin .error")).contains("已停用");
        }
    }

    private static String userId(ServerProcess server, String name) throws Exception {
        for (JsonNode u : server.get("/api/v1/users").path("users")) {
            if (u.path("name").asText().equals(name)) {
                return u.path("id").asText();
            }
        }
        throw new AssertionError("no account " + name);
    }

    @Test
    void aLiveStreamPlaysInThePageWhileItIsMadeAndIsRecorded() throws Exception {
        Path data = Files.createDirectories(temp.resolve("live"));
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_IMPORT_ALLOW_HOSTS", "127.0.0.1").start();
                WebDriver browser = WebDriver.start(1280, 1000);
                MediaSources sources = new MediaSources(Files.createDirectories(temp.resolve("nothing")))) {
            String root = "http://127.0.0.1:" + server.port;
            server.upload(SharedMedia.template("obama_256_silent.mp4"));
            String rtmp = sources.rtmp(SharedMedia.audio("en_jfk_11s.flac"), true);
            browser.open(root + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en'); localStorage.removeItem('heygem.liveUrl');");
            browser.open(root + "/?token=" + server.token());
            browser.script("location.hash = '#/live';");
            browser.await("document.querySelector('#live-url') && document.querySelectorAll('#live-template option').length === 1",
                    Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.type("#live-url", rtmp);
            browser.click("#live-start");
            // The page plays the HLS the server writes, while it writes it.
            browser.await("(v => v && v.currentTime > 2)(document.querySelector('#live-video'))", Duration.ofSeconds(60),
                    () -> text(browser, "#live-panel") + "\n" + script(browser, "const v = document.querySelector('#live-video');"
                            + " return v ? 'readyState ' + v.readyState + ', networkState ' + v.networkState + ', paused ' + v.paused"
                            + " + ', buffered ' + v.buffered.length + ', errors ' + JSON.stringify(window.liveErrors || []) : 'no video';"));
            assertThat(text(browser, "#live-state")).isEqualTo("Live");
            assertThat(text(browser, "#live-stats")).containsPattern("delay [0-9]+\\.[0-9]+ s").contains("source: live");
            browser.screenshot(SHOTS.resolve("22-live-en.png"));
            double latency = server.get("/api/v1/live").path("streams").get(0).path("stats").path("latencyMedian").asDouble();
            System.out.printf("live in the page: latency median %.2f s%n", latency);
            // At least the delay asked for; on a machine busy with other work it can be more (the
            // live bench measures it on an idle one: docs/performance.md), never a growing backlog.
            assertThat(latency).isBetween(0.9, 3.0);
            browser.click("#live-stop");
            browser.await("document.querySelector('#live-state').textContent === 'Ended' && document.querySelector('#live-panel a.button')",
                    Duration.ofSeconds(30), () -> text(browser, "#live-panel"));
            browser.click("#lang");
            browser.await("document.querySelector('#live-state') && document.querySelector('#live-state').textContent === '已结束'",
                    Duration.ofSeconds(10), () -> text(browser, "main"));
            browser.screenshot(SHOTS.resolve("23-live-ended-zh.png"));
            // The recording, with the browser's own session.
            Path recording = download(browser, server, "#live-panel a.button", temp.resolve("recording.mp4"));
            ResultFiles.assertPlayable(recording, 2.0, 120.0);
            // A second stream while one runs is refused, and a bad address is said plainly.
            HttpResponse<String> bad = server.raw(server.authorized("/api/v1/live").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"audioUrl\":\"file:///etc/passwd\",\"templateId\":\""
                            + server.get("/api/v1/assets?kind=VIDEO").path("assets").get(0).path("id").asText() + "\"}")).build());
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(bad.body()).contains("SOURCE_UNSUPPORTED");
        }
    }

    /** Waits until every picture inside {@code css} has loaded (a presenter's thumbnail is made on first ask). */
    private static void awaitPictures(WebDriver browser, String css) throws Exception {
        browser.await("[...document.querySelectorAll(arguments[0] + ' img')].every(i => i.complete && i.naturalWidth > 0)"
                .replace("arguments[0]", "'" + css + "'"), Duration.ofSeconds(20), () -> "pictures in " + css + " not loaded");
    }

    /** Waits until the face check of an upload has an answer. */
    private static void awaitCheck(ServerProcess server, String asset) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            String state = server.get("/api/v1/assets/" + asset).path("check").path("state").asText();
            if (state.equals("DONE") || state.equals("FAILED")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no face check of " + asset);
    }

    /** Signs out through the menu under one's name, and waits for the sign-in form. */
    private static void signOut(WebDriver browser) throws Exception {
        browser.click("#me");
        browser.await("document.querySelector('.me-menu')", Duration.ofSeconds(5), () -> "no menu");
        browser.click(".me-menu button");
        browser.await("document.querySelector('.signin form input[name=name]')", Duration.ofSeconds(10), () -> text(browser, "main"));
    }

    /** What the page shows at {@code css} (its inner text), or why it could not be read; for messages. */
    static String text(WebDriver browser, String css) {
        try {
            return browser.script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '(none)';", css)
                    .asText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** What the link at {@code css} downloads, fetched with the browser's own session cookie. */
    private static Path download(WebDriver browser, ServerProcess server, String css, Path to) throws Exception {
        String href = browser.script("return document.querySelector(arguments[0]).getAttribute('href');", css).asText();
        HttpResponse<Path> r = server.http().send(HttpRequest.newBuilder(server.uri(href))
                .header("Cookie", WebAuth.COOKIE + "=" + browser.cookie(WebAuth.COOKIE)).build(),
                HttpResponse.BodyHandlers.ofFile(to));
        assertThat(r.statusCode()).as(href).isEqualTo(200);
        return to;
    }

    /** The batch's first item as the server has it, and the server's last lines, for a failure's message. */
    private static String itemOf(ServerProcess server, String batch) {
        try {
            return server.get("/api/v1/batches/" + batch).path("items").get(0).toString() + "\nits last lines:\n"
                    + server.lastLines(40);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** What {@code js} answers as text, or why it failed; for messages. */
    static String script(WebDriver browser, String js) {
        try {
            return browser.script(js).asText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** p50, p95 and max in milliseconds of {@code n} authorised GETs. */
    private static long[] time(ServerProcess server, String path, int n) throws Exception {
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = server.raw(server.authorized(path).build());
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(200);
            Thread.sleep(50);
        }
        Arrays.sort(ms);
        return new long[] {ms[n / 2], ms[(int) Math.ceil(0.95 * n) - 1], ms[n - 1]};
    }
}
