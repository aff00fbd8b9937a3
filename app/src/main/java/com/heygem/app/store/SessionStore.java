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
 * session id is kept, with the hash of the access token it was opened with: a session ends when
 * it expires, when its browser signs out, or when the token is rotated.
 */
public final class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource db;

    public SessionStore(DataSource db) {
        this.db = db;
    }

    /** @return the new session's id, for the cookie (never stored as such) */
    public String open(String tokenHash, Duration lifetime) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        Instant now = Instant.now();
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement(
                        "insert into sessions (id_hash, token_hash, created_at, expires_at) values (?, ?, ?, ?)")) {
            u.setString(1, Hashes.sha256(id));
            u.setString(2, tokenHash);
            u.setTimestamp(3, Timestamp.from(now));
            u.setTimestamp(4, Timestamp.from(now.plus(lifetime)));
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not open a session", e);
        }
        return id;
    }

    /** Whether {@code id} is a session opened with the token whose hash is {@code tokenHash}, not expired. */
    public boolean valid(String id, String tokenHash) {
        if (id == null || id.length() != 64) {
            return false;
        }
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "select token_hash from sessions where id_hash = ? and expires_at > ?")) {
            q.setString(1, Hashes.sha256(id));
            q.setTimestamp(2, Timestamp.from(Instant.now()));
            try (ResultSet r = q.executeQuery()) {
                return r.next() && MessageDigest.isEqual(r.getString(1).getBytes(StandardCharsets.US_ASCII),
                        tokenHash.getBytes(StandardCharsets.US_ASCII));
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

    /** Forgets sessions that expired or belong to another token than {@code tokenHash}. @return how many */
    public int purge(String tokenHash) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("delete from sessions where expires_at <= ? or token_hash <> ?")) {
            u.setTimestamp(1, Timestamp.from(Instant.now()));
            u.setString(2, tokenHash);
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not clean up sessions", e);
        }
    }

    private void update(String sql, String arg) {
        try (Connection c = db.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            u.setString(1, arg);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not update sessions", e);
        }
    }
}
