package com.heygem.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.app.store.BatchStore;
import com.heygem.app.store.Database;
import com.heygem.app.store.FileNames;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real renders through the queue: two good templates and a corrupt one in one batch. */
class RenderItemRunnerTest {
    @TempDir
    Path data;

    private String upload(BatchStore store, Path file, String kind, String name) throws Exception {
        Path dir = data.resolve("uploads");
        Files.createDirectories(dir);
        Path copy = dir.resolve(name);
        Files.copy(file, copy);
        return store.addAsset(String.format("%64s", name).replace(' ', '0'), kind, name,
                data.relativize(copy).toString(), Files.size(copy), null);
    }

    /** Runs the batch through a one-worker queue with the real renderer until every item is finished. */
    private void runToTheEnd(Database db, BatchStore store, String batch, double timeoutFactor, double minTimeout)
            throws InterruptedException {
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(),
                data, MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        LipSyncRenderer renderer = new LipSyncRenderer(LipSyncRenderer.Settings.defaults(data.resolve("tmp")));
        RenderItemRunner runner = new RenderItemRunner(data, store, analyzer, renderer, timeoutFactor, minTimeout);
        try (BatchQueue q = new BatchQueue(db.dataSource(), store, runner, 1, Duration.ofSeconds(2))) {
            q.submit(batch);
            long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!store.items(batch).stream().allMatch(i -> i.state().isFinished()) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        }
    }

    @Test
    void aBatchRendersItsGoodTemplatesAndReportsTheBadOne() throws Exception {
        try (Database db = Database.embedded(data.resolve("db"))) {
            BatchStore store = new BatchStore(db.dataSource());
            String audio = upload(store, SharedMedia.audio("en_short_5s.mp3"), "AUDIO", "speech.mp3");
            List<String> templates = new ArrayList<>();
            templates.add(upload(store, SharedMedia.template("woman_may_512.mp4"), "VIDEO", "may.mp4"));
            Path corrupt = data.resolve("corrupt.mp4");
            byte[] head = Files.readAllBytes(SharedMedia.template("obama_256_silent.mp4"));
            Files.write(corrupt, java.util.Arrays.copyOf(head, 3000));
            templates.add(upload(store, corrupt, "VIDEO", "broken.mp4"));
            templates.add(upload(store, SharedMedia.template("obama_256_silent.mp4"), "VIDEO", "obama.mp4"));
            String batch = store.createBatch(audio, templates, "{}", null);

            runToTheEnd(db, store, batch, 10, 300);
            List<BatchStore.Item> items = store.items(batch);
            assertThat(items).extracting(BatchStore.Item::state)
                    .containsExactly(ItemState.SUCCEEDED, ItemState.FAILED, ItemState.SUCCEEDED);
            assertThat(items.get(1).errorCode()).isIn("CORRUPT_MEDIA", "NOT_MEDIA");
            assertThat(items.get(1).errorMessage()).contains("broken.mp4");
            for (int i : new int[] {0, 2}) {
                Path result = data.resolve(items.get(i).resultPath());
                assertThat(result.getFileName().toString()).isEqualTo(i == 0 ? "01-may.mp4" : "03-obama.mp4");
                MediaInfo info = MediaProbe.probe(result, MediaLimits.DEFAULT);
                assertThat(info.video().orElseThrow().codec()).isEqualTo("h264");
                assertThat(info.audio().orElseThrow().codec()).isEqualTo("aac");
                assertThat(items.get(i).percent()).isEqualTo(100);
                // The sync judge's reading of the mouths placed, kept with the result for the page.
                assertThat(items.get(i).syncConfidence()).as("judge's confidence").isNotNull().isBetween(-1.0, 1.0);
                assertThat(items.get(i).syncOffset()).isBetween(-SyncJudge.MAX_LAG, SyncJudge.MAX_LAG);
            }
            assertThat(items.get(1).syncConfidence()).as("a failed item has no reading").isNull();
            // Nothing half-written is left beside the results.
            try (var files = Files.list(data.resolve("outputs").resolve(batch))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("01-may.mp4",
                        "03-obama.mp4");
            }
        }
    }

    @Test
    void anItemPastItsTimeLimitFailsWithItsOwnCodeAndLeavesNoFile() throws Exception {
        try (Database db = Database.embedded(data.resolve("db"))) {
            BatchStore store = new BatchStore(db.dataSource());
            String audio = upload(store, SharedMedia.audio("en_jfk_11s.flac"), "AUDIO", "jfk.flac");
            String template = upload(store, SharedMedia.template("man_suit_vfr.mp4"), "VIDEO", "suit.mp4");
            String batch = store.createBatch(audio, List.of(template), "{}", null);
            // A limit of 0.3 s: far less than analysing and rendering 11 s takes.
            runToTheEnd(db, store, batch, 0.001, 0.3);
            BatchStore.Item item = store.items(batch).get(0);
            assertThat(item.state()).isEqualTo(ItemState.FAILED);
            assertThat(item.errorCode()).isEqualTo("ITEM_TIMEOUT");
            assertThat(item.errorMessage()).contains("suit.mp4");
            Path outputs = data.resolve("outputs").resolve(batch);
            if (Files.isDirectory(outputs)) {
                try (var files = Files.list(outputs)) {
                    assertThat(files).isEmpty();
                }
            }
        }
    }

    @Test
    void fileNamesAreMadeSafe() {
        assertThat(FileNames.stem("../../etc/passwd.mp4")).isEqualTo("etc_passwd");
        assertThat(FileNames.stem("<script>主播 1.mov")).isEqualTo("script_主播_1");
        assertThat(FileNames.stem(".mp4")).isEqualTo("mp4");
    }

    @Test
    void writeErrorsAreToldPlainlyWithoutFfmpegsCallNames() {
        assertThat(RenderItemRunner.plainWriteError("av_interleaved_write_frame() error -28 while writing interleaved"
                + " video packet.")).isEqualTo(new com.heygem.engine.error.Text("the disk is full", "磁盘已满"));
        assertThat(RenderItemRunner.plainWriteError("avio_open() error -13: Could not open file").en()).isEqualTo(
                "no permission to write there");
        assertThat(RenderItemRunner.plainWriteError("av_write_trailer() error -71").en()).isEqualTo(
                "the disk refused the write (error 71)");
        assertThat(RenderItemRunner.plainWriteError("avformat_write_header() failed").en()).doesNotContain("()");
    }
}
