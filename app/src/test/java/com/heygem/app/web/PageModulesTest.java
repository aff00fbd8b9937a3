package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.testing.WebDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's pure modules (counts, format, the history query) run in the browser they are written
 * for, loaded as the page loads them: per-state counts, the percent of the work that will run, the
 * batch's time left, times said as estimates, which failures Retry can mend.
 */
class PageModulesTest {
    @TempDir
    Path temp;

    @Test
    void countsPercentTimeLeftAndWordsFromThePagesOwnModules() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        try (ServerProcess server = new ServerProcess(data).env("HEYGEM_WORKERS", "0").start();
                WebDriver browser = WebDriver.start(800, 600)) {
            browser.open("http://127.0.0.1:" + server.port + "/");
            browser.script("localStorage.setItem('heygem.lang', 'en');");
            browser.open("http://127.0.0.1:" + server.port + "/");
            browser.script("window.result = null; Promise.all([import('/js/counts.js'), import('/js/format.js'),"
                    + " import('/js/history.js'), import('/js/logs.js')]).then(([c, f, hs, logs]) => { const it = (state, extra) => Object.assign({ state }, extra);"
                    + " const none = () => null; const each = () => 20;"
                    + " window.result = {"
                    // two cancelled, one at 40 %: 40 % of the work that will run (it once read 80 %)
                    + " cancelled2running40: c.workPercent([it('CANCELED'), it('CANCELED'), it('RUNNING', { progress: 40 })]),"
                    + " cancelled2done: c.workPercent([it('CANCELED'), it('CANCELED'), it('SUCCEEDED')]),"
                    + " doneQueued: c.workPercent([it('SUCCEEDED'), it('QUEUED')]),"
                    + " failedOne: c.countsText(c.countItems([it('FAILED')])),"
                    + " mixed: c.countsText(c.countItems([it('SUCCEEDED'), it('RUNNING'), it('QUEUED'), it('CANCELED'), it('CANCELED')])),"
                    + " leftOneSlot: c.batchLeft([it('RUNNING', { etaSeconds: 30 }), it('QUEUED'), it('QUEUED')], each, 1),"
                    + " leftTwoSlots: c.batchLeft([it('RUNNING', { etaSeconds: 30 }), it('QUEUED'), it('QUEUED')], each, 2),"
                    + " leftUnknown: c.batchLeft([it('RUNNING', { etaSeconds: null }), it('QUEUED')], each, 1),"
                    + " leftNoWorker: c.batchLeft([it('QUEUED')], each, 0),"
                    + " leftNoExpectation: c.batchLeft([it('QUEUED')], none, 1),"
                    + " leftFinished: c.batchLeft([it('SUCCEEDED')], each, 1),"
                    + " rough3: f.roughly(3), rough47: f.roughly(47), rough98: f.roughly(98), rough3700: f.roughly(3700),"
                    + " duration59: f.duration(59.4), duration3725: f.duration(3725), bytes: f.bytes(3 * 1048576),"
                    + " retryNoFace: c.retryable(it('FAILED', { error: { code: 'NO_FACE' } })),"
                    + " retryDisk: c.retryable(it('FAILED', { error: { code: 'WRITE_FAILED' } })),"
                    + " retryCancelled: c.retryable(it('CANCELED')), retryDone: c.retryable(it('SUCCEEDED')),"
                    + " detailZh: logs.detailWords('3 template(s), high priority', 'zh'),"
                    + " changeZh: logs.detailWords('anna: quota: storage 3 MB, 30 min a day, default queue, role editor → viewer, disabled', 'zh'),"
                    + " detailEn: logs.detailWords('3 template(s), high priority', 'en'),"
                    + " query: hs.historyQuery({ q: ' spring ', state: 'active', owner: 'me', from: '', to: '', sort: 'name', page: 3 }, { name: 'anna' }),"
                    + " }; }).catch(e => { window.result = { error: String(e) }; });");
            JsonNode r = browser.await("window.result", Duration.ofSeconds(10), () -> "the modules did not load");
            assertThat(r.has("error")).as(r.toString()).isFalse();
            assertThat(r.path("cancelled2running40").asDouble()).isEqualTo(40.0);
            assertThat(r.path("cancelled2done").asDouble()).isEqualTo(100.0);
            assertThat(r.path("doneQueued").asDouble()).isEqualTo(50.0);
            assertThat(r.path("failedOne").asText()).isEqualTo("0 of 1 done · 1 failed");
            assertThat(r.path("mixed").asText()).isEqualTo("1 of 5 done · 1 running · 1 waiting · 2 cancelled");
            assertThat(r.path("leftOneSlot").asDouble()).isEqualTo(70.0);
            assertThat(r.path("leftTwoSlots").asDouble()).isEqualTo(35.0);
            assertThat(r.path("leftUnknown").isNull()).isTrue();
            assertThat(r.path("leftNoWorker").isNull()).isTrue();
            assertThat(r.path("leftNoExpectation").isNull()).isTrue();
            assertThat(r.path("leftFinished").isNull()).isTrue();
            assertThat(r.path("rough3").asText()).isEqualTo("5 s");
            assertThat(r.path("rough47").asText()).isEqualTo("45 s");
            assertThat(r.path("rough98").asText()).isEqualTo("1 min 40 s");
            assertThat(r.path("rough3700").asText()).isEqualTo("1 h 2 min");
            assertThat(r.path("duration59").asText()).isEqualTo("59 s");
            assertThat(r.path("duration3725").asText()).isEqualTo("1 h 2 min");
            assertThat(r.path("bytes").asText()).isEqualTo("3.0 MB");
            assertThat(r.path("retryNoFace").asBoolean()).isFalse();
            assertThat(r.path("retryDisk").asBoolean()).isTrue();
            assertThat(r.path("retryCancelled").asBoolean()).isTrue();
            assertThat(r.path("retryDone").asBoolean()).isFalse();
            // The activity log's details in Chinese: its fixed words translated, names and numbers kept.
            assertThat(r.path("detailZh").asText()).isEqualTo("3 个模板，优先级：高");
            assertThat(r.path("changeZh").asText()).isEqualTo("anna: 配额：存储 3 MB, 30 分钟/天, 默认排队数, 角色 编辑 → 查看者, 停用");
            assertThat(r.path("detailEn").asText()).isEqualTo("3 template(s), high priority");
            assertThat(r.path("query").asText()).isEqualTo("/api/v1/batches?limit=50&offset=100&sort=name&q=spring"
                    + "&state=active&owner=anna");
        }
    }
}
