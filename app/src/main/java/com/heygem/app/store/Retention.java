package com.heygem.app.store;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the disk in bounds: the results of finished batches older than {@code retention.days},
 * then, while results and uploads together exceed {@code retention.maxBytes}, the oldest finished
 * batches' results; and uploads no unfinished batch uses that were last used before the cut-off.
 * A batch with a queued or running item is never touched. {@link #plan} only lists (the dry
 * run); {@link #apply} deletes what a plan lists and forgets the results in the database.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** A file that would go, and why. */
    public record Candidate(Path file, long bytes, String reason, String itemId, String assetId) {
    }

    private final DataSource db;
    private final Path dataDir;

    public Retention(DataSource db, Path dataDir) {
        this.db = db;
        this.dataDir = dataDir;
    }

    /**
     * @param days     results and unused uploads older than this go; 0 keeps them
     * @param maxBytes disk quota of results and uploads together; 0 for none
     */
    public List<Candidate> plan(Instant now, int days, long maxBytes) {
        Instant cutOff = days > 0 ? now.minus(Duration.ofDays(days)) : Instant.MIN;
        List<Candidate> out = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            // Results of finished batches, oldest batch first.
            Map<String, List<Candidate>> byBatch = new LinkedHashMap<>();
            Map<String, Instant> created = new LinkedHashMap<>();
            try (PreparedStatement q = c.prepareStatement("select b.id, b.created_at, i.id, i.result_path from batches b"
                    + " join items i on i.batch_id = b.id where i.result_path is not null and not exists (select 1"
                    + " from items u where u.batch_id = b.id and u.state in ('QUEUED', 'RUNNING'))"
                    + " order by b.submitted, i.position");
                    ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    Path file = dataDir.resolve(r.getString(4));
                    created.put(r.getString(1), r.getTimestamp(2).toInstant());
                    byBatch.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(new Candidate(file, size(file), "", r.getString(3), null));
                }
            }
            long total = 0;
            for (List<Candidate> files : byBatch.values()) {
                for (Candidate f : files) {
                    total += f.bytes();
                }
            }
            // Uploads of the same bytes by several accounts share one stored file: it goes only when
            // none of them is used by unfinished work and the last use of any is past the cut-off.
            Map<String, StoredFile> stored = new LinkedHashMap<>();
            try (PreparedStatement q = c.prepareStatement("select a.id, a.stored_path, a.last_used_at, exists (select 1"
                    + " from batches b join items u on u.batch_id = b.id where (b.audio_id = a.id or u.template_id = a.id)"
                    + " and u.state in ('QUEUED', 'RUNNING')) from assets a order by a.last_used_at");
                    ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    StoredFile f = stored.computeIfAbsent(r.getString(2), p -> new StoredFile(id));
                    f.lastUsed = r.getTimestamp(3).toInstant(); // rows come oldest first: the last is the latest
                    f.busy |= r.getBoolean(4);
                }
            }
            List<Candidate> uploads = new ArrayList<>();
            for (Map.Entry<String, StoredFile> e : stored.entrySet()) {
                Path file = dataDir.resolve(e.getKey());
                long bytes = size(file);
                total += bytes;
                StoredFile f = e.getValue();
                if (bytes > 0 && !f.busy && f.lastUsed.isBefore(cutOff)) {
                    uploads.add(new Candidate(file, bytes, "unused upload older than " + days + " days", null, f.assetId));
                }
            }
            for (Map.Entry<String, List<Candidate>> batch : byBatch.entrySet()) {
                boolean old = created.get(batch.getKey()).isBefore(cutOff);
                boolean overQuota = maxBytes > 0 && total > maxBytes;
                if (!old && !overQuota) {
                    continue;
                }
                for (Candidate f : batch.getValue()) {
                    if (f.bytes() > 0) {
                        out.add(new Candidate(f.file(), f.bytes(), old ? "result older than " + days + " days"
                                : "over the disk quota of " + maxBytes + " bytes", f.itemId(), null));
                        total -= f.bytes();
                    }
                }
            }
            out.addAll(uploads);
        } catch (SQLException e) {
            throw new StoreException("could not plan the clean-up", e);
        }
        return out;
    }

    /** Deletes the planned files; results are forgotten in the database. @return bytes freed */
    public long apply(List<Candidate> plan) {
        long freed = 0;
        try (Connection c = db.getConnection();
                PreparedStatement forget = c.prepareStatement("update items set result_path = null, updated_at = ?"
                        + " where id = ? and state = 'SUCCEEDED'")) {
            for (Candidate f : plan) {
                try {
                    if (Files.deleteIfExists(f.file())) {
                        freed += f.bytes();
                    }
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", f.file(), e.toString());
                    continue;
                }
                if (f.itemId() != null) {
                    forget.setTimestamp(1, Timestamp.from(Instant.now()));
                    forget.setString(2, f.itemId());
                    forget.executeUpdate();
                }
                LOG.info("deleted {} ({} bytes): {}", dataDir.relativize(f.file()), f.bytes(), f.reason());
            }
        } catch (SQLException e) {
            throw new StoreException("could not record the clean-up", e);
        }
        return freed;
    }

    /** One stored upload file and what its records say of it. */
    private static final class StoredFile {
        final String assetId; // one record naming it (for the plan's listing)
        Instant lastUsed;
        boolean busy;

        StoredFile(String assetId) {
            this.assetId = assetId;
        }
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
