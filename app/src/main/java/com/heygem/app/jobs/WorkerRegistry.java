package com.heygem.app.jobs;

import com.heygem.app.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list of rendering nodes in the database: each node registers at start (name, host, cores,
 * render threads, version), beats every heartbeat with the item it is on, and says when it stops.
 * Any node (a web-only one too) reads the list for the page and the API.
 */
public final class WorkerRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);

    /** One node as listed; {@code alive} when its last beat is recent (within four beats). */
    public record Worker(String name, String host, int cores, int threads, String version, String state,
            String currentItem, long itemsDone, Instant startedAt, Instant lastHeartbeat, boolean alive) {
    }

    private final DataSource db;
    private final String name;
    private final Duration heartbeat;
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile String current;
    private volatile String state = "RUNNING";

    private WorkerRegistry(DataSource db, String name, Duration heartbeat) {
        this.db = db;
        this.name = name;
        this.heartbeat = heartbeat;
    }

    /** Registers this node (replacing an earlier registration under the same name) and starts beating. */
    public static WorkerRegistry register(DataSource db, String name, String host, int threads, String version,
            Duration heartbeat) {
        WorkerRegistry r = new WorkerRegistry(db, name, heartbeat);
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = db.getConnection()) {
            // The videos it made stay counted across restarts (the count is the node's, not the process's).
            long made = 0;
            try (PreparedStatement q = c.prepareStatement("select items_done from workers where name = ?")) {
                q.setString(1, name);
                try (java.sql.ResultSet rows = q.executeQuery()) {
                    made = rows.next() ? rows.getLong(1) : 0;
                }
            }
            try (PreparedStatement d = c.prepareStatement("delete from workers where name = ?")) {
                d.setString(1, name);
                d.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("insert into workers (name, host, cores, threads, version,"
                    + " state, started_at, last_heartbeat, items_done) values (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?)")) {
                i.setString(1, name);
                i.setString(2, host);
                i.setInt(3, Runtime.getRuntime().availableProcessors());
                i.setInt(4, threads);
                i.setString(5, version);
                i.setTimestamp(6, now);
                i.setTimestamp(7, now);
                i.setLong(8, made);
                i.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("could not register worker " + name, e);
        }
        long ms = heartbeat.toMillis();
        r.beat.scheduleWithFixedDelay(r::beat, ms, ms, TimeUnit.MILLISECONDS);
        LOG.info("registered as worker '{}' ({} render thread(s), {} cores)", name, threads,
                Runtime.getRuntime().availableProcessors());
        return r;
    }

    public String name() {
        return name;
    }

    /** The item this node renders now, or null between items. */
    void current(String itemId, boolean finished) {
        current = itemId;
        update(finished ? ", items_done = items_done + 1" : "");
    }

    /** Stopping: no new item is taken; the current one is finished or handed back. */
    public void stopping() {
        state = "STOPPING";
        update("");
    }

    private void beat() {
        try {
            update("");
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: {}", e.toString()); // the database may be back at the next beat
        }
    }

    private void update(String extra) {
        try (Connection c = db.getConnection();
                PreparedStatement u = c.prepareStatement("update workers set last_heartbeat = ?, current_item = ?,"
                        + " state = ?" + extra + " where name = ?")) {
            u.setTimestamp(1, Timestamp.from(Instant.now()));
            u.setString(2, current);
            u.setString(3, state);
            u.setString(4, name);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not record the heartbeat of " + name, e);
        }
    }

    /** Every registered node, alive ones first. */
    public static List<Worker> list(DataSource db, Duration heartbeat) {
        Instant recent = Instant.now().minus(heartbeat.multipliedBy(BatchQueue.MISSED_HEARTBEATS));
        List<Worker> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select name, host, cores, threads, version, state, current_item,"
                        + " items_done, started_at, last_heartbeat from workers order by last_heartbeat desc, name");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                Instant last = r.getTimestamp(10).toInstant();
                boolean alive = last.isAfter(recent) && !"STOPPED".equals(r.getString(6));
                out.add(new Worker(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4), r.getString(5),
                        alive ? r.getString(6) : "STOPPED".equals(r.getString(6)) ? "STOPPED" : "LOST",
                        alive ? r.getString(7) : null, r.getLong(8),
                        r.getTimestamp(9).toInstant(), last, alive));
            }
        } catch (SQLException e) {
            throw new StoreException("could not list workers", e);
        }
        out.sort((a, b) -> Boolean.compare(b.alive(), a.alive()));
        return out;
    }

    /** Stops beating and marks this node STOPPED. */
    @Override
    public void close() {
        beat.shutdownNow();
        state = "STOPPED";
        current = null;
        try {
            update("");
        } catch (RuntimeException e) {
            LOG.warn("could not mark worker {} stopped: {}", name, e.toString());
        }
    }
}
