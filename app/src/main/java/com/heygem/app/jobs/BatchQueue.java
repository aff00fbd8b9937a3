package com.heygem.app.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.HeyGemException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The persistent queue: one db-scheduler task per item, run by {@code workers} threads on this
 * node (one by default: renders one after another). The database holds both the schedule and
 * the item states, so a restart loses nothing: queued items run, and an item whose worker died
 * (missed heartbeats) runs again from the start. One item failing never stops the others.
 */
public final class BatchQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchQueue.class);
    static final String TASK = "render-item";
    /** How often a running item checks whether it was cancelled (in the database: any node may cancel). */
    static final Duration CANCEL_CHECK = Duration.ofMillis(500);
    /** Heartbeats a node may miss before its running item is taken back (db-scheduler's smallest). */
    static final int MISSED_HEARTBEATS = 4;
    /** A node that stops for 4 x 5 s is taken for dead: its item runs again elsewhere or at restart. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

    private final BatchStore store;
    private final ItemRunner runner;
    private final ProgressBus bus = new ProgressBus();
    private final OneTimeTask<Void> task;
    private final Scheduler scheduler;

    /**
     * @param workers      items run at once on this node; 0 only schedules (a web-only node)
     * @param heartbeat    how often a running item's node says it is alive; after
     *                     {@link #MISSED_HEARTBEATS} missed the item is taken back and run again
     */
    public BatchQueue(DataSource db, BatchStore store, ItemRunner runner, int workers, Duration heartbeat) {
        this(db, store, runner, workers, heartbeat, null);
    }

    /**
     * @param hourly house-keeping run once an hour by one node of the cluster (the clean-up), or null
     */
    public BatchQueue(DataSource db, BatchStore store, ItemRunner runner, int workers, Duration heartbeat,
            Runnable hourly) {
        this.store = store;
        this.runner = runner;
        this.task = Tasks.oneTime(TASK).onDeadExecutionRevive().execute((instance, context) -> runItem(instance.getId()));
        List<RecurringTask<Void>> recurring = hourly == null ? List.of()
                : List.of(Tasks.recurring("house-keeping", FixedDelay.ofHours(1)).execute((i, c) -> hourly.run()));
        this.scheduler = Scheduler.create(db, task)
                .startTasks(recurring)
                .threads(Math.max(1, workers))
                .pollingInterval(Duration.ofMillis(500))
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(MISSED_HEARTBEATS)
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        if (workers > 0) {
            scheduler.start();
        }
    }

    /** Queues every item of a stored batch, in position order, after all batches queued before it. */
    public void submit(String batchId) {
        List<BatchStore.Item> items = store.items(batchId);
        // Execution times one microsecond apart: the scheduler picks due work in time order.
        Instant base = Instant.now();
        for (BatchStore.Item item : items) {
            scheduler.scheduleIfNotExists(task.instance(item.id()), base.plusNanos(1000L * item.position()));
        }
    }

    /** Cancels a queued or running item; a running render notices within {@link #CANCEL_CHECK}. */
    public void cancel(String itemId) {
        BatchStore.Item item = store.item(itemId).orElseThrow();
        if (!store.transition(itemId, item.state(), ItemState.CANCELED)) {
            // It moved meanwhile (started or finished): try once more from where it is now.
            BatchStore.Item now = store.item(itemId).orElseThrow();
            store.transition(itemId, now.state(), ItemState.CANCELED);
        }
        publish(itemId);
    }

    /** Puts a failed or cancelled item back in the queue. */
    public void retry(String itemId) {
        BatchStore.Item item = store.item(itemId).orElseThrow();
        if (store.transition(itemId, item.state(), ItemState.QUEUED)) {
            // A cancelled item that never started may still have its execution waiting: that one runs it.
            scheduler.scheduleIfNotExists(task.instance(itemId), Instant.now());
        }
        publish(itemId);
    }

    private void runItem(String itemId) {
        BatchStore.Item item = store.item(itemId).orElse(null);
        if (item == null) {
            return; // its batch was deleted
        }
        MDC.put("batch", item.batchId());
        MDC.put("item", itemId);
        try {
            if (item.state() == ItemState.RUNNING) {
                LOG.info("item {} was interrupted (its node stopped); running it again", itemId);
                store.transition(itemId, ItemState.RUNNING, ItemState.QUEUED);
            }
            if (!store.transition(itemId, ItemState.QUEUED, ItemState.RUNNING)) {
                return; // cancelled before it started, or already done
            }
            long[] lastCheck = {0};
            boolean[] cancelled = {false};
            try {
                ProgressReporter progress = new ProgressReporter(store, bus, item);
                publish(itemId);
                String result = runner.run(item, () -> {
                    long now = System.nanoTime();
                    if (!cancelled[0] && now - lastCheck[0] > CANCEL_CHECK.toNanos()) {
                        lastCheck[0] = now;
                        cancelled[0] = store.item(itemId).map(i -> i.state() != ItemState.RUNNING).orElse(true);
                    }
                    return cancelled[0];
                }, progress);
                progress.flush();
                if (!store.succeed(itemId, result)) {
                    LOG.info("item {} finished after it was cancelled; its result is not kept", itemId);
                    runner.discard(result);
                }
            } catch (CancellationException e) {
                LOG.info("item {} cancelled", itemId);
            } catch (HeyGemException e) {
                LOG.warn("item {} failed: {}", itemId, e.getMessage());
                store.fail(itemId, e.code().name(), e.messageEn());
            } catch (Exception e) {
                LOG.error("item {} failed unexpectedly", itemId, e);
                store.fail(itemId, "INTERNAL_ERROR", "HeyGem failed unexpectedly (" + e + "); see the item's log");
            }
        } finally {
            publish(itemId);
            MDC.remove("batch");
            MDC.remove("item");
        }
    }

    /** Progress of every item on this node as it happens (the database has it too, a second behind). */
    public ProgressBus progress() {
        return bus;
    }

    /** Tells listeners an item's current state (it started, or finished one way or another). */
    private void publish(String itemId) {
        store.item(itemId).ifPresent(i -> bus.publish(new ItemProgress(i.batchId(), i.id(), i.state(), i.stage(),
                i.percent(), 0, 0, null)));
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
