package com.heygem.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.app.jobs.ItemState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir
    Path data;
    private Database db;
    private BatchStore store;
    private final Instant now = Instant.now();

    @BeforeEach
    void open() {
        db = Database.embedded(data.resolve("db"));
        store = new BatchStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String asset(String name, String kind, int bytes) throws Exception {
        Path f = data.resolve("uploads").resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, new byte[bytes]);
        return store.addAsset(String.format("%64s", name).replace(' ', '0'), kind, name,
                data.relativize(f).toString(), bytes, null);
    }

    /** A batch whose items all succeeded with results of {@code bytes}, created {@code daysAgo}. */
    private String finished(String audio, String template, int results, int bytes, int daysAgo) throws Exception {
        String b = store.createBatch(audio, java.util.Collections.nCopies(results, template), "{}", null);
        for (BatchStore.Item i : store.items(b)) {
            store.transition(i.id(), ItemState.QUEUED, ItemState.RUNNING);
            Path out = data.resolve("outputs").resolve(b).resolve(i.position() + ".mp4");
            Files.createDirectories(out.getParent());
            Files.write(out, new byte[bytes]);
            store.succeed(i.id(), data.relativize(out).toString());
        }
        age(b, daysAgo);
        return b;
    }

    private void age(String batch, int daysAgo) throws Exception {
        Timestamp then = Timestamp.from(now.minus(Duration.ofDays(daysAgo)));
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement u = c.prepareStatement("update batches set created_at = ? where id = ?")) {
                u.setTimestamp(1, then);
                u.setString(2, batch);
                u.executeUpdate();
            }
            try (PreparedStatement u = c.prepareStatement("update assets set last_used_at = ? where id in"
                    + " (select template_id from items where batch_id = ?)")) {
                u.setTimestamp(1, then);
                u.setString(2, batch);
                u.executeUpdate();
            }
        }
    }

    @Test
    void oldResultsAndUnusedUploadsGoButNothingARunningBatchNeeds() throws Exception {
        String audio = asset("speech.wav", "AUDIO", 100);
        String oldTemplate = asset("old.mp4", "VIDEO", 1000);
        String oldBatch = finished(audio, oldTemplate, 2, 5000, 40);
        String recentBatch = finished(audio, asset("recent.mp4", "VIDEO", 1000), 1, 5000, 2);
        String runningTemplate = asset("running.mp4", "VIDEO", 1000);
        String running = store.createBatch(audio, List.of(runningTemplate), "{}", null);
        store.transition(store.items(running).get(0).id(), ItemState.QUEUED, ItemState.RUNNING);
        age(running, 40); // old, but still running: untouchable

        Retention retention = new Retention(db.dataSource(), data);
        List<Retention.Candidate> plan = retention.plan(now, 30, 0);
        assertThat(plan).extracting(c -> data.relativize(c.file()).toString()).containsExactlyInAnyOrder(
                "outputs/" + oldBatch + "/0.mp4", "outputs/" + oldBatch + "/1.mp4", "uploads/old.mp4");
        // The dry run changed nothing.
        assertThat(data.resolve("outputs/" + oldBatch + "/0.mp4")).exists();

        assertThat(retention.apply(plan)).isEqualTo(2 * 5000 + 1000);
        assertThat(data.resolve("outputs/" + oldBatch + "/0.mp4")).doesNotExist();
        assertThat(data.resolve("uploads/old.mp4")).doesNotExist();
        assertThat(data.resolve("uploads/running.mp4")).exists();
        assertThat(data.resolve("uploads/speech.wav")).exists();
        assertThat(store.items(oldBatch)).extracting(BatchStore.Item::resultPath).containsOnlyNulls();
        assertThat(store.items(recentBatch).get(0).resultPath()).isNotNull();
        assertThat(retention.plan(now, 30, 0)).isEmpty();
    }

    @Test
    void overTheQuotaTheOldestFinishedResultsGoFirst() throws Exception {
        String audio = asset("speech.wav", "AUDIO", 100);
        String t = asset("t.mp4", "VIDEO", 100);
        String first = finished(audio, t, 1, 4000, 3);
        String second = finished(audio, t, 1, 4000, 2);
        String third = finished(audio, t, 1, 4000, 1);
        // 12,200 bytes in all; a quota of 9,000 needs one batch's result gone: the oldest.
        List<Retention.Candidate> plan = new Retention(db.dataSource(), data).plan(now, 0, 9000);
        assertThat(plan).extracting(c -> data.relativize(c.file()).toString())
                .containsExactly("outputs/" + first + "/0.mp4");
        assertThat(plan.get(0).reason()).contains("quota");
        assertThat(second).isNotEqualTo(third);
    }

    @Test
    void aFileTwoAccountsUploadedGoesOnceAndOnlyWhenNeitherUploadIsNeeded() throws Exception {
        String audio = asset("speech.wav", "AUDIO", 100);
        String admins = asset("shared.mp4", "VIDEO", 1000);
        String eves = store.addAsset("u_eve", String.format("%64s", "shared.mp4").replace(' ', '0'), "VIDEO", "mine.mp4",
                "uploads/shared.mp4", 1000, null, 0, 0);
        assertThat(eves).isNotEqualTo(admins);
        String running = store.createBatch(audio, List.of(eves), "{}", null);
        String item = store.items(running).get(0).id();
        store.transition(item, ItemState.QUEUED, ItemState.RUNNING);
        age(running, 40);
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement u = c.prepareStatement("update assets set last_used_at = ? where id = ?")) {
            u.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(40))));
            u.setString(2, admins);
            u.executeUpdate();
        }
        Retention retention = new Retention(db.dataSource(), data);
        assertThat(retention.plan(now, 30, 0)).as("Eve's render needs the file admin's old upload names too").isEmpty();

        store.transition(item, ItemState.RUNNING, ItemState.CANCELED);
        assertThat(retention.plan(now, 30, 0)).extracting(c -> data.relativize(c.file()).toString())
                .containsExactly("uploads/shared.mp4");
    }
}
