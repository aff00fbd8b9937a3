package com.heygem.app.accounts;

import com.heygem.app.store.Hashes;
import com.heygem.app.store.Sql;
import com.heygem.app.store.StoreException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API keys for scripts: {@code hg_} and 40 hex digits, each an account's, acting with its role.
 * Only the SHA-256 of a key is kept (it is random: a slow hash would add nothing), with its first
 * characters to tell keys apart in a list. Revoked keys are refused at once.
 */
public final class ApiKeys {
    public static final String PREFIX = "hg_";
    /** When it was last used is written at most this often, not on every request. */
    private static final Duration USE_NOTED = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One key as listed (never the key itself).
     *
     * @param shown its first characters, e.g. {@code hg_3f9a…}
     */
    public record Key(String id, String userId, String name, String shown, Instant createdAt, Instant lastUsedAt,
            Instant revokedAt) {
    }

    /** A key just made: the only time {@code secret} is known. */
    public record Made(Key key, String secret) {
    }

    private final DataSource db;

    public ApiKeys(DataSource db) {
        this.db = db;
    }

    public static boolean looksLikeOne(String given) {
        return given != null && given.startsWith(PREFIX) && given.length() == PREFIX.length() + 40;
    }

    public Made create(String userId, String name) {
        byte[] raw = new byte[20];
        RANDOM.nextBytes(raw);
        String secret = PREFIX + HexFormat.of().formatHex(raw);
        byte[] idRaw = new byte[8];
        RANDOM.nextBytes(idRaw);
        String id = "k_" + HexFormat.of().formatHex(idRaw);
        Instant now = Instant.now();
        update("insert into api_keys (id, user_id, name, key_hash, prefix, created_at) values (?, ?, ?, ?, ?, ?)", id,
                userId, name, Hashes.sha256(secret), secret.substring(0, PREFIX.length() + 4), Timestamp.from(now));
        return new Made(byId(id).orElseThrow(), secret);
    }

    /** The account a key opens: not revoked. Notes its use now and then. */
    public Optional<String> userOf(String secret) {
        if (!looksLikeOne(secret)) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select id, user_id, last_used_at from api_keys where key_hash = ?"
                        + " and revoked_at is null")) {
            q.setString(1, Hashes.sha256(secret));
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Timestamp last = r.getTimestamp(3);
                Instant now = Instant.now();
                if (last == null || last.toInstant().plus(USE_NOTED).isBefore(now)) {
                    update("update api_keys set last_used_at = ? where id = ?", Timestamp.from(now), r.getString(1));
                }
                return Optional.of(r.getString(2));
            }
        } catch (SQLException e) {
            throw new StoreException("could not check an API key", e);
        }
    }

    /** An account's keys, newest first (revoked ones too). */
    public List<Key> of(String userId) {
        return query("select id, user_id, name, prefix, created_at, last_used_at, revoked_at from api_keys where user_id = ?"
                + " order by created_at desc", userId);
    }

    public Optional<Key> byId(String id) {
        return query("select id, user_id, name, prefix, created_at, last_used_at, revoked_at from api_keys where id = ?",
                id).stream().findFirst();
    }

    /** Revokes every key of an account (its password was reset: whoever had it may have made keys). @return how many */
    public int revokeAll(String userId) {
        try (Connection c = db.getConnection(); PreparedStatement u = c.prepareStatement(
                "update api_keys set revoked_at = ? where user_id = ? and revoked_at is null")) {
            u.setTimestamp(1, Timestamp.from(Instant.now()));
            u.setString(2, userId);
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new com.heygem.app.store.StoreException("could not revoke the keys of " + userId, e);
        }
    }

    public void revoke(String id) {
        update("update api_keys set revoked_at = ? where id = ? and revoked_at is null", Timestamp.from(Instant.now()), id);
    }

    private List<Key> query(String sql, String arg) {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, arg);
            List<Key> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Key(r.getString(1), r.getString(2), r.getString(3), r.getString(4) + "…",
                            r.getTimestamp(5).toInstant(), instant(r.getTimestamp(6)), instant(r.getTimestamp(7))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read API keys", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private void update(String sql, Object... args) {
        Sql.update(db, "could not change API keys", sql, args);
    }
}
