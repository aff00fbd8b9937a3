package com.heygem.app.jobs;

import com.heygem.app.store.BatchStore;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where a running item tells how far it is. Publishes to the {@link ProgressBus} at most four
 * times a second and on every change of stage; writes to the database at most once a second
 * (progress is for watching, not worth a write per frame). The percent is of the item's whole
 * work (each stage has its share, see {@link #SPANS}), so it never goes back when a stage ends
 * and a batch's percent can average its items. The ETA comes from the current stage's pace; the
 * render stage is nearly all of an item's time.
 */
public final class ProgressReporter {
    /** The renderer's stage names as users read them. */
    private static final Map<String, String> STAGES = Map.of("calibrate", "planning", "prepare", "preparing",
            "render", "rendering", "finish", "finishing");
    /**
     * Each stage's share of an item's percent, in the order they run: where it starts and where
     * the next begins. An uncached template's analysis takes about a third of a short render's
     * time; a cached one passes at once (the bar then jumps over its share).
     */
    static final Map<String, double[]> SPANS = Map.of("analysing audio", new double[] {0, 5},
            "analysing template", new double[] {5, 30}, "planning", new double[] {30, 35},
            "preparing", new double[] {35, 40}, "rendering", new double[] {40, 99}, "finishing", new double[] {99, 100});
    static final long PUBLISH_NANOS = 250_000_000L;
    static final long PERSIST_NANOS = 1_000_000_000L;

    private final BatchStore store;
    private final ProgressBus bus;
    private final BatchStore.Item item;
    private final int revision;
    /** Whether the item should stop (cancelled, handed back): ends a {@link StageHold}. */
    private final BooleanSupplier stop;
    /** The batch's name, read only for the test hook {@link StageHold}. */
    private final String holdName;
    private String stage;
    private long stageStart;
    private double fraction;
    private int framesTotal;
    private long lastPublish;
    private long lastPersist;
    private double percent;

    /**
     * @param item the item as it was read once it became RUNNING (its revision is that state's)
     * @param stop whether the item is to stop (cancelled, handed back)
     */
    ProgressReporter(BatchStore store, ProgressBus bus, BatchStore.Item item, BooleanSupplier stop) {
        this.store = store;
        this.bus = bus;
        this.item = item;
        this.revision = item.revision();
        this.stop = stop;
        this.holdName = StageHold.on() ? store.batch(item.batchId()).map(BatchStore.Batch::name).orElse(null) : null;
    }

    /** @return the percent of an item's whole work done when {@code stage} is {@code fraction} done */
    static double overall(String stage, double fraction) {
        double[] span = SPANS.get(stage);
        return span == null ? 0 : span[0] + (span[1] - span[0]) * fraction;
    }

    /** The number of frames the render stage will make, once known. */
    public void frames(int total) {
        framesTotal = total;
    }

    /** @param fraction of the stage done, 0..1 */
    public void update(String stageName, double fraction) {
        String s = STAGES.getOrDefault(stageName, stageName);
        long now = System.nanoTime();
        boolean changed = !s.equals(stage);
        if (changed) {
            stage = s;
            stageStart = now;
        }
        this.fraction = Math.max(0, Math.min(1, fraction));
        boolean publish = changed || now - lastPublish >= PUBLISH_NANOS;
        boolean persist = changed || now - lastPersist >= PERSIST_NANOS;
        if (!publish && !persist) {
            return;
        }
        ItemProgress p = snapshot(now);
        if (publish) {
            lastPublish = now;
            bus.publish(p);
        }
        if (persist) {
            lastPersist = now;
            persist(p);
        }
        if (changed) {
            // Recorded above, so the API shows the stage it is held at.
            StageHold.item(item.id(), holdName, s, stop);
        }
    }

    /** Writes the last state (the end of a stage is always recorded). */
    void flush() {
        if (stage != null) {
            ItemProgress p = snapshot(System.nanoTime());
            bus.publish(p);
            persist(p);
        }
    }

    private void persist(ItemProgress p) {
        store.progress(item.id(), p.stage(), p.percent(), p.framesDone(), p.framesTotal(), p.etaSeconds());
    }

    ItemProgress snapshot(long now) {
        boolean rendering = "rendering".equals(stage);
        int total = rendering ? framesTotal : 0;
        Double eta = null;
        double elapsed = (now - stageStart) / 1e9;
        if (fraction > 0.02 && elapsed > 0.5) {
            eta = elapsed * (1 - fraction) / fraction;
        }
        // Monotonic even for a stage outside the table: it keeps the percent reached so far.
        percent = Math.max(percent, overall(stage, fraction));
        return new ItemProgress(item.batchId(), item.id(), ItemState.RUNNING, revision, stage, percent,
                (int) Math.round(fraction * total), total, eta);
    }
}
