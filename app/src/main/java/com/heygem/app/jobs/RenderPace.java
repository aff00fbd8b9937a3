package com.heygem.app.jobs;

import com.heygem.app.store.Sql;
import com.heygem.app.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long each stage of a render takes on this installation, learned from the renders that
 * finished: seconds per unit of work (per second of speech for its analysis, per template frame
 * for the template's, per output frame for the rest), by picture size. An item's bar and time left
 * are its elapsed time against what is still expected, so a stage takes the share of the bar it
 * takes of the clock, and a queued item's time is known before it starts. Kept in the database:
 * every node reads the same figures, and a restart keeps them.
 */
public final class RenderPace {
    private static final Logger LOG = LoggerFactory.getLogger(RenderPace.class);
    /** The stages in the order they run. */
    public static final List<String> STAGES = List.of("analysing audio", "analysing template", "planning", "preparing",
            "rendering", "finishing");
    /** Weight of the newest render in the running average: recent renders count most. */
    static final double NEWEST = 0.3;
    /** How long figures read from the database are trusted before being read again. */
    private static final long FRESH_NANOS = 30_000_000_000L;

    /**
     * Seconds per unit before anything was measured, per size class (see {@link #sizeClass}),
     * from renders on the 2-core development machine: a first estimate within about 2× of most.
     */
    private static final Map<String, double[]> DEFAULTS = Map.of(
            "analysing audio", new double[] {0.01, 0.01, 0.01, 0.01},
            "analysing template", new double[] {0.004, 0.008, 0.015, 0.04},
            "planning", new double[] {0.0005, 0.0005, 0.0005, 0.0005},
            "preparing", new double[] {0.001, 0.002, 0.004, 0.01},
            "rendering", new double[] {0.010, 0.018, 0.030, 0.09},
            "finishing", new double[] {0.0002, 0.0003, 0.0005, 0.001});

    /** The work an item is: what every stage's time is proportional to. */
    public record Work(double speechSeconds, int templateFrames, int frames, int width, int height) {
        /** Units of {@code stage}: speech seconds, template frames or output frames. */
        double units(String stage) {
            return switch (stage) {
                case "analysing audio" -> speechSeconds;
                case "analysing template" -> templateFrames;
                default -> frames;
            };
        }
    }

    private final DataSource db;
    private final Map<String, Double> rates = new HashMap<>();
    private long readAt;

    /** @param db where the figures are kept; null keeps them in memory only (tests, tools) */
    public RenderPace(DataSource db) {
        this.db = db;
    }

    /** 0 up to about 540p, 1 up to 720p, 2 up to 1080p, 3 above (by pixel count, either orientation). */
    static int sizeClass(int width, int height) {
        long pixels = (long) width * height;
        return pixels <= 540L * 960 ? 0 : pixels <= 720L * 1280 ? 1 : pixels <= 1080L * 1920 ? 2 : 3;
    }

    /** Expected seconds of {@code stage} for {@code work}. */
    public synchronized double expected(String stage, Work work) {
        int size = sizeClass(work.width(), work.height());
        return rate(stage, size) * work.units(stage);
    }

    /** Expected seconds of the stages from {@code from} (included) to the end; all of them for null. */
    public synchronized double expectedFrom(String from, Work work) {
        double sum = 0;
        boolean counting = from == null;
        for (String stage : STAGES) {
            counting |= stage.equals(from);
            if (counting) {
                sum += expected(stage, work);
            }
        }
        return sum;
    }

    private double rate(String stage, int size) {
        refresh();
        Double r = rates.get(stage + "/" + size);
        if (r != null) {
            return r;
        }
        double[] d = DEFAULTS.get(stage);
        return d == null ? 0 : d[size];
    }

    /** Adds a finished render's measured stage times to the running averages. */
    public synchronized void learn(Work work, Map<String, Double> stageSeconds) {
        int size = sizeClass(work.width(), work.height());
        for (Map.Entry<String, Double> e : stageSeconds.entrySet()) {
            double units = work.units(e.getKey());
            if (units <= 0 || !DEFAULTS.containsKey(e.getKey())) {
                continue;
            }
            double measured = e.getValue() / units;
            String key = e.getKey() + "/" + size;
            Double old = rates.get(key);
            double now = old == null ? measured : old + NEWEST * (measured - old);
            rates.put(key, now);
            write(e.getKey(), size, now);
        }
    }

    private void write(String stage, int size, double rate) {
        if (db == null) {
            return;
        }
        try (Connection c = db.getConnection()) {
            Sql.inTransaction(c, x -> {
                if (Sql.update(x, "update render_pace set seconds_per_unit = ?, samples = samples + 1, updated_at = ?"
                        + " where stage = ? and size_class = ?", rate, Instant.now(), stage, size) == 0) {
                    Sql.update(x, "insert into render_pace (stage, size_class, seconds_per_unit, samples, updated_at)"
                            + " values (?, ?, ?, 1, ?)", stage, size, rate, Instant.now());
                }
                return null;
            });
        } catch (SQLException | StoreException e) {
            // Figures for a progress bar: never worth failing a render over.
            LOG.debug("could not keep the render pace: {}", e.toString());
        }
    }

    private void refresh() {
        if (db == null || (readAt != 0 && System.nanoTime() - readAt < FRESH_NANOS)) {
            return;
        }
        readAt = System.nanoTime();
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("select stage, size_class, seconds_per_unit from render_pace");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                rates.put(r.getString(1) + "/" + r.getInt(2), r.getDouble(3));
            }
        } catch (SQLException e) {
            LOG.debug("could not read the render pace: {}", e.toString());
        }
    }
}
