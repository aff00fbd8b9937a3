package com.heygem.app.accounts;

import com.heygem.app.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * What each editor may use: storage (its uploads and its batches' results), minutes of video
 * submitted in any 24 hours (speech length × templates), and videos queued or rendering at once.
 * An account's own limits override the server's defaults (settings quota.*); 0 is no limit.
 * Admins have none. Usage is counted from the database when asked, so every node agrees.
 */
public final class Quotas {
    /** Stored for "no limit" (null stored: the default). */
    private static final long NONE = -1;
    static final Duration DAY = Duration.ofHours(24);

    /** Limits; 0: none. */
    public record Limits(long storageBytes, int minutesPerDay, int queuedItems) {
        public static final Limits NONE = new Limits(0, 0, 0);
    }

    /** What an account uses now. */
    public record Usage(long storageBytes, double minutesToday, int queuedItems) {
    }

    /** An account's own settings: null where the default applies. */
    public record Own(Long storageBytes, Integer minutesPerDay, Integer queuedItems) {
        /** In words, for the activity log: "storage 3 MB, 30 min a day, the default queue". */
        public String words() {
            return "storage " + (storageBytes == null ? "default" : storageBytes == 0 ? "no limit"
                    : Math.round(storageBytes / 1048576.0) + " MB") + ", " + (minutesPerDay == null ? "default minutes"
                    : minutesPerDay == 0 ? "no minute limit" : minutesPerDay + " min a day") + ", "
                    + (queuedItems == null ? "default queue" : queuedItems == 0 ? "no queue limit" : queuedItems + " queued");
        }
    }

    private final DataSource db;
    private final Path dataDir;
    private final Limits defaults;

    public Quotas(DataSource db, Path dataDir, Limits defaults) {
        this.db = db;
        this.dataDir = dataDir;
        this.defaults = defaults;
    }

    public Limits defaults() {
        return defaults;
    }

    /** The limits of an account: none for admins. */
    public Limits of(Account a) {
        if (a.role() == Role.ADMIN) {
            return Limits.NONE;
        }
        Own own = own(a.id());
        return new Limits(pick(own.storageBytes(), defaults.storageBytes()),
                (int) pick(own.minutesPerDay() == null ? null : own.minutesPerDay().longValue(), defaults.minutesPerDay()),
                (int) pick(own.queuedItems() == null ? null : own.queuedItems().longValue(), defaults.queuedItems()));
    }

    private static long pick(Long own, long otherwise) {
        return own == null ? otherwise : own == NONE ? 0 : own;
    }

    public Own own(String userId) {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select quota_storage_bytes, quota_minutes_day, quota_queued_items"
                        + " from users where id = ?")) {
            q.setString(1, userId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return new Own(null, null, null);
                }
                return new Own((Long) r.getObject(1, Long.class), (Integer) r.getObject(2, Integer.class),
                        (Integer) r.getObject(3, Integer.class));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read quotas", e);
        }
    }

    /** Sets an account's own limits: null for the default, 0 for none. */
    public void set(String userId, Own own) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("update users set quota_storage_bytes = ?, quota_minutes_day = ?,"
                        + " quota_queued_items = ? where id = ?")) {
            u.setObject(1, own.storageBytes() == null ? null : own.storageBytes() == 0 ? NONE : own.storageBytes());
            u.setObject(2, own.minutesPerDay() == null ? null : own.minutesPerDay() == 0 ? (int) NONE : own.minutesPerDay());
            u.setObject(3, own.queuedItems() == null ? null : own.queuedItems() == 0 ? (int) NONE : own.queuedItems());
            u.setString(4, userId);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not set quotas", e);
        }
    }

    public Usage usage(String userId) {
        try (Connection c = db.getConnection()) {
            long uploads = number(c, "select coalesce(sum(a.size_bytes), 0) from assets a where a.owner_id = ?"
                    + " and a.deleted_at is null", userId);
            // Results are measured on disk: the clean-up may have deleted some.
            long results = 0;
            try (PreparedStatement q = c.prepareStatement("select i.result_path from items i join batches b on"
                    + " b.id = i.batch_id where b.owner_id = ? and i.state = 'SUCCEEDED' and i.result_path is not null")) {
                q.setString(1, userId);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        results += size(dataDir.resolve(r.getString(1)));
                    }
                }
            }
            Usage work = work(c, userId);
            return new Usage(uploads + results, work.minutesToday(), work.queuedItems());
        } catch (SQLException e) {
            throw new StoreException("could not count what an account uses", e);
        }
    }

    /**
     * The minutes and queued videos of an account (storage 0), counted on {@code c} inside its
     * caller's transaction after taking the account's row lock: two batches of one account being
     * added at once are counted one after the other, so together they cannot pass a limit.
     */
    public Usage lockedWork(Connection c, String userId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select id from users where id = ? for update")) {
            lock.setString(1, userId);
            lock.executeQuery().close();
        }
        return work(c, userId);
    }

    private static Usage work(Connection c, String userId) throws SQLException {
        double seconds;
        try (PreparedStatement q = c.prepareStatement("select coalesce(sum(a.duration_seconds), 0) from items i join"
                + " batches b on b.id = i.batch_id join assets a on a.id = b.audio_id where b.owner_id = ?"
                + " and b.created_at > ?")) {
            q.setString(1, userId);
            q.setTimestamp(2, Timestamp.from(Instant.now().minus(DAY)));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                seconds = r.getDouble(1);
            }
        }
        long queued = number(c, "select count(*) from items i join batches b on b.id = i.batch_id where b.owner_id = ?"
                + " and i.state in ('QUEUED', 'RUNNING')", userId);
        return new Usage(0, seconds / 60, (int) queued);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // cleaned up
        }
    }

    private static long number(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, arg);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
