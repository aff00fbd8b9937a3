package com.heygem.app.store;

import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database: PostgreSQL when {@code db.url} is set (several machines share it), otherwise an
 * embedded H2 file under the data directory, run in PostgreSQL mode so one set of migrations and
 * one dialect of SQL serve both. Migrated to the newest schema when opened.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /**
     * Every commit is written before it is acknowledged. H2's default writes half a second later
     * in the background: on a full disk it answered 2,000 inserts and lost them all (and the
     * tester's three acknowledged batches); with this the commit fails and the caller says so.
     */
    static final String H2_DURABLE = ";WRITE_DELAY=0";
    /**
     * Embedded: PostgreSQL syntax and lower-case names, as on a real server. H2 must not close the
     * database from its own shutdown hook: a stop closes it last, after the queue has finished or
     * handed back its item (with H2's hook, every stop logged "Database is already closed").
     */
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_ON_EXIT=FALSE" + H2_DURABLE;
    /** H2's code for "the database has been closed" (after a failed write it closes itself). */
    private static final int H2_CLOSED = 90098;
    /** How long a request waits for a free connection before it is answered "try again". */
    static final java.time.Duration CONNECTION_WAIT = java.time.Duration.ofSeconds(10);

    private final HikariDataSource pool;
    private final boolean embedded;

    private Database(HikariDataSource pool, boolean embedded) {
        this.pool = pool;
        this.embedded = embedded;
    }

    /**
     * @param noSpace told when a write of the embedded database failed because the disk is full
     */
    public static Database open(Config config, Runnable noSpace) {
        String url = config.text(Setting.DB_URL);
        if (url.isEmpty()) {
            return embedded(config.path(Setting.DATA_DIR).resolve("db"), noSpace);
        }
        return open(url, config.text(Setting.DB_USER), config.text(Setting.DB_PASSWORD), false, noSpace);
    }

    /** The embedded database in {@code dir} (created when missing). */
    public static Database embedded(Path dir) {
        return embedded(dir, () -> { });
    }

    private static Database embedded(Path dir, Runnable noSpace) {
        warnIfLost(dir);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("heygem") + H2_OPTIONS;
        return open(url, "heygem", "", true, noSpace);
    }

    /** A PostgreSQL (or other JDBC) server at {@code url}. */
    public static Database server(String url, String user, String password) {
        return open(url, user, password, false, () -> { });
    }

    /**
     * Whether {@code e} says the database cannot be reached just now (its server is down or
     * restarting, the pool waited in vain, or the embedded one closed itself after a failed
     * write), rather than that a statement was wrong: the request may be tried again.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException q && (q.getErrorCode() == H2_CLOSED
                    || (q.getSQLState() != null && q.getSQLState().startsWith("08")))) {
                return true;
            }
        }
        return false;
    }

    static Database open(String url, String user, String password, boolean embedded, Runnable noSpace) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setPoolName("heygem-db");
        hc.setMaximumPoolSize(embedded ? 4 : 8);
        // A request waits this long for a connection, then is told to try again (503), rather
        // than hanging for Hikari's default 30 s while the database server is away.
        hc.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        if (embedded) {
            // A write that failed (disk full) closes the embedded database; pooled connections to
            // it are dropped so the next one opens it again from its last good state.
            hc.setExceptionOverride(new SQLExceptionOverride() {
                @java.lang.Override
                public Override adjudicate(SQLException e) {
                    if (StorageGuard.isNoSpace(e)) {
                        noSpace.run();
                    }
                    boolean closed = false;
                    for (Throwable t = e; t != null && !closed; t = t.getCause()) {
                        closed = t instanceof SQLException q && (q.getErrorCode() == H2_CLOSED
                                || String.valueOf(q.getMessage()).contains("MVStoreException"));
                    }
                    return closed ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
                }
            });
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            if (embedded && causedByLock(e)) {
                String dir = url.substring("jdbc:h2:file:".length(), url.indexOf(';'));
                throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "data.dir", Path.of(dir).getParent().getParent()
                        + " is in use by another running HeyGem (its embedded database is locked); stop that one,"
                        + " choose another --data-dir, or let several nodes share PostgreSQL (db.url, docs/deployment.md)");
            }
            throw e;
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("database ready: {}", embedded ? "embedded, " + url.substring(0, url.indexOf(';'))
                : Config.maskUrl(url));
        return new Database(pool, embedded);
    }

    /**
     * A new embedded database beside uploads and results from before means the old one was
     * deleted or moved: its batches are unknown to the new one, which says so instead of starting
     * empty without a word.
     */
    private static void warnIfLost(Path dir) {
        if (java.nio.file.Files.exists(dir.resolve("heygem.mv.db"))) {
            return;
        }
        Path data = dir.toAbsolutePath().getParent();
        for (String kept : new String[] {"outputs", "uploads"}) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data.resolve(kept))) {
                if (files.findAny().isPresent()) {
                    LOG.warn("a new, empty database is being made in {}, but {} holds files from before: if the"
                            + " database was deleted or moved, stop HeyGem and put it back (its batches are not known"
                            + " to the new one); otherwise the clean-up removes those files in time", dir, data.resolve(kept));
                    return;
                }
            } catch (java.io.IOException e) {
                // no such folder: nothing from before
            }
        }
    }

    /** Whether H2 refused because another process holds the database file. */
    private static boolean causedByLock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("file is locked") || m.contains("Database may be already in use")) {
                return true;
            }
        }
        return false;
    }

    public DataSource dataSource() {
        return pool;
    }

    public boolean isEmbedded() {
        return embedded;
    }

    @Override
    public void close() {
        pool.close();
    }
}
