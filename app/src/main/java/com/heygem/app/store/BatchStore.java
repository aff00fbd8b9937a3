package com.heygem.app.store;

import com.heygem.app.jobs.ItemState;
import com.heygem.app.jobs.Priority;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Assets, batches and items in the database. Every state change goes through
 * {@link #transition}: checked against {@link ItemState}'s rules, then written only if the item
 * is still in the state the caller saw, so two nodes (or a worker and a cancel) can never both
 * win.
 */
public final class BatchStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private final DataSource db;

    public BatchStore(DataSource db) {
        this.db = db;
    }

    /** The database this store writes to (the worker list shares it). */
    public DataSource dataSource() {
        return db;
    }

    /**
     * One item as stored, with its template's file name.
     *
     * @param etaSeconds seconds left by the last progress report, or null when unknown
     * @param revision   counts every change of state: of two reports of one item, the one with the
     *                   higher revision is the newer, whatever order they arrive in
     */
    public record Item(String id, String batchId, String templateId, int position, ItemState state, String stage,
            double percent, String errorCode, String errorMessage, String resultPath, int attempts,
            String templateName, int framesDone, int framesTotal, Double etaSeconds, String errorMessageZh,
            int revision, Integer syncOffset, Double syncConfidence) {
    }

    /**
     * A batch as stored: its audio, render settings and creation time.
     *
     * @param name       the user's name for it, or null
     * @param webhookUrl where to POST when it finishes, or null for the default (setting notify.webhookUrl)
     * @param queueOrder its place in the queue among batches of its priority (the creation time, until moved)
     */
    public record Batch(String id, String audioId, String settingsJson, Instant createdAt, String name,
            String webhookUrl, Priority priority, Instant queueOrder, String ownerId, String audioName) {
    }

    /**
     * An uploaded file, stored once by content.
     *
     * @param durationSeconds null when unknown; width and height 0 for audio
     */
    public record Asset(String id, String kind, String fileName, String storedPath, long sizeBytes,
            Double durationSeconds, int width, int height, Instant createdAt) {
    }

    /**
     * A batch with its audio's name and item counts, as lists show it.
     *
     * @param runningPercent the sum of its running items' percents (with the counts, its progress)
     */
    public record BatchSummary(String id, Instant createdAt, String audioId, String audioName,
            java.util.Map<ItemState, Integer> counts, double runningPercent, String name, Priority priority, String ownerId) {
    }

    private static final String ASSET_COLUMNS = "id, kind, file_name, stored_path, size_bytes, duration_seconds,"
            + " width, height, created_at";

    private static Asset asset(ResultSet r) throws SQLException {
        return new Asset(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                (Double) r.getObject(6, Double.class), r.getInt(7), r.getInt(8), r.getTimestamp(9).toInstant());
    }

    public Optional<Batch> batch(String batchId) {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select b.id, b.audio_id, b.settings_json, b.created_at,"
                        + " b.name, b.webhook_url, b.priority, b.queue_order, b.owner_id, coalesce(b.audio_name, a.file_name)"
                        + " from batches b left join assets a on a.id = b.audio_id where b.id = ?")) {
            q.setString(1, batchId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(new Batch(r.getString(1), r.getString(2), r.getString(3),
                        r.getTimestamp(4).toInstant(), r.getString(5), r.getString(6), Priority.of(r.getInt(7)),
                        r.getTimestamp(8).toInstant(), r.getString(9), r.getString(10))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read batch " + batchId, e);
        }
    }

    public Optional<Asset> asset(String assetId) {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select " + ASSET_COLUMNS + " from assets where id = ?")) {
            q.setString(1, assetId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(asset(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read asset " + assetId, e);
        }
    }

    /** A running item's stage, percent, frames and ETA (the caller limits how often: at most once a second). */
    /**
     * The sync judge's reading of a running item's result, written before the item succeeds (so
     * the success that follows carries it to every page); a NaN confidence (it could not read) is
     * stored as none.
     */
    public void recordSync(String itemId, int offsetFrames, double confidence) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("update items set sync_offset = ?, sync_confidence = ?"
                        + " where id = ? and state = 'RUNNING'")) {
            boolean read = !Double.isNaN(confidence);
            if (read) {
                u.setInt(1, offsetFrames);
                u.setDouble(2, confidence);
            } else {
                u.setNull(1, java.sql.Types.INTEGER);
                u.setNull(2, java.sql.Types.DOUBLE);
            }
            u.setString(3, itemId);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not record the sync reading of " + itemId, e);
        }
    }

    public void progress(String itemId, String stage, double percent, int framesDone, int framesTotal, Double eta) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("update items set stage = ?, percent = ?, frames_done = ?,"
                        + " frames_total = ?, eta_seconds = ?, updated_at = ? where id = ? and state = 'RUNNING'")) {
            u.setString(1, stage);
            u.setDouble(2, Math.max(0, Math.min(100, percent)));
            u.setInt(3, framesDone);
            u.setInt(4, framesTotal);
            if (eta == null) {
                u.setNull(5, java.sql.Types.DOUBLE);
            } else {
                u.setDouble(5, eta);
            }
            u.setTimestamp(6, Timestamp.from(Instant.now()));
            u.setString(7, itemId);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not record progress of " + itemId, e);
        }
    }

    /** A new id: a prefix and 16 characters (80 random bits), safe in URLs and file names. */
    static String newId(String prefix) {
        char[] c = new char[16];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return prefix + new String(c);
    }

    /** {@link #addAsset(String, String, String, String, String, long, Double, int, int)} for the admin. */
    public String addAsset(String sha256, String kind, String fileName, String storedPath, long sizeBytes,
            Double durationSeconds) {
        return addAsset(ADMIN, sha256, kind, fileName, storedPath, sizeBytes, durationSeconds, 0, 0);
    }

    /**
     * The owner's upload of this content and kind, added when new. Each account's upload is its own
     * record (id, name, time), however many accounts uploaded the same bytes: only the stored file is
     * shared, below the records, so nothing about another account's upload is revealed or changed.
     *
     * @param kind {@code AUDIO} or {@code VIDEO}
     * @param storedPath where the bytes are, relative to the data directory: every record of this
     *        content is pointed there (the one file on disk for it)
     */
    public String addAsset(String ownerId, String sha256, String kind, String fileName, String storedPath,
            long sizeBytes, Double durationSeconds, int width, int height) {
        try (Connection c = db.getConnection()) {
            Sql.update(c, "update assets set stored_path = ? where sha256 = ? and kind = ? and stored_path <> ?", storedPath,
                    sha256, kind, storedPath);
            Optional<String> known = ownUpload(c, ownerId, sha256, kind);
            if (known.isPresent()) {
                // Uploaded again by its owner: back in the library if it had been deleted, and under the
                // name given this time (the card showed it; the next batch uses it; earlier ones keep theirs).
                Sql.update(c, "update assets set last_used_at = ?, deleted_at = null, file_name = ? where id = ?",
                        Instant.now(), fileName, known.get());
                return known.get();
            }
            String id = newId("a_");
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement u = c.prepareStatement("insert into assets (id, sha256, kind, file_name, stored_path,"
                    + " size_bytes, duration_seconds, created_at, last_used_at, width, height, owner_id)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                u.setString(1, id);
                u.setString(2, sha256);
                u.setString(3, kind);
                u.setString(4, fileName);
                u.setString(5, storedPath);
                u.setLong(6, sizeBytes);
                if (durationSeconds == null) {
                    u.setNull(7, java.sql.Types.DOUBLE);
                } else {
                    u.setDouble(7, durationSeconds);
                }
                u.setTimestamp(8, now);
                u.setTimestamp(9, now);
                u.setInt(10, width);
                u.setInt(11, height);
                u.setString(12, ownerId);
                u.executeUpdate();
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // The owner uploaded the same content twice at the same moment: the other one added it first.
                    Optional<String> winner = ownUpload(c, ownerId, sha256, kind);
                    if (winner.isPresent()) {
                        return winner.get();
                    }
                }
                throw e;
            }
            return id;
        } catch (SQLException e) {
            throw new StoreException("could not store the asset " + fileName, e);
        }
    }

    /** Whether {@code ownerId} has an upload of this content already (uploading it again takes no room). */
    public boolean hasUpload(String ownerId, String sha256) {
        return !Sql.strings(db, "could not read assets", "select id from assets where owner_id = ? and sha256 = ?", ownerId,
                sha256).isEmpty();
    }

    private static Optional<String> ownUpload(Connection c, String ownerId, String sha256, String kind)
            throws SQLException {
        return firstString(c, "select id from assets where sha256 = ? and kind = ? and owner_id = ?", sha256, kind,
                ownerId);
    }

    /** Where the bytes of this content are kept, if any record names them (the file may be gone). */
    public List<String> storedPaths(String sha256, String kind) {
        return Sql.strings(db, "could not read assets", "select distinct stored_path from assets where sha256 = ?"
                + " and kind = ?", sha256, kind);
    }

    /**
     * A batch of one audio and its templates, every item QUEUED, in one transaction. With an
     * idempotency key that was used before, the earlier batch's id is returned and nothing is added.
     */
    public String createBatch(String audioId, List<String> templateIds, String settingsJson, String idempotencyKey) {
        return createBatch(audioId, templateIds, settingsJson, idempotencyKey, null, Priority.NORMAL, ADMIN,
                Admission.ANYONE).id();
    }

    /**
     * What {@link #createBatch(String, List, String, String, String, Priority, String)} did.
     *
     * @param replayed    the key was used before: nothing was added, {@code id} is the earlier batch
     * @param sameRequest when replayed, whether the earlier batch was asked for with the same request hash
     */
    public record NewBatch(String id, boolean replayed, boolean sameRequest) {
    }

    /**
     * A check run inside a new batch's transaction, before anything is inserted (a quota): it
     * throws to refuse the batch. Being in the transaction makes it atomic with the insert.
     */
    public interface Admission {
        Admission ANYONE = c -> { };

        void check(Connection c) throws SQLException;
    }

    /**
     * {@link #createBatch(String, List, String, String)} remembering a hash of the request, so a
     * key used again for another request can be told apart. Safe when many requests with one key
     * arrive at once: one inserts, the others find its batch.
     *
     * @param admit checked in the insert's transaction; what it throws refuses the batch
     */
    public NewBatch createBatch(String audioId, List<String> templateIds, String settingsJson, String idempotencyKey,
            String requestHash, Priority priority, String ownerId, Admission admit) {
        try (Connection c = db.getConnection()) {
            if (idempotencyKey != null) {
                Optional<NewBatch> earlier = earlier(c, idempotencyKey, requestHash);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            try {
                return new NewBatch(insertBatch(c, audioId, templateIds, settingsJson, idempotencyKey, requestHash,
                        priority, ownerId, admit), false, true);
            } catch (SQLException e) {
                if (idempotencyKey != null && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // Another request with this key inserted first; its commit may still be on the way.
                    for (int tries = 0; tries < 40; tries++) {
                        Optional<NewBatch> winner = earlier(c, idempotencyKey, requestHash);
                        if (winner.isPresent()) {
                            return winner.get();
                        }
                        pause();
                    }
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not store the batch", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives a new batch its name and webhook (either may be null). */
    public void label(String batchId, String name, String webhookUrl) {
        update("could not name batch " + batchId, "update batches set name = ?, webhook_url = ? where id = ?", name,
                webhookUrl, batchId);
    }

    /** One statement with its arguments, in a connection of its own. @return rows changed */
    private int update(String failure, String sql, Object... args) {
        return Sql.update(db, failure, sql, args);
    }

    /**
     * Finished batches not yet told (with a webhook of their own, or any when a default exists),
     * due now. Each is leased for {@code lease} so that one node tells it.
     */
    public List<String> dueNotifications(boolean anyWithoutWebhook, Duration lease) {
        Timestamp now = Timestamp.from(Instant.now());
        List<String> due = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select b.id from batches b where b.notified_at is null"
                        + " and (b.webhook_url is not null or ?) and (b.notify_next is null or b.notify_next <= ?)"
                        + " and not exists (select 1 from items i where i.batch_id = b.id and i.state in ('QUEUED', 'RUNNING'))"
                        + " order by b.submitted");
                PreparedStatement take = c.prepareStatement("update batches set notify_next = ? where id = ?"
                        + " and notified_at is null and (notify_next is null or notify_next <= ?)")) {
            q.setBoolean(1, anyWithoutWebhook);
            q.setTimestamp(2, now);
            List<String> found = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    found.add(r.getString(1));
                }
            }
            for (String id : found) {
                take.setTimestamp(1, Timestamp.from(Instant.now().plus(lease)));
                take.setString(2, id);
                take.setTimestamp(3, now);
                if (take.executeUpdate() == 1) {
                    due.add(id);
                }
            }
            return due;
        } catch (SQLException e) {
            throw new StoreException("could not read batches to notify", e);
        }
    }

    /** The batch was told (or given up on): not again until it finishes again. */
    public void notified(String batchId) {
        update("could not record the notification of " + batchId, "update batches set notified_at = ?,"
                + " notify_attempts = 0, notify_next = null where id = ?", Instant.now(), batchId);
    }

    /** Telling failed once more. @return the failed attempts so far */
    public int notifyFailed(String batchId) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("update batches set notify_attempts = notify_attempts + 1"
                        + " where id = ?");
                PreparedStatement q = c.prepareStatement("select notify_attempts from batches where id = ?")) {
            u.setString(1, batchId);
            u.executeUpdate();
            q.setString(1, batchId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("could not record the notification of " + batchId, e);
        }
    }

    /** Tell the batch's end again at {@code next}. */
    public void notifyAt(String batchId, Instant next) {
        update("could not record the notification of " + batchId, "update batches set notify_next = ? where id = ?",
                next, batchId);
    }

    /** An item of the batch runs again: when the batch finishes again, it is told again. */
    public void renotify(String batchId) {
        update("could not update batch " + batchId, "update batches set notified_at = null, notify_attempts = 0,"
                + " notify_next = null where id = ?", batchId);
    }

    /** SQLSTATE of a unique-constraint violation, the same in H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static Optional<NewBatch> earlier(Connection c, String key, String requestHash) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select id, request_hash from batches where idempotency_key = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String stored = r.getString(2);
                return Optional.of(new NewBatch(r.getString(1), true,
                        requestHash == null || stored == null || stored.equals(requestHash)));
            }
        }
    }

    private static String insertBatch(Connection c, String audioId, List<String> templateIds, String settingsJson,
            String idempotencyKey, String requestHash, Priority priority, String ownerId, Admission admit)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            admit.check(c);
            String id = newId("b_");
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement b = c.prepareStatement("insert into batches (id, submitted, audio_id,"
                    + " settings_json, idempotency_key, created_at, request_hash, priority, queue_order, owner_id, audio_name)"
                    + " values (?, nextval('batch_order'), ?, ?, ?, ?, ?, ?, ?, ?, (select file_name from assets where id = ?))")) {
                b.setString(1, id);
                b.setString(2, audioId);
                b.setString(3, settingsJson);
                b.setString(4, idempotencyKey);
                b.setTimestamp(5, now);
                b.setString(6, requestHash);
                b.setInt(7, priority.value());
                b.setTimestamp(8, now);
                b.setString(9, ownerId);
                b.setString(10, audioId);
                b.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("insert into items (id, batch_id, template_id, position,"
                    + " state, updated_at, template_name) values (?, ?, ?, ?, ?, ?, (select file_name from assets where id = ?))")) {
                for (int p = 0; p < templateIds.size(); p++) {
                    i.setString(1, newId("i_"));
                    i.setString(2, id);
                    i.setString(3, templateIds.get(p));
                    i.setInt(4, p);
                    i.setString(5, ItemState.QUEUED.name());
                    i.setTimestamp(6, now);
                    i.setString(7, templateIds.get(p));
                    i.addBatch();
                }
                i.executeBatch();
            }
            // Used now: retention measures "unused for N days" from here.
            try (PreparedStatement u = c.prepareStatement("update assets set last_used_at = ? where id = ?")) {
                u.setTimestamp(1, now);
                u.setString(2, audioId);
                u.addBatch();
                for (String t : templateIds) {
                    u.setTimestamp(1, now);
                    u.setString(2, t);
                    u.addBatch();
                }
                u.executeBatch();
            }
            c.commit();
            return id;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The first column of the first row of a query with string parameters. */
    private static Optional<String> firstString(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setString(i + 1, args[i]);
            }
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        }
    }

    public List<Item> items(String batchId) {
        return query("where i.batch_id = ? order by i.position", batchId);
    }

    public Optional<Item> item(String itemId) {
        List<Item> found = query("where i.id = ?", itemId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Moves an item from {@code from} to {@code to}.
     *
     * @return false when the item is no longer in {@code from} (someone else changed it first)
     * @throws com.heygem.engine.error.HeyGemException INVALID_STATE when the rules forbid the change
     */
    public boolean transition(String itemId, ItemState from, ItemState to) {
        return transition(itemId, from, to, Admission.ANYONE);
    }

    /** {@link #transition(String, ItemState, ItemState)} after {@code admit}, in one transaction (a retry's quota). */
    public boolean transition(String itemId, ItemState from, ItemState to, Admission admit) {
        from.moveTo(to, itemId);
        String extra = to == ItemState.RUNNING ? ", attempts = attempts + 1"
                : to == ItemState.QUEUED ? ", error_code = null, error_message = null, error_message_zh = null, percent = 0, stage = null" : "";
        try (Connection c = db.getConnection()) {
            return Sql.inTransaction(c, t -> {
                admit.check(t);
                return Sql.update(t, "update items set state = ?, updated_at = ?, revision = revision + 1" + extra
                        + " where id = ? and state = ?", to.name(), Instant.now(), itemId, from.name()) == 1;
            });
        } catch (SQLException e) {
            throw new StoreException("could not update item " + itemId, e);
        }
    }

    /** RUNNING -> SUCCEEDED with the result's path (relative to the data directory). */
    public boolean succeed(String itemId, String resultPath) {
        return finish(itemId, ItemState.SUCCEEDED, null, null, null, resultPath);
    }

    /** RUNNING -> FAILED with the error's code and readable message. */
    public boolean fail(String itemId, String errorCode, String message) {
        return fail(itemId, errorCode, message, null);
    }

    /** RUNNING -> FAILED with the error's code and its message in English and in Chinese. */
    public boolean fail(String itemId, String errorCode, String message, String messageZh) {
        return finish(itemId, ItemState.FAILED, errorCode, message, messageZh, null);
    }

    private static String bounded(String s) {
        return s == null ? null : s.substring(0, Math.min(2000, s.length()));
    }

    private boolean finish(String itemId, ItemState to, String code, String message, String messageZh,
            String resultPath) {
        ItemState.RUNNING.moveTo(to, itemId);
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("update items set state = ?, updated_at = ?, revision = revision + 1,"
                        + " error_code = ?,"
                        + " error_message = ?, error_message_zh = ?, result_path = ?,"
                        + " percent = case when ? then 100 else percent end where id = ? and state = 'RUNNING'")) {
            u.setString(1, to.name());
            u.setTimestamp(2, Timestamp.from(Instant.now()));
            u.setString(3, code);
            u.setString(4, bounded(message));
            u.setString(5, bounded(messageZh));
            u.setString(6, resultPath);
            u.setBoolean(7, to == ItemState.SUCCEEDED);
            u.setString(8, itemId);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not update item " + itemId, e);
        }
    }

    /** Items of every batch in submission order, then position: the order the queue runs them. */
    public List<Item> allItems() {
        return query("join batches b on b.id = i.batch_id order by b.submitted, i.position");
    }

    /** Items changed after {@code since} (state, progress or result), oldest change first. */
    public List<Item> itemsChangedSince(Instant since) {
        return query("where i.updated_at > ? order by i.updated_at", Timestamp.from(since));
    }

    /** Uploaded files of one kind (or all when null), the most recently used first. */
    public List<Asset> assets(String kind, int limit) {
        return assets(kind, null, limit);
    }

    /** Uploads in the library (not deleted), most recently used first; {@code search} in the name, any case. */
    public List<Asset> assets(String kind, String search, int limit) {
        return assets(kind, search, limit, null);
    }

    /**
     * {@link #assets(String, String, int)} in the library of {@code user} (every video is: the
     * templates are shared; a recording only when it is in the user's own); all for null.
     */
    public List<Asset> assets(String kind, String search, int limit, String user) {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select " + ASSET_COLUMNS + " from assets where deleted_at is null"
                        + (kind == null ? "" : " and kind = ?") + (search == null ? "" : " and lower(file_name) like ?")
                        + (user == null ? "" : " and (kind = 'VIDEO' or owner_id = ?)")
                        + " order by last_used_at desc, id limit ?")) {
            int k = 1;
            if (kind != null) {
                q.setString(k++, kind);
            }
            if (search != null) {
                q.setString(k++, "%" + search.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%");
            }
            if (user != null) {
                q.setString(k++, user);
            }
            q.setInt(k, limit);
            List<Asset> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(asset(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not list assets", e);
        }
    }

    /** Gives an upload another name (as the library, messages and results show it). */
    public void renameAsset(String assetId, String name) {
        update("could not rename asset " + assetId, "update assets set file_name = ? where id = ?", name, assetId);
    }

    /** Names of the templates (or the speech) of unfinished items that use this upload. */
    public List<String> unfinishedUses(String assetId) {
        return Sql.strings(db, "could not read the uses of asset " + assetId, "select distinct b.id from items i join"
                + " batches b on b.id = i.batch_id where (i.template_id = ? or b.audio_id = ?) and i.state in"
                + " ('QUEUED', 'RUNNING')", assetId, assetId);
    }

    /** Takes an upload out of the library (its file is deleted by the caller). */
    /**
     * Takes an upload out of its owner's library. @return whether its stored file is now unused
     * (no other account's upload of the same bytes is in a library): the caller may delete it
     */
    public boolean deleteAsset(String assetId) {
        update("could not delete asset " + assetId, "update assets set deleted_at = ? where id = ?", Instant.now(), assetId);
        return Sql.strings(db, "could not read assets", "select o.id from assets a join assets o on o.stored_path ="
                + " a.stored_path and o.id <> a.id where a.id = ? and o.deleted_at is null", assetId).isEmpty();
    }

    /** One page of a batch list and how many batches match in all. */
    public record BatchPage(List<BatchSummary> batches, int total) {
    }

    /**
     * The batches {@code f} selects, in its order, one page of them, with their counts per item
     * state. A batch's state is derived from its item counts here as in {@link
     * com.heygem.app.jobs.BatchState.Counts#state()}, so filtering by it needs no stored state.
     */
    public BatchPage batches(BatchFilter f) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.viewer() != null) {
            where.append(" and (b.owner_id = ? or b.id in (select batch_id from batch_shares where user_id = ?))");
            args.add(f.viewer());
            args.add(f.viewer());
        }
        if (f.ownerId() != null) {
            where.append(" and b.owner_id = ?");
            args.add(f.ownerId());
        }
        if (f.from() != null) {
            where.append(" and b.created_at >= ?");
            args.add(f.from());
        }
        if (f.until() != null) {
            where.append(" and b.created_at < ?");
            args.add(f.until());
        }
        if (f.search() != null) {
            for (String word : f.search().toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
                String like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                where.append(" and (lower(coalesce(b.name, '')) like ? escape '\\' or lower(coalesce(b.audio_name, a.file_name)) like ? escape '\\'"
                        + " or exists (select 1 from items i2 join assets t on t.id = i2.template_id where i2.batch_id = b.id"
                        + " and lower(coalesce(i2.template_name, t.file_name)) like ? escape '\\'))");
                args.add(like);
                args.add(like);
                args.add(like);
            }
        }
        String having = states(f.states());
        String grouped = "select b.id, b.created_at, b.audio_id, coalesce(b.audio_name, a.file_name), b.name, b.priority, b.owner_id,"
                + " sum(case when i.state = 'QUEUED' then 1 else 0 end) q, sum(case when i.state = 'RUNNING' then 1 else 0 end) r,"
                + " sum(case when i.state = 'SUCCEEDED' then 1 else 0 end) s, sum(case when i.state = 'FAILED' then 1 else 0 end) f,"
                + " sum(case when i.state = 'CANCELED' then 1 else 0 end) c,"
                + " sum(case when i.state = 'RUNNING' then i.percent else 0 end) p"
                + " from batches b join assets a on a.id = b.audio_id join items i on i.batch_id = b.id" + where
                + " group by b.id, b.created_at, b.audio_id, b.audio_name, a.file_name, b.name, b.priority, b.owner_id,"
                + " b.submitted"
                + having;
        try (Connection c = db.getConnection()) {
            int total;
            try (PreparedStatement q = c.prepareStatement("select count(*) from (" + grouped + ") x")) {
                Sql.bind(q, args.toArray());
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    total = r.getInt(1);
                }
            }
            List<BatchSummary> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(grouped + " order by " + f.sort().sql + " limit ? offset ?")) {
                List<Object> all = new ArrayList<>(args);
                all.add(f.limit());
                all.add(f.offset());
                Sql.bind(q, all.toArray());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        java.util.Map<ItemState, Integer> counts = new java.util.EnumMap<>(ItemState.class);
                        counts.put(ItemState.QUEUED, r.getInt(8));
                        counts.put(ItemState.RUNNING, r.getInt(9));
                        counts.put(ItemState.SUCCEEDED, r.getInt(10));
                        counts.put(ItemState.FAILED, r.getInt(11));
                        counts.put(ItemState.CANCELED, r.getInt(12));
                        out.add(new BatchSummary(r.getString(1), r.getTimestamp(2).toInstant(), r.getString(3),
                                r.getString(4), counts, r.getDouble(13), r.getString(5), Priority.of(r.getInt(6)),
                                r.getString(7)));
                    }
                }
            }
            return new BatchPage(out, total);
        } catch (SQLException e) {
            throw new StoreException("could not list batches", e);
        }
    }

    /** A HAVING clause keeping batches in {@code states}, read from the item counts q, r, s, f, c. */
    private static String states(java.util.Set<com.heygem.app.jobs.BatchState> states) {
        if (states.isEmpty()) {
            return "";
        }
        String q = "sum(case when i.state = 'QUEUED' then 1 else 0 end)";
        String r = "sum(case when i.state = 'RUNNING' then 1 else 0 end)";
        String f = "sum(case when i.state = 'FAILED' then 1 else 0 end)";
        String c = "sum(case when i.state = 'CANCELED' then 1 else 0 end)";
        String finished = "sum(case when i.state in ('SUCCEEDED', 'FAILED', 'CANCELED') then 1 else 0 end)";
        List<String> any = new ArrayList<>();
        for (com.heygem.app.jobs.BatchState s : states) {
            any.add(switch (s) {
                case RUNNING -> r + " > 0 or (" + q + " > 0 and " + finished + " > 0)";
                case QUEUED -> r + " = 0 and " + q + " > 0 and " + finished + " = 0";
                case SUCCEEDED -> q + " = 0 and " + r + " = 0 and " + f + " = 0 and " + c + " = 0";
                case FAILED -> q + " = 0 and " + r + " = 0 and " + f + " > 0";
                case CANCELED -> q + " = 0 and " + r + " = 0 and " + f + " = 0 and " + c + " > 0";
            });
        }
        return " having (" + String.join(") or (", any) + ")";
    }

    /** A queued item with what orders it in the queue. */
    public record Queued(String itemId, Instant queueOrder, int position, Priority priority) {
    }

    /** QUEUED items for which the schedule holds no execution of {@code task}, oldest batch first. */
    public List<Queued> queuedWithoutExecution(String task) {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select i.id, b.queue_order, i.position, b.priority from items i"
                        + " join batches b on b.id = i.batch_id"
                        + " where i.state = 'QUEUED' and not exists (select 1 from scheduled_tasks t where t.task_name = ?"
                        + " and t.task_instance = i.id) order by b.submitted, i.position")) {
            q.setString(1, task);
            List<Queued> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Queued(r.getString(1), r.getTimestamp(2).toInstant(), r.getInt(3),
                            Priority.of(r.getInt(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not check the queue", e);
        }
    }

    /**
     * Changes a batch's priority, and that of its items' executions not yet taken by a worker, so
     * the scheduler takes them in the new order at its next look.
     *
     * @return false when there is no such batch
     */
    public boolean setPriority(String batchId, Priority priority, String task) {
        try (Connection c = db.getConnection()) {
            return Sql.inTransaction(c, x -> {
                try (PreparedStatement b = x.prepareStatement("update batches set priority = ? where id = ?");
                        PreparedStatement t = x.prepareStatement("update scheduled_tasks set priority = ? where task_name = ?"
                                + " and picked = false and task_instance in (select id from items where batch_id = ?)")) {
                    b.setInt(1, priority.value());
                    b.setString(2, batchId);
                    if (b.executeUpdate() == 0) {
                        return false;
                    }
                    t.setInt(1, priority.value());
                    t.setString(2, task);
                    t.setString(3, batchId);
                    t.executeUpdate();
                    return true;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not change the priority of " + batchId, e);
        }
    }

    /**
     * The batch just before ({@code earlier}) or after this one in the queue: of the same
     * priority, with an item still queued.
     */
    public Optional<String> queueNeighbour(String batchId, boolean earlier) {
        String cmp = earlier ? "<" : ">";
        try (Connection c = db.getConnection()) {
            return firstString(c, "select o.id from batches o join batches b on b.id = ? where o.priority = b.priority"
                    + " and o.id <> b.id and (o.queue_order " + cmp + " b.queue_order or (o.queue_order = b.queue_order"
                    + " and o.submitted " + cmp + " b.submitted)) and exists (select 1 from items i where i.batch_id = o.id"
                    + " and i.state = 'QUEUED') order by o.queue_order " + (earlier ? "desc" : "asc") + ", o.submitted "
                    + (earlier ? "desc" : "asc") + " limit 1", batchId);
        } catch (SQLException e) {
            throw new StoreException("could not read the queue", e);
        }
    }

    /**
     * Swaps two batches' places in the queue and gives their items' executions not yet taken the
     * times of their new place, in one transaction.
     *
     * @param time when an item is due, from its batch's place and its position
     */
    public void swapPlaces(String a, String b, String task, java.util.function.BiFunction<Instant, Integer, Instant> time) {
        try (Connection c = db.getConnection()) {
            Sql.inTransaction(c, x -> {
                Instant orderA = queueOrder(x, a);
                Instant orderB = queueOrder(x, b);
                if (orderA.equals(orderB)) {
                    // Made in the same instant (the submission order decided): the one that was first goes after.
                    boolean aFirst = firstString(x, "select id from batches where id in (?, ?) order by submitted limit 1",
                            a, b).orElseThrow().equals(a);
                    place(x, aFirst ? a : b, orderA.plusMillis(1), task, time);
                } else {
                    place(x, a, orderB, task, time);
                    place(x, b, orderA, task, time);
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("could not move " + a + " in the queue", e);
        }
    }

    private static Instant queueOrder(Connection c, String batchId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select queue_order from batches where id = ?")) {
            q.setString(1, batchId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no batch " + batchId);
                }
                return r.getTimestamp(1).toInstant();
            }
        }
    }

    private static void place(Connection c, String batchId, Instant order, String task,
            java.util.function.BiFunction<Instant, Integer, Instant> time) throws SQLException {
        try (PreparedStatement b = c.prepareStatement("update batches set queue_order = ? where id = ?")) {
            b.setTimestamp(1, Timestamp.from(order));
            b.setString(2, batchId);
            b.executeUpdate();
        }
        try (PreparedStatement q = c.prepareStatement("select id, position from items where batch_id = ? and state = 'QUEUED'");
                PreparedStatement t = c.prepareStatement("update scheduled_tasks set execution_time = ? where task_name = ?"
                        + " and task_instance = ? and picked = false")) {
            q.setString(1, batchId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    t.setTimestamp(1, Timestamp.from(time.apply(order, r.getInt(2))));
                    t.setString(2, task);
                    t.setString(3, r.getString(1));
                    t.addBatch();
                }
            }
            t.executeBatch();
        }
    }

    /** The account made with the database: owner of everything from before accounts. */
    public static final String ADMIN = "u_admin";

    /** The accounts a batch is shared with (besides its owner). */
    public List<String> sharedWith(String batchId) {
        return Sql.strings(db, "could not read the shares of " + batchId,
                "select user_id from batch_shares where batch_id = ? order by user_id", batchId);
    }

    /** Shares a batch with exactly these accounts (none: with no one). */
    public void share(String batchId, java.util.Collection<String> userIds) {
        try (Connection c = db.getConnection()) {
            Sql.inTransaction(c, t -> {
                try (PreparedStatement d = t.prepareStatement("delete from batch_shares where batch_id = ?");
                        PreparedStatement i = t.prepareStatement("insert into batch_shares (batch_id, user_id) values (?, ?)")) {
                    d.setString(1, batchId);
                    d.executeUpdate();
                    for (String u : new java.util.TreeSet<>(userIds)) {
                        i.setString(1, batchId);
                        i.setString(2, u);
                        i.addBatch();
                    }
                    return i.executeBatch();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not share " + batchId, e);
        }
    }

    /** Whether this upload is the user's own and in their library (not deleted). */
    public boolean owns(String assetId, String userId) {
        return !Sql.strings(db, "could not read a library", "select id from assets where id = ? and owner_id = ?"
                + " and deleted_at is null", assetId, userId).isEmpty();
    }

    /** The batch created with this idempotency key, if any. */
    public Optional<String> batchByKey(String idempotencyKey) {
        try (Connection c = db.getConnection()) {
            return firstString(c, "select id from batches where idempotency_key = ?", idempotencyKey);
        } catch (SQLException e) {
            throw new StoreException("could not look up a batch", e);
        }
    }

    /**
     * Forgets a batch, its items and their waiting executions (the caller cancels running items
     * first and deletes the files). @return false when there was no such batch
     */
    public boolean deleteBatch(String batchId) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (String sql : new String[] {
                    "delete from scheduled_tasks where task_name = 'render-item' and task_instance in"
                            + " (select id from items where batch_id = ?) and picked = false",
                    "delete from items where batch_id = ?"}) {
                    try (PreparedStatement d = c.prepareStatement(sql)) {
                        d.setString(1, batchId);
                        d.executeUpdate();
                    }
                }
                int n;
                try (PreparedStatement d = c.prepareStatement("delete from batches where id = ?")) {
                    d.setString(1, batchId);
                    n = d.executeUpdate();
                }
                c.commit();
                return n == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not delete batch " + batchId, e);
        }
    }

    /** Items read with one query: {@code tail} follows {@code from items i}. */
    private List<Item> query(String tail, Object... args) {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select i.id, i.batch_id, i.template_id, i.position, i.state,"
                        + " i.stage, i.percent, i.error_code, i.error_message, i.result_path, i.attempts,"
                        + " coalesce(i.template_name, t.file_name), i.frames_done, i.frames_total, i.eta_seconds, i.error_message_zh, i.revision, i.sync_offset,"
                        + " i.sync_confidence from items i join assets t on t.id = i.template_id " + tail)) {
            for (int k = 0; k < args.length; k++) {
                q.setObject(k + 1, args[k]);
            }
            List<Item> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Item(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                            ItemState.valueOf(r.getString(5)), r.getString(6), r.getDouble(7), r.getString(8),
                            r.getString(9), r.getString(10), r.getInt(11), r.getString(12), r.getInt(13),
                            r.getInt(14), r.getObject(15, Double.class), r.getString(16), r.getInt(17),
                            r.getObject(18, Integer.class), r.getObject(19, Double.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read items", e);
        }
    }
}
