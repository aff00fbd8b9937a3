package com.heygem.app.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.StorageGuard;
import com.heygem.engine.error.HeyGemException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
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
    /**
     * How often one node looks for queued items without an execution (a crash between storing a
     * batch and queueing it, a retry that raced the end of the previous attempt) and queues them.
     */
    static final Duration REPAIR_EVERY = Duration.ofSeconds(15);

    /**
     * Who this node is: its name in the schedule and the worker list, its registration (null on a
     * node that does not render or in tests), how long a stop lets the current item finish
     * before handing it back, and the data directory's free space (below its reserve no item
     * starts, and one that runs out of space goes back to the queue instead of failing).
     */
    public record Node(String name, WorkerRegistry registry, Duration stopGrace, StorageGuard storage) {
        public Node(String name, WorkerRegistry registry, Duration stopGrace) {
            this(name, registry, stopGrace, StorageGuard.off(java.nio.file.Path.of(".")));
        }

        static Node anonymous() {
            return new Node(new SchedulerName.Hostname().getName(), null, Duration.ZERO);
        }
    }

    /** How often a paused queue looks whether space came back. */
    static final Duration STORAGE_LOOK = Duration.ofSeconds(2);

    /**
     * How an execution of an item ends for the schedule: removed ({@link #DONE}: the item finished
     * one way or another, or is no longer there to run), or put back in the queue, due again
     * after {@code delay} (a graceful stop, or a render that ran out of disk space). Told to
     * db-scheduler by a completion handler, so a hand-back is an ordinary end of an execution,
     * never an exception it logs as a failure.
     */
    private record Outcome(Duration delay) {
        static final Outcome DONE = new Outcome(null);
        static final Outcome HAND_BACK = new Outcome(Duration.ZERO);

        CompletionHandler<Void> completion() {
            return delay == null ? new CompletionHandler.OnCompleteRemove<>()
                    : (complete, ops) -> ops.reschedule(complete, Instant.now().plus(delay));
        }
    }

    /** When an execution fails all the same (the database went away mid-item): it runs again this much later. */
    static final Duration AFTER_FAILURE = Duration.ofSeconds(5);

    private final BatchStore store;
    private final ItemRunner runner;
    private final Node node;
    /** System.nanoTime() after which a running item is handed back; Long.MAX_VALUE while not stopping. */
    private volatile long handBackAfter = Long.MAX_VALUE;
    private final ProgressBus bus = new ProgressBus();
    private final RenderPace pace;
    private final CustomTask<Void> task;
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
        this(db, store, runner, workers, heartbeat, hourly, Node.anonymous());
    }

    /** @param node this node's name, registration and stop grace */
    public BatchQueue(DataSource db, BatchStore store, ItemRunner runner, int workers, Duration heartbeat,
            Runnable hourly, Node node) {
        this.store = store;
        this.pace = new RenderPace(db);
        this.runner = runner;
        this.node = node;
        this.task = Tasks.custom(TASK, Void.class).onDeadExecutionRevive()
                // runItem ends every item it can by itself; what escapes it (the database gone) runs again.
                .onFailure((complete, ops) -> ops.reschedule(complete, Instant.now().plus(AFTER_FAILURE)))
                .execute((instance, context) -> runItem(instance.getId()).completion());
        List<RecurringTask<Void>> recurring = new java.util.ArrayList<>();
        recurring.add(Tasks.recurring("queue-repair", FixedDelay.of(REPAIR_EVERY)).execute((i, c) -> repair()));
        if (hourly != null) {
            recurring.add(Tasks.recurring("house-keeping", FixedDelay.ofHours(1)).execute((i, c) -> hourly.run()));
        }
        this.scheduler = Scheduler.create(db, task)
                .startTasks(recurring)
                .threads(Math.max(1, workers))
                .pollingInterval(Duration.ofMillis(500))
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(MISSED_HEARTBEATS)
                .enableImmediateExecution()
                // The most urgent due item first; and no item fetched ahead of a free worker, so the
                // next one is chosen when a worker is free, by what is queued then.
                .enablePriority()
                .pollUsingFetchAndLockOnExecute(0.5, 1.0)
                .schedulerName(new SchedulerName.Fixed(node.name()))
                .shutdownMaxWait(node.stopGrace().plusSeconds(10))
                .build();
        if (workers > 0) {
            scheduler.start();
        }
    }

    /**
     * Queues every item of a stored batch, in position order: after all batches of its priority
     * queued before it, before every item of a lower priority not yet started.
     */
    public void submit(String batchId) {
        BatchStore.Batch batch = store.batch(batchId).orElseThrow();
        for (BatchStore.Item item : store.items(batchId)) {
            scheduleOnce(item.id(), executionTime(batch.queueOrder(), item.position()), batch.priority());
        }
    }

    /**
     * Changes a batch's priority; its items not yet started take their new place at once.
     *
     * @return false when there is no such batch
     */
    public boolean setPriority(String batchId, Priority priority) {
        return store.setPriority(batchId, priority, TASK);
    }

    /**
     * Moves a batch one place earlier ({@code up}) or later in the queue, among the batches of its
     * priority that still have queued items: it swaps places with that neighbour.
     *
     * @return false when there is nothing to pass (it is first or last already)
     */
    public boolean move(String batchId, boolean up) {
        java.util.Optional<String> other = store.queueNeighbour(batchId, up);
        other.ifPresent(o -> store.swapPlaces(batchId, o, TASK, BatchQueue::executionTime));
        return other.isPresent();
    }

    /**
     * When an item of a batch is due: the batch's place in the queue (its creation time, unless
     * it was moved) plus one microsecond per position.
     * The scheduler takes due work in time order, and whoever queues the item (the submit, or the
     * repair after a crash) gives it the same time, so batches run in the order they were made.
     */
    static Instant executionTime(Instant queueOrder, int position) {
        return queueOrder.plusNanos(1000L * position);
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
        retry(itemId, BatchStore.Admission.ANYONE);
    }

    /** {@link #retry(String)} if {@code admit} lets it, checked in the transaction that queues it (a quota). */
    public void retry(String itemId, BatchStore.Admission admit) {
        BatchStore.Item item = store.item(itemId).orElseThrow();
        if (store.transition(itemId, item.state(), ItemState.QUEUED, admit)) {
            store.renotify(item.batchId());
            // A cancelled item that never started may still have its execution waiting: that one runs it.
            scheduleOnce(itemId, Instant.now(), store.batch(item.batchId()).map(BatchStore.Batch::priority)
                    .orElse(Priority.NORMAL));
        }
        publish(itemId);
    }

    private Outcome runItem(String itemId) {
        BatchStore.Item item = store.item(itemId).orElse(null);
        if (item == null) {
            return Outcome.DONE; // its batch was deleted
        }
        MDC.put("batch", item.batchId());
        MDC.put("item", itemId);
        try {
            if (item.state() == ItemState.RUNNING) {
                LOG.info("item {} was interrupted (its node stopped); running it again", itemId);
                store.transition(itemId, ItemState.RUNNING, ItemState.QUEUED);
            }
            Outcome waited = awaitStorage(itemId);
            if (waited != null) {
                return waited;
            }
            if (StageHold.on()) {
                StageHold.item(itemId, store.batch(item.batchId()).map(BatchStore.Batch::name).orElse(null), "queued",
                        () -> stopping() || store.item(itemId).map(i -> i.state() != ItemState.QUEUED).orElse(true));
            }
            if (stopping()) {
                // Picked as the node began to stop: it never started, so it simply waits in the queue.
                LOG.info("item {} handed back to the queue before it started: this node is stopping", itemId);
                return Outcome.HAND_BACK;
            }
            if (!store.transition(itemId, ItemState.QUEUED, ItemState.RUNNING)) {
                return Outcome.DONE; // cancelled before it started, or already done
            }
            Outcome ended = render(item);
            if (ended == Outcome.DONE && store.item(itemId).map(i -> i.state() == ItemState.QUEUED).orElse(false)) {
                // Retried while this attempt was still stopping: its execution still existed then, so
                // the retry could not add one. Keep this one instead: due again now.
                LOG.info("item {} was retried while stopping; queued again", itemId);
                return Outcome.HAND_BACK;
            }
            return ended;
        } finally {
            if (store.item(itemId).isEmpty()) {
                // Its batch was deleted while it ran: the render may have made the folder after the delete.
                runner.forget(item.batchId());
            }
            publish(itemId);
            MDC.remove("batch");
            MDC.remove("item");
        }
    }

    /** Whether this node is stopping and its grace is over: running items go back to the queue. */
    private boolean stopping() {
        return System.nanoTime() > handBackAfter;
    }

    /** Renders an item that has just become RUNNING, to its end: succeeded, failed, cancelled or handed back. */
    private Outcome render(BatchStore.Item item) {
        String itemId = item.id();
        if (node.registry() != null) {
            node.registry().current(itemId, false);
        }
        long[] lastCheck = {0};
        boolean[] cancelled = {false};
        BooleanSupplier stop = () -> {
            long now = System.nanoTime();
            if (!cancelled[0] && now - lastCheck[0] > CANCEL_CHECK.toNanos()) {
                lastCheck[0] = now;
                cancelled[0] = store.item(itemId).map(i -> i.state() != ItemState.RUNNING).orElse(true);
            }
            return cancelled[0] || now > handBackAfter;
        };
        boolean finished = false;
        try {
            // Read again: its revision is now the RUNNING state's, which its reports carry.
            ProgressReporter progress = new ProgressReporter(store, bus, store.item(itemId).orElse(item), pace, stop);
            publish(itemId);
            String result = runner.run(item, stop, progress);
            progress.flush();
            if (!store.succeed(itemId, result)) {
                LOG.info("item {} finished after it was cancelled; its result is not kept", itemId);
                runner.discard(result);
            } else {
                progress.learn();
            }
            finished = true;
            node.storage().fitted();
        } catch (CancellationException e) {
            if (stopping() && store.transition(itemId, ItemState.RUNNING, ItemState.QUEUED)) {
                LOG.info("item {} handed back to the queue: this node is stopping", itemId);
                return Outcome.HAND_BACK;
            }
            LOG.info("item {} cancelled", itemId);
        } catch (Exception e) {
            if (outOfSpace(e) && store.transition(itemId, ItemState.RUNNING, ItemState.QUEUED)) {
                if (StorageGuard.isNoSpace(e)) {
                    node.storage().ranOut();
                }
                LOG.warn("item {} ran out of disk space: back in the queue, which waits until {} MiB are free",
                        itemId, node.storage().required() >> 20);
                return new Outcome(STORAGE_LOOK);
            }
            fail(itemId, e);
        } finally {
            if (node.registry() != null) {
                node.registry().current(null, finished);
            }
        }
        return Outcome.DONE;
    }

    /**
     * Waits while the data directory is below its free-space reserve, the item still queued.
     *
     * @return null to go on; {@link Outcome#DONE} when the item is no longer queued (cancelled
     *         meanwhile); a hand-back when this node stops meanwhile
     */
    private Outcome awaitStorage(String itemId) {
        boolean told = false;
        while (node.storage().low()) {
            if (!told) {
                LOG.warn("the data directory has {} MiB free, under the {} MiB needed (storage.reserveBytes, or what"
                        + " the last render ran out with): the queue is paused until space is freed",
                        node.storage().free() >> 20, node.storage().required() >> 20);
                told = true;
            }
            if (stopping()) {
                return Outcome.HAND_BACK;
            }
            if (store.item(itemId).map(i -> i.state() != ItemState.QUEUED).orElse(true)) {
                return Outcome.DONE;
            }
            try {
                Thread.sleep(STORAGE_LOOK.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.HAND_BACK;
            }
        }
        if (told) {
            LOG.info("space is back ({} MiB free): the queue goes on", node.storage().free() >> 20);
        }
        return null;
    }

    /** Whether a failed render failed because the disk is full (then it waits for space, not fails). */
    private boolean outOfSpace(Exception e) {
        return StorageGuard.isNoSpace(e) || node.storage().low();
    }

    private void fail(String itemId, Exception e) {
        if (e instanceof HeyGemException he) {
            LOG.warn("item {} failed: {}", itemId, e.getMessage());
            store.fail(itemId, he.code().name(), he.messageEn(), he.messageZh());
        } else {
            LOG.error("item {} failed unexpectedly", itemId, e);
            store.fail(itemId, "INTERNAL_ERROR", "HeyGem failed unexpectedly (" + e + "); see the item's log",
                    "HeyGem 意外出错（" + e + "），详情见该任务的日志");
        }
    }

    /**
     * Gives an item its execution unless it has one. db-scheduler looks, then inserts: when the
     * repair and a submit (or two nodes) do that for one item at the same moment, the second
     * insert hits the unique key; that item has its execution, which is all that was asked.
     *
     * @return whether this call added it
     */
    private boolean scheduleOnce(String itemId, Instant due, Priority priority) {
        try {
            return scheduler.scheduleIfNotExists(task.instanceBuilder(itemId).priority(priority.value()).scheduledTo(due));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
                if ((t instanceof java.sql.SQLException q && "23505".equals(q.getSQLState()))
                        || m.contains("duplicate key") || m.contains("unique index or primary key violation")) {
                    return false;
                }
            }
            throw e;
        }
    }

    /** Queues every QUEUED item that has no execution waiting (see {@link #REPAIR_EVERY}). */
    int repair() {
        int n = 0;
        for (BatchStore.Queued q : store.queuedWithoutExecution(TASK)) {
            if (scheduleOnce(q.itemId(), executionTime(q.queueOrder(), q.position()), q.priority())) {
                LOG.info("item {} was queued without an execution; queued it again", q.itemId());
                n++;
            }
        }
        return n;
    }

    /** Progress of every item on this node as it happens (the database has it too, a second behind). */
    /** How fast renders went here: what progress bars and times left are estimated from. */
    public RenderPace pace() {
        return pace;
    }

    public ProgressBus progress() {
        return bus;
    }

    /** Tells listeners an item's current state (it started, or finished one way or another). */
    private void publish(String itemId) {
        store.item(itemId).ifPresent(i -> bus.publish(new ItemProgress(i.batchId(), i.id(), i.state(), i.revision(),
                i.stage(), i.percent(), 0, 0, null)));
    }

    /**
     * Stops this node's part of the queue: no new item is taken; the running ones may finish
     * within {@code grace}, after which they stop and go back to the queue (another node, or this
     * one's next start, runs them from the beginning).
     */
    public void stop(Duration grace) {
        if (node.registry() != null) {
            node.registry().stopping();
        }
        handBackAfter = System.nanoTime() + grace.toNanos();
        scheduler.stop();
        if (node.registry() != null) {
            node.registry().close();
        }
    }

    /** {@link #stop} with the node's configured grace. */
    @Override
    public void close() {
        stop(node.stopGrace());
    }
}
