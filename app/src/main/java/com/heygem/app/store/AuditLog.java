package com.heygem.app.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: who did what and when, in the database (every node writes to it and an admin
 * reads it from any) and as a line of the server log ({@code audit} logger), so it is kept with
 * the other logs too. A failure to record is logged, never fails what was done.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("audit");
    private static final Logger SELF = LoggerFactory.getLogger(AuditLog.class);

    /**
     * One entry.
     *
     * @param actor   the account that acted
     * @param via     how it proved itself: token, session, key, open (access control off)
     * @param address the client's IP address, or null
     * @param action  what, as {@code <thing>.<verb>} (batches.create, session.refused …)
     * @param target  the id acted on, or null
     * @param detail  a short description, or null
     */
    public record Entry(long id, Instant at, String actor, String via, String address, String action, String target,
            String detail) {
    }

    /** How long entries are kept: the hourly house-keeping forgets older ones. */
    public static final java.time.Duration KEEP = java.time.Duration.ofDays(90);
    private final DataSource db;

    public AuditLog(DataSource db) {
        this.db = db;
    }

    public void record(String actor, String via, String address, String action, String target, String detail) {
        LOG.info("{} ({} from {}) {}{}{}", actor, via, address, action, target == null ? "" : " " + target,
                detail == null ? "" : ": " + detail);
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("insert into audit_log (id, at, actor, via, address, action,"
                        + " target, detail) values (nextval('audit_order'), ?, ?, ?, ?, ?, ?, ?)")) {
            u.setTimestamp(1, Timestamp.from(Instant.now()));
            u.setString(2, clip(actor, 100));
            u.setString(3, clip(via, 20));
            u.setString(4, clip(address, 64));
            u.setString(5, clip(action, 64));
            u.setString(6, clip(target, 200));
            u.setString(7, clip(detail, 500));
            u.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            SELF.warn("could not record '{}' in the audit log: {}", action, e.toString());
        }
    }

    /**
     * Entries, newest first.
     *
     * @param before only entries with a smaller id (the next page), or 0 for the newest
     * @param actor  only this account's, or null
     * @param action only actions starting with this ("batches" or "batches.delete"), or null
     */
    public List<Entry> list(int limit, long before, String actor, String action) {
        StringBuilder sql = new StringBuilder("select id, at, actor, via, address, action, target, detail from audit_log"
                + " where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (before > 0) {
            sql.append(" and id < ?");
            args.add(before);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            args.add(actor);
        }
        if (action != null) {
            sql.append(" and (action = ? or action like ?)");
            args.add(action);
            args.add(action.replace("%", "").replace("_", "") + ".%");
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql.toString())) {
            for (int k = 0; k < args.size(); k++) {
                q.setObject(k + 1, args.get(k));
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Entry(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read the audit log", e);
        }
    }

    /** Forgets entries older than {@code before} (house-keeping). @return how many */
    public int purge(Instant before) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("delete from audit_log where at < ?")) {
            u.setTimestamp(1, Timestamp.from(before));
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not clean up the audit log", e);
        }
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
