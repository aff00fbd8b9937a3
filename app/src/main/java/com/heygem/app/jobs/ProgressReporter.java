package com.heygem.app.jobs;

import com.heygem.app.store.BatchStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where a running item tells how far it is. Publishes to the {@link ProgressBus} at most four
 * times a second and on every change of stage; writes to the database at most once a second
 * (progress is for watching, not worth a write per frame).
 *
 * <p>The percent is of the item's time: the time spent against the time spent plus what is still
 * expected, where a stage under way expects what its own pace says (once it has one) and the
 * stages after it what {@link RenderPace} measured on earlier renders of this size. So each stage
 * takes the share of the bar it takes of the clock, a template whose analysis is cached does not
 * jump the bar, and the time left is known from the start. It never goes back, and stays below 100
 * until the item has finished.
 */
public final class ProgressReporter {
    /** The renderer's stage names as users read them. */
    private static final Map<String, String> STAGES = Map.of("calibrate", "planning", "prepare", "preparing",
            "render", "rendering", "finish", "finishing");
    static final long PUBLISH_NANOS = 250_000_000L;
    static final long PERSIST_NANOS = 1_000_000_000L;
    /** Fraction of a stage after which its own pace says how long the rest takes. */
    private static final double OWN_PACE_AFTER = 0.02;

    private final BatchStore store;
    private final ProgressBus bus;
    private final BatchStore.Item item;
    private final int revision;
    private final RenderPace pace;
    /** Whether the item should stop (cancelled, handed back): ends a {@link StageHold}. */
    private final BooleanSupplier stop;
    /** The batch's name, read only for the test hook {@link StageHold}. */
    private final String holdName;
    private final long start = System.nanoTime();
    /** Seconds each finished stage took. */
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private RenderPace.Work work;
    private String stage;
    private long stageStart;
    private double fraction;
    private int framesTotal;
    private long lastPublish;
    private long lastPersist;
    private double percent;

    /**
     * @param item the item as it was read once it became RUNNING (its revision is that state's)
     * @param pace what earlier renders measured (null: the first estimates)
     * @param stop whether the item is to stop (cancelled, handed back)
     */
    ProgressReporter(BatchStore store, ProgressBus bus, BatchStore.Item item, RenderPace pace, BooleanSupplier stop) {
        this.store = store;
        this.bus = bus;
        this.item = item;
        this.revision = item.revision();
        this.pace = pace == null ? new RenderPace(null) : pace;
        this.stop = stop;
        this.holdName = StageHold.on() ? store.batch(item.batchId()).map(BatchStore.Batch::name).orElse(null) : null;
    }

    /** What the item will do, as soon as it is known (refined when the template's frame rate is read). */
    public void work(RenderPace.Work work) {
        this.work = work;
        if (work != null && work.frames() > 0) {
            framesTotal = work.frames();
        }
    }

    /** The number of frames the render stage will make, once known. */
    public void frames(int total) {
        framesTotal = total;
        if (work != null) {
            work = new RenderPace.Work(work.speechSeconds(), work.templateFrames(), total, work.width(), work.height());
        }
    }

    /** @param fraction of the stage done, 0..1 */
    public void update(String stageName, double fraction) {
        String s = STAGES.getOrDefault(stageName, stageName);
        long now = System.nanoTime();
        boolean changed = !s.equals(stage);
        if (changed) {
            if (stage != null) {
                stageSeconds.merge(stage, (now - stageStart) / 1e9, Double::sum);
            }
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

    /** After the item succeeded: its stage times teach the pace the next estimates come from. */
    void learn() {
        if (work == null || stage == null) {
            return;
        }
        Map<String, Double> times = new LinkedHashMap<>(stageSeconds);
        times.merge(stage, (System.nanoTime() - stageStart) / 1e9, Double::sum);
        pace.learn(work, times);
    }

    private void persist(ItemProgress p) {
        store.progress(item.id(), p.stage(), p.percent(), p.framesDone(), p.framesTotal(), p.etaSeconds());
    }

    /** Seconds still expected: the rest of the current stage, then every stage after it. */
    private Double remaining(long now) {
        if (work == null || stage == null) {
            return null;
        }
        int at = RenderPace.STAGES.indexOf(stage);
        double inStage = (now - stageStart) / 1e9;
        double rest;
        if (fraction >= 1) {
            rest = 0;
        } else if (fraction > OWN_PACE_AFTER && inStage > 0.5) {
            rest = inStage * (1 - fraction) / fraction;
        } else {
            // Not far enough in to tell its own pace: what earlier renders took, less what has passed.
            double expected = pace.expected(stage, work);
            rest = Math.max(expected * (1 - fraction), expected - inStage);
        }
        // Every later stage, as the pace expects it (a stage outside the list has none after it).
        boolean last = at < 0 || at + 1 == RenderPace.STAGES.size();
        return rest + (last ? 0 : pace.expectedFrom(RenderPace.STAGES.get(at + 1), work));
    }

    ItemProgress snapshot(long now) {
        boolean rendering = "rendering".equals(stage);
        int total = rendering ? framesTotal : 0;
        Double eta = remaining(now);
        double elapsed = (now - start) / 1e9;
        if (eta != null && elapsed + eta > 0) {
            // Below 100 until the item has finished: the end is the state, not the bar.
            percent = Math.max(percent, Math.min(99.5, 100 * elapsed / (elapsed + eta)));
        }
        return new ItemProgress(item.batchId(), item.id(), ItemState.RUNNING, revision, stage, percent,
                (int) Math.round(fraction * total), total, eta);
    }
}
