package com.heygem.app.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * Browser sessions, in the database so every node sees a sign-out at once. Only a hash of each
 * session id is kept, with its account and, when it was opened with the access token, that
 * token's hash: a session ends when it expires, when its browser signs out, when the token it was
 * opened with is rotated, and when its account's password changes or the account is disabled.
 */
public final class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource db;

    public SessionStore(DataSource db) {
        this.db = db;
    }

    /**
     * @param tokenHash the hash of the access token it was opened with, or null when opened with a password
     * @return the new session's id, for the cookie (never stored as such)
     */
    public String open(String userId, String tokenHash, Duration lifetime) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        Instant now = Instant.now();
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement(
                        "insert into sessions (id_hash, token_hash, created_at, expires_at, user_id) values (?, ?, ?, ?, ?)")) {
            u.setString(1, Hashes.sha256(id));
            u.setString(2, tokenHash == null ? "" : tokenHash);
            u.setTimestamp(3, Timestamp.from(now));
            u.setTimestamp(4, Timestamp.from(now.plus(lifetime)));
            u.setString(5, userId);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not open a session", e);
        }
        return id;
    }

    /**
     * The account of session {@code id}, while it has not expired (and, when it was opened with
     * the access token, while that is still the token, whose hash is {@code tokenHash}).
     */
    public java.util.Optional<String> user(String id, String tokenHash) {
        if (id == null || id.length() != 64) {
            return java.util.Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select token_hash, user_id from sessions where id_hash = ? and expires_at > ?")) {
            q.setString(1, Hashes.sha256(id));
            q.setTimestamp(2, Timestamp.from(Instant.now()));
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return java.util.Optional.empty();
                }
                String opened = r.getString(1);
                boolean current = opened.isEmpty() || MessageDigest.isEqual(opened.getBytes(StandardCharsets.US_ASCII),
                        tokenHash.getBytes(StandardCharsets.US_ASCII));
                return current ? java.util.Optional.ofNullable(r.getString(2)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read sessions", e);
        }
    }

    /** Ends one session (sign-out). */
    public void close(String id) {
        if (id == null) {
            return;
        }
        update("delete from sessions where id_hash = ?", Hashes.sha256(id));
    }

    /** Ends every session of an account (its password changed, it was disabled or deleted). */
    public void endAll(String userId) {
        update("delete from sessions where user_id = ?", userId);
    }

    /** Forgets sessions that expired or were opened with another token than {@code tokenHash}. @return how many */
    public int purge(String tokenHash) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("delete from sessions where expires_at <= ?"
                        + " or (token_hash <> '' and token_hash <> ?)")) {
            u.setTimestamp(1, Timestamp.from(Instant.now()));
            u.setString(2, tokenHash);
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not clean up sessions", e);
        }
    }

    private void update(String sql, String arg) {
        Sql.update(db, "could not update sessions", sql, arg);
    }
}
