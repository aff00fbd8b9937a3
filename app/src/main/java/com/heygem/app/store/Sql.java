package com.heygem.app.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The few JDBC shapes the stores repeat: one statement, one column of strings, one transaction. */
public final class Sql {
    /** Work done inside a transaction. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Sql() {
    }

    /** One statement with its arguments (an Instant is stored as a timestamp), on a connection of its own. @return rows changed */
    public static int update(DataSource db, String failure, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            bind(u, args);
            return u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }

    /** One statement with its arguments on {@code c} (inside its caller's work). @return rows changed */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(sql)) {
            bind(u, args);
            return u.executeUpdate();
        }
    }

    /** The first column of every row. */
    public static List<String> strings(DataSource db, String failure, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, args);
            List<String> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }

    /** {@code work} in one transaction on {@code c}: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int k = 0; k < args.length; k++) {
            s.setObject(k + 1, args[k] instanceof Instant t ? java.sql.Timestamp.from(t) : args[k]);
        }
    }
}
