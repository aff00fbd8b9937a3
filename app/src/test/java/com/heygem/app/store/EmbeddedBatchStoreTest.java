package com.heygem.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBatchStoreTest extends BatchStoreContract {
    @TempDir
    Path data;
    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(Config.load(null, Map.of(), Map.of(Setting.DATA_DIR, data.toString())), () -> { });
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Override
    Database database() {
        return db;
    }

    @Test
    void theEmbeddedDatabaseIsAFileInTheDataDirectoryThatSurvivesARestart() {
        assertThat(db.isEmbedded()).isTrue();
        BatchStore s = new BatchStore(db.dataSource());
        String audio = s.addAsset("f".repeat(64), "AUDIO", "a.wav", "uploads/a.wav", 10, 1.0);
        String batch = s.createBatch(audio, java.util.List.of(audio), "{}", null);
        db.close();
        assertThat(data.resolve("db").resolve("heygem.mv.db")).exists();
        db = Database.embedded(data.resolve("db")); // migrations run again: nothing to do, nothing lost
        assertThat(new BatchStore(db.dataSource()).items(batch)).hasSize(1);
    }

    @Test
    void aNewDatabaseBesideResultsFromBeforeSaysTheOldOneIsMissing(@TempDir Path other) throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Database.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            java.nio.file.Files.createDirectories(other.resolve("outputs/b_old"));
            java.nio.file.Files.writeString(other.resolve("outputs/b_old/01-x.mp4"), "a result from before");
            Database.embedded(other.resolve("db")).close();
            assertThat(seen.list).anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("new, empty database") && e.getFormattedMessage().contains("outputs"));
            seen.list.clear();
            Database.embedded(other.resolve("db")).close(); // the same database again: nothing to say
            assertThat(seen.list).noneMatch(e -> e.getFormattedMessage().contains("new, empty database"));
        } finally {
            log.detachAppender(seen);
        }
    }
}
