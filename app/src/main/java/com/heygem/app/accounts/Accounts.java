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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The accounts, in the database. A new account (and one whose password is reset) gets a one-time
 * set-up code instead of a password chosen for it: its owner opens the link and chooses one. Only
 * hashes are kept, of the passwords (Argon2id) and of the codes (SHA-256: they are random).
 */
public final class Accounts {
    /** Letters, digits and . _ - ; 2 to 64; kept in lower case so "Anna" and "anna" are one account. */
    /** 2–64 letters (any script: 王小明, anna), digits, '.', '_' or '-', starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}._-]{1,63}");
    /** How long a set-up link works. */
    public static final Duration SETUP_VALID = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, name, role, disabled, password_hash is not null, created_at, last_sign_in";

    private final DataSource db;

    public Accounts(DataSource db) {
        this.db = db;
    }

    /** "Anna.Li " → "anna.li"; empty when it cannot be an account's name. */
    public static Optional<String> normalName(String given) {
        String n = java.text.Normalizer.normalize(given == null ? "" : given.trim(), java.text.Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT);
        return NAME.matcher(n).matches() && oneScript(n) ? Optional.of(n) : Optional.empty();
    }

    /**
     * Whether the name's letters are of one script: "аdmin" with a Cyrillic "а" would pass for
     * "admin" on the page, so names mixing scripts are refused (digits and . _ - go with any).
     */
    private static boolean oneScript(String name) {
        Character.UnicodeScript seen = null;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s == Character.UnicodeScript.COMMON || s == Character.UnicodeScript.INHERITED) {
                continue;
            }
            if (seen != null && seen != s) {
                return false;
            }
            seen = s;
        }
        return true;
    }

    private static Account account(ResultSet r) throws SQLException {
        Timestamp last = r.getTimestamp(7);
        return new Account(r.getString(1), r.getString(2), Role.valueOf(r.getString(3)), r.getBoolean(4), r.getBoolean(5),
                r.getTimestamp(6).toInstant(), last == null ? null : last.toInstant());
    }

    public List<Account> list() {
        return query("select " + COLUMNS + " from users order by name");
    }

    public Optional<Account> byId(String id) {
        return query("select " + COLUMNS + " from users where id = ?", id).stream().findFirst();
    }

    public Optional<Account> byName(String name) {
        return normalName(name).flatMap(n -> query("select " + COLUMNS + " from users where name = ?", n).stream()
                .findFirst());
    }

    /**
     * A new account, without a password.
     *
     * @return it and its set-up code; empty when the name is taken
     */
    public Optional<Setup> create(String name, Role role) {
        String id = "u_" + random(8);
        try {
            update("insert into users (id, name, role, created_at) values (?, ?, ?, ?)", id, name, role.name(),
                    Timestamp.from(Instant.now()));
        } catch (StoreException e) {
            if (byName(name).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new Setup(byId(id).orElseThrow(), newSetup(id)));
    }

    /** An account and the code of its set-up link. */
    public record Setup(Account account, String code) {
    }

    /**
     * A new set-up code for the account (the old one stops working). With {@code resetPassword} its
     * password is removed too, so only the link lets it in again.
     */
    public String newSetup(String id, boolean resetPassword) {
        String code = random(24);
        update("update users set setup_hash = ?, setup_expires = ?" + (resetPassword ? ", password_hash = null" : "")
                + " where id = ?", Hashes.sha256(code), Timestamp.from(Instant.now().plus(SETUP_VALID)), id);
        return code;
    }

    private String newSetup(String id) {
        return newSetup(id, false);
    }

    /** The account a set-up code opens, while it is valid. */
    public Optional<Account> bySetup(String code) {
        if (code == null || code.length() != 48) {
            return Optional.empty();
        }
        return query("select " + COLUMNS + " from users where setup_hash = ? and setup_expires > ? and not disabled",
                Hashes.sha256(code), Timestamp.from(Instant.now())).stream().findFirst();
    }

    /** Sets the password and ends the set-up code. */
    public void setPassword(String id, String password) {
        update("update users set password_hash = ?, password_changed_at = ?, setup_hash = null, setup_expires = null"
                + " where id = ?", Passwords.hash(password), Timestamp.from(Instant.now()), id);
    }

    /** Notes a sign-in (by password or by a set-up link). */
    public void signedIn(String id) {
        update("update users set last_sign_in = ? where id = ?", Timestamp.from(Instant.now()), id);
    }

    /**
     * The account when {@code password} is its password: one that may sign in, or a disabled one
     * (check {@link Account#disabled}: told only to whoever knows its password, so a stranger learns
     * nothing about which accounts exist).
     */
    public Optional<Account> check(String name, String password) {
        Optional<String> n = normalName(name);
        if (n.isEmpty()) {
            Passwords.spendACheck(password); // as long as a wrong password: names cannot be told apart by time
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select id, password_hash, disabled from users where name = ?")) {
            q.setString(1, n.get());
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    Passwords.spendACheck(password);
                    return Optional.empty();
                }
                String hash = r.getString(2);
                if (hash == null) {
                    Passwords.spendACheck(password); // no password chosen yet: answered like any wrong one
                    return Optional.empty();
                }
                if (!Passwords.matches(password, hash)) {
                    return Optional.empty();
                }
                String id = r.getString(1);
                if (!r.getBoolean(3)) {
                    signedIn(id);
                }
                return byId(id);
            }
        } catch (SQLException e) {
            throw new StoreException("could not check a password", e);
        }
    }

    public void setRole(String id, Role role) {
        update("update users set role = ? where id = ?", role.name(), id);
    }

    public void setDisabled(String id, boolean disabled) {
        update("update users set disabled = ? where id = ?", disabled, id);
    }

    public void delete(String id) {
        update("delete from users where id = ?", id);
    }

    /** Admins that may sign in or act: the last one cannot be disabled, demoted or deleted. */
    public long activeAdmins() {
        return list().stream().filter(a -> a.role() == Role.ADMIN && !a.disabled()).count();
    }

    private List<Account> query(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int k = 0; k < args.length; k++) {
                q.setObject(k + 1, args[k]);
            }
            List<Account> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(account(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read accounts", e);
        }
    }

    private void update(String sql, Object... args) {
        Sql.update(db, "could not change accounts", sql, args);
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
