package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.testing.WebDriver;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page a team leaves open all day, in headless Chromium: History and the header follow
 * batches made elsewhere (a script) without a reload — they appear, run, finish and notify from
 * whatever page is open; the tab's title counts what runs; History finds by words and state, and
 * deletes several at once; the server stopped under the open page is said within 3 s and, once it
 * is back, the page is current within 10 s without a click; and at 360 px nothing scrolls sideways.
 */
class AllDayPageTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path temp;

    @Test
    void aPageLeftOpenFollowsEverythingRidesOutARestartAndFindsBatches() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).start(); WebDriver browser = WebDriver.start(1280, 900)) {
            String root = "http://127.0.0.1:" + server.port;
            Client script = Client.withKey(server, "script", server.token());
            String speech = script.uploaded(SharedMedia.audio("en_short_5s.mp3"), "Spring speech.mp3").path("id").asText();
            String may = script.uploaded(SharedMedia.template("woman_may_512.mp4"), "May.mp4").path("id").asText();
            browser.open(root + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en');");
            browser.open(root + "/?token=" + server.token());
            browser.await("document.querySelector('#audio-drop')", Duration.ofSeconds(10), () -> "no page");
            // Headless Chromium has no notifications: a stand-in records what the page would show.
            browser.script("window.shown = []; window.Notification = class { constructor(title, o) { window.shown.push(title + ' | '"
                    + " + (o && o.body)); } }; Notification.permission = 'granted';");
            browser.script("location.hash = '#/history';");
            browser.await("document.querySelector('.history-card .empty')", Duration.ofSeconds(10), () -> text(browser, "main"));

            // A script makes a batch: History shows it within a few seconds, runs it and ends it, no reload.
            browser.script("window.titles = new Set(); new MutationObserver(() => window.titles.add(document.title))"
                    + ".observe(document.querySelector('title'), {childList: true});");
            String first = make(script, speech, "Morning news", may);
            browser.await("document.querySelector('tr[data-id=\"" + first + "\"]')", Duration.ofSeconds(5),
                    () -> text(browser, "main"));
            browser.await("document.querySelector('tr[data-id=\"" + first + "\"] .chip.succeeded')", Duration.ofMinutes(2),
                    () -> text(browser, "main"));
            assertThat(text(browser, "tr[data-id=\"" + first + "\"] .counts")).isEqualTo("1 of 1 done");
            browser.await("window.shown.length === 1", Duration.ofSeconds(10), () -> script(browser, "return window.shown.join();"));
            assertThat(script(browser, "return window.shown[0];")).isEqualTo("HeyGem: Morning news is done | 1 of 1 done");
            assertThat(script(browser, "return [...window.titles].join(' / ');")).contains("(1 running) HeyGem");
            browser.await("document.title === 'HeyGem'", Duration.ofSeconds(5), () -> script(browser, "return document.title;"));

            // While on another page (Create), the next one ends: still told.
            browser.script("location.hash = '#/create';");
            browser.await("document.querySelector('#audio-drop')", Duration.ofSeconds(10), () -> "no create page");
            String second = make(script, speech, "Evening sale", may, may);
            browser.await("document.querySelector('[data-nav=history] .count')", Duration.ofSeconds(10),
                    () -> "no running count on History's tab");
            browser.await("window.shown.length === 2", Duration.ofMinutes(2), () -> script(browser, "return window.shown.join();"));
            assertThat(script(browser, "return window.shown[1];")).isEqualTo("HeyGem: Evening sale is done | 2 of 2 done");
            assertThat(server.get("/api/v1/batches/" + second).path("state").asText()).isEqualTo("SUCCEEDED");

            // The server stops under the open page: said within 3 s, the dot by the name goes red.
            browser.script("location.hash = '#/history';");
            browser.await("document.querySelectorAll('.history-card tbody tr').length === 2", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(server.stop(Duration.ofSeconds(30))).isZero();
            long stopped = System.nanoTime();
            browser.await("document.getElementById('offline')", Duration.ofSeconds(3), () -> "no offline banner within 3 s");
            assertThat(text(browser, "#offline")).contains("cannot be reached").contains("nothing is lost");
            assertThat(script(browser, "return document.body.className;")).contains("server-away");
            browser.screenshot(SHOTS.resolve("30-offline-en.png"));
            System.out.printf("offline banner after %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
            Thread.sleep(4000); // away a while: the page keeps looking, with back-off

            // Back: the page is current within 10 s, without a click; what changed while away shows.
            server.start();
            long back = System.nanoTime();
            String third = make(script, speech, "Made while the page was away", may);
            browser.await("!document.getElementById('offline') && document.querySelector('tr[data-id=\"" + third + "\"]')",
                    Duration.ofSeconds(10), () -> text(browser, "main"));
            System.out.printf("page current %d ms after the server's return%n", (System.nanoTime() - back) / 1_000_000);
            // The stream is live again: the next batch arrives by itself too.
            browser.await("document.querySelector('tr[data-id=\"" + third + "\"] .chip.succeeded')", Duration.ofMinutes(2),
                    () -> text(browser, "main"));

            // Finding: by words, by state; several deleted at once.
            browser.type("#history-search", "sale");
            browser.await("location.hash.includes('q=sale') && document.querySelectorAll('.history-card tbody tr').length === 1",
                    Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, ".history-card tbody")).contains("Evening sale");
            assertThat(text(browser, "#history-total")).isEqualTo("1–1 of 1");
            browser.screenshot(SHOTS.resolve("31-history-search-en.png"));
            browser.script("location.hash = '#/history?state=failed';");
            browser.await("document.querySelector('.history-card .empty')", Duration.ofSeconds(10), () -> text(browser, "main"));
            assertThat(text(browser, ".history-card .empty")).isEqualTo("No batch matches these filters.");
            browser.script("location.hash = '#/history';");
            browser.await("document.querySelectorAll('.history-card tbody tr').length === 3", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            browser.script("window.confirm = () => true;");
            browser.click("tr[data-id=\"" + first + "\"] .tick");
            browser.click("tr[data-id=\"" + second + "\"] .tick");
            browser.await("!document.querySelector('.bulk').hidden", Duration.ofSeconds(5), () -> "no bulk bar");
            assertThat(text(browser, ".bulk")).contains("2 selected").contains("Download 2 ZIP(s)").contains("Delete 2");
            browser.screenshot(SHOTS.resolve("32-history-bulk-en.png"));
            browser.click("#bulk-delete");
            browser.await("document.querySelectorAll('.history-card tbody tr').length === 1", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            assertThat(server.get("/api/v1/batches").path("total").asInt()).isEqualTo(1);

            // In Chinese, and on a phone: nothing scrolls sideways on any page.
            browser.click("#lang");
            browser.await("document.querySelector('#history-search').placeholder === '搜索名称'", Duration.ofSeconds(5),
                    () -> text(browser, "main"));
            browser.resize(360, 800);
            java.util.Map<String, String> own = new java.util.LinkedHashMap<>();
            own.put("history", ".history-card tbody tr");
            own.put("batch/" + third, ".batch .gallery .tile");
            own.put("create", "#audio-drop");
            own.put("live", "#live-url");
            own.put("accounts", "table.accounts");
            own.put("keys", "#key-name");
            for (java.util.Map.Entry<String, String> page : own.entrySet()) {
                browser.open(root + "/#/" + page.getKey());
                browser.await("document.querySelector('" + page.getValue() + "')", Duration.ofSeconds(10),
                        () -> page.getKey() + ": " + text(browser, "main"));
                Thread.sleep(300);
                assertThat(browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
                        .asInt()).as("sideways scroll on " + page.getKey() + " at 360 px").isLessThanOrEqualTo(0);
                browser.screenshot(SHOTS.resolve("33-" + page.getKey().replace('/', '-').replaceAll("-b_.*", "")
                        + "-360-zh.png"));
            }
            // The library's window too: names, details and buttons within it.
            browser.open(root + "/#/create");
            browser.await("document.querySelector('.grid2 .card:nth-child(2) .card-head button')", Duration.ofSeconds(10),
                    () -> text(browser, "main"));
            browser.click(".grid2 .card:nth-child(2) .card-head button");
            browser.await("document.querySelector('.library-row button.primary')", Duration.ofSeconds(10),
                    () -> text(browser, ".modal"));
            assertThat(browser.script("const b = document.querySelector('.modal-box'); return b.scrollWidth - b.clientWidth;")
                    .asInt()).as("sideways scroll in the library at 360 px").isLessThanOrEqualTo(0);
            assertThat(browser.script("const r = document.querySelector('.library-row button.primary').getBoundingClientRect();"
                    + " return r.right <= document.documentElement.clientWidth;").asBoolean()).as("Add within the screen").isTrue();
            browser.screenshot(SHOTS.resolve("33-library-360-zh.png"));
        }
    }

    private static String make(Client c, String audio, String name, String... templates) throws Exception {
        StringBuilder t = new StringBuilder();
        for (String id : templates) {
            t.append(t.length() == 0 ? "" : ",").append('"').append(id).append('"');
        }
        JsonNode made = c.ok("POST", "/api/v1/batches", "{\"audioId\":\"" + audio + "\",\"templateIds\":[" + t
                + "],\"name\":\"" + name + "\"}");
        return made.path("id").asText();
    }

    private static String text(WebDriver browser, String css) {
        return BrowserTest.text(browser, css);
    }

    private static String script(WebDriver browser, String js) {
        return BrowserTest.script(browser, js);
    }
}
