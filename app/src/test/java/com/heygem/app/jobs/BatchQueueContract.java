package com.heygem.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.app.store.BatchStore;
import com.heygem.app.store.Database;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's rules, with a stand-in for the renderer; run on the embedded database
 * ({@link BatchQueueTest}) and on PostgreSQL ({@link PostgresBatchQueueTest}).
 */
abstract class BatchQueueContract {
    @TempDir
    Path data;
    private Database db;
    private BatchStore store;
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());

    /** A new, empty database for one test. */
    abstract Database openDatabase(Path data) throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase(data);
        store = new BatchStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String template(String name) {
        return store.addAsset(String.format("%64s", name).replace(' ', '0'), "VIDEO", name,
                "uploads/" + name, 1, null);
    }

    private String batch(String... templates) {
        String audio = store.addAsset("a".repeat(64), "AUDIO", "speech.wav", "uploads/speech.wav", 1, 3.0);
        List<String> ids = new ArrayList<>();
        for (String t : templates) {
            ids.add(template(t));
        }
        return store.createBatch(audio, ids, "{}", null);
    }

    /** Records the order, fails templates named bad*, never returns while named slow* (until cancelled). */
    private String fakeRender(BatchStore.Item item, BooleanSupplier cancelled, ProgressReporter progress)
            throws Exception {
        started.add(item.id());
        reporters.put(item.id(), progress);
        String name = store.items(item.batchId()).stream().filter(i -> i.id().equals(item.id())).findFirst()
                .map(i -> i.templateId()).orElseThrow();
        if (badTemplates.contains(name)) {
            throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, "bad.mp4", "truncated");
        }
        if (slowTemplates.contains(name)) {
            for (int f = 0; !cancelled.getAsBoolean(); f++) {
                progress.update("render", Math.min(0.99, f / 1000.0));
                Thread.sleep(20);
            }
            throw new CancellationException();
        }
        progress.frames(100);
        for (int f = 0; f <= 4; f++) {
            progress.update("render", f / 4.0);
            Thread.sleep(5);
        }
        return "outputs/" + item.batchId() + "/" + item.position() + ".mp4";
    }

    private final Set<String> badTemplates = ConcurrentHashMap.newKeySet();
    private final Set<String> slowTemplates = ConcurrentHashMap.newKeySet();
    private final Map<String, ProgressReporter> reporters = new ConcurrentHashMap<>();

    private BatchQueue queue(int workers) {
        return new BatchQueue(db.dataSource(), store, this::fakeRender, workers, Duration.ofSeconds(1));
    }

    private void awaitFinished(List<String> batches, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            boolean all = batches.stream().flatMap(b -> store.items(b).stream()).allMatch(i -> i.state().isFinished());
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not finished in " + limit + ": " + store.allItems());
    }

    @Test
    void tenBatchesSubmittedAtOnceRunInSubmissionOrderAndABadFileFailsAlone() throws Exception {
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            batches.add(batch("t" + b + "a.mp4", "t" + b + "b.mp4"));
        }
        String withBad = batch("good1.mp4", "bad.mp4", "good2.mp4");
        badTemplates.add(template("bad.mp4"));
        batches.add(withBad);
        try (BatchQueue q = queue(1)) {
            for (String b : batches) {
                q.submit(b);
            }
            awaitFinished(batches, Duration.ofSeconds(30));
        }
        List<String> expected = store.allItems().stream().map(BatchStore.Item::id).toList();
        assertThat(started).containsExactlyElementsOf(expected);
        List<BatchStore.Item> last = store.items(withBad);
        assertThat(last).extracting(BatchStore.Item::state)
                .containsExactly(ItemState.SUCCEEDED, ItemState.FAILED, ItemState.SUCCEEDED);
        assertThat(last.get(1).errorCode()).isEqualTo("CORRUPT_MEDIA");
        assertThat(last.get(1).errorMessage()).contains("damaged").contains("bad.mp4");
        assertThat(last.get(0).resultPath()).isEqualTo("outputs/" + withBad + "/0.mp4");
    }

    private String batch(Priority priority, String... templates) {
        String audio = store.addAsset("a".repeat(64), "AUDIO", "speech.wav", "uploads/speech.wav", 1, 3.0);
        List<String> ids = new ArrayList<>();
        for (String t : templates) {
            ids.add(template(t));
        }
        return store.createBatch(audio, ids, "{}", null, null, priority, BatchStore.ADMIN,
                BatchStore.Admission.ANYONE).id();
    }

    private void awaitStarted(String itemId, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!started.contains(itemId) && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(started).as("started in " + limit).contains(itemId);
    }

    /** The test: a colleague's urgent 1-video job is not stuck behind a 200-template batch. */
    @Test
    void aHighPriorityItemStartsWithinOneItemOfALongLowPriorityBatch() throws Exception {
        String[] many = new String[200];
        for (int k = 0; k < many.length; k++) {
            many[k] = "long" + k + ".mp4";
        }
        String low = batch(Priority.LOW, many);
        try (BatchQueue q = queue(1)) {
            q.submit(low);
            List<String> lowItems = store.items(low).stream().map(BatchStore.Item::id).toList();
            awaitStarted(lowItems.get(5), Duration.ofSeconds(30));
            String urgent = batch(Priority.HIGH, "urgent.mp4");
            int startedBefore = started.size();
            q.submit(urgent);
            String urgentItem = store.items(urgent).get(0).id();
            awaitStarted(urgentItem, Duration.ofSeconds(10));
            // At most the low item that was being taken as the urgent one arrived starts before it.
            assertThat(started.indexOf(urgentItem)).as(started.toString()).isLessThanOrEqualTo(startedBefore + 1);
            String normal = batch(Priority.NORMAL, "normal.mp4");
            startedBefore = started.size();
            q.submit(normal);
            String normalItem = store.items(normal).get(0).id();
            awaitStarted(normalItem, Duration.ofSeconds(10));
            assertThat(started.indexOf(normalItem)).isLessThanOrEqualTo(startedBefore + 1);
            // The long batch goes on afterwards, in its own order.
            awaitFinished(List.of(low), Duration.ofSeconds(120));
            List<String> lowOrder = started.stream().filter(lowItems::contains).toList();
            assertThat(lowOrder).containsExactlyElementsOf(lowItems);
        }
    }

    @Test
    void aQueuedBatchMovesUpOrDownAndChangesPriority() throws Exception {
        String blocker = template("blocker.mp4");
        slowTemplates.add(blocker);
        String first = batch("blocker.mp4");
        String a = batch("a.mp4");
        String b = batch("b.mp4");
        String c = batch("c.mp4");
        String lowBatch = batch(Priority.LOW, "low.mp4");
        try (BatchQueue q = queue(1)) {
            for (String x : List.of(first, a, b, c, lowBatch)) {
                q.submit(x);
            }
            awaitStarted(store.items(first).get(0).id(), Duration.ofSeconds(10));
            assertThat(q.move(c, true)).isTrue();      // a c b
            assertThat(q.move(a, false)).isTrue();     // c a b
            assertThat(q.move(b, false)).as("last of its priority already").isFalse();
            assertThat(q.move(first, true)).as("nothing queued: no place to move").isFalse();
            assertThat(q.setPriority(lowBatch, Priority.HIGH)).isTrue(); // low c a b
            assertThat(store.batch(lowBatch).orElseThrow().priority()).isEqualTo(Priority.HIGH);
            assertThat(q.setPriority("b_none", Priority.HIGH)).isFalse();
            slowTemplates.clear();
            q.cancel(store.items(first).get(0).id());
            awaitFinished(List.of(a, b, c, lowBatch), Duration.ofSeconds(20));
        }
        List<String> order = started.subList(1, started.size());
        assertThat(order).containsExactly(store.items(lowBatch).get(0).id(), store.items(c).get(0).id(),
                store.items(a).get(0).id(), store.items(b).get(0).id());
    }

    @Test
    void cancelStopsARunningItemWithinTwoSecondsAndRetryRunsItAgain() throws Exception {
        String slow = template("slow.mp4");
        slowTemplates.add(slow);
        String b = batch("slow.mp4", "next.mp4");
        try (BatchQueue q = queue(1)) {
            q.submit(b);
            String item = store.items(b).get(0).id();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.item(item).orElseThrow().state() != ItemState.RUNNING && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            long t0 = System.nanoTime();
            q.cancel(item);
            // The worker is free again (the next item runs) once the render has stopped.
            String next = store.items(b).get(1).id();
            while (store.item(next).orElseThrow().state() != ItemState.SUCCEEDED && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
            assertThat(store.item(item).orElseThrow().state()).isEqualTo(ItemState.CANCELED);

            slowTemplates.clear(); // the cause is gone
            q.retry(item);
            awaitFinished(List.of(b), Duration.ofSeconds(10));
            assertThat(store.item(item).orElseThrow().state()).isEqualTo(ItemState.SUCCEEDED);
            assertThat(store.item(item).orElseThrow().attempts()).isEqualTo(2);
        }
    }

    @Test
    void aRetryRightAfterACancelRunsTheItemAgain() throws Exception {
        String slow = template("stubborn.mp4");
        slowTemplates.add(slow);
        String b = batch("stubborn.mp4");
        String item = store.items(b).get(0).id();
        try (BatchQueue q = queue(1)) {
            q.submit(b);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.item(item).orElseThrow().state() != ItemState.RUNNING && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            slowTemplates.clear();
            // Retried before the running attempt has even noticed the cancel (it looks every 0.5 s).
            q.cancel(item);
            q.retry(item);
            awaitFinished(List.of(b), Duration.ofSeconds(15));
            assertThat(store.item(item).orElseThrow().state()).isEqualTo(ItemState.SUCCEEDED);
            assertThat(store.item(item).orElseThrow().attempts()).isEqualTo(2);
        }
    }

    @Test
    void aQueuedItemWithoutAnExecutionIsFoundAndRun() throws Exception {
        String b = batch("orphan.mp4"); // stored, but the process died before queueing it
        try (BatchQueue q = queue(1)) {
            // Nobody submits it: the repair (run by the scheduler at start, then every 15 s) finds it.
            awaitFinished(List.of(b), BatchQueue.REPAIR_EVERY.plusSeconds(5));
            assertThat(q.repair()).as("nothing left to repair").isZero();
        }
        assertThat(store.items(b).get(0).state()).isEqualTo(ItemState.SUCCEEDED);
    }

    @Test
    void anItemCancelledBeforeItStartsNeverRunsAndCanBeRetried() throws Exception {
        slowTemplates.add(template("blocker.mp4"));
        String b = batch("blocker.mp4", "waiting.mp4");
        try (BatchQueue q = queue(1)) {
            q.submit(b);
            String blocker = store.items(b).get(0).id();
            String waiting = store.items(b).get(1).id();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.item(blocker).orElseThrow().state() != ItemState.RUNNING && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            q.cancel(waiting); // still queued behind the blocker
            assertThat(store.item(waiting).orElseThrow().state()).isEqualTo(ItemState.CANCELED);
            q.retry(waiting); // its execution is still waiting in the schedule: no duplicate
            q.cancel(blocker);
            awaitFinished(List.of(b), Duration.ofSeconds(10));
            assertThat(store.item(waiting).orElseThrow().state()).isEqualTo(ItemState.SUCCEEDED);
            assertThat(started).containsExactly(blocker, waiting);
        }
    }

    @Test
    void listenersSeeTheStartTheStagesWithFramesAndTheEnd() throws Exception {
        String b = batch("watched.mp4");
        String item = store.items(b).get(0).id();
        List<ItemProgress> seen = Collections.synchronizedList(new ArrayList<>());
        try (BatchQueue q = queue(1); AutoCloseable l = q.progress().listen(seen::add)) {
            q.submit(b);
            // Wait for the event itself: the database says SUCCEEDED a moment before the listeners
            // hear it, and the listener closes first (flaky on a busy machine when it waited on the store).
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.stream().noneMatch(p -> p.state() == ItemState.SUCCEEDED) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
        }
        assertThat(seen).allMatch(p -> p.itemId().equals(item) && p.batchId().equals(b));
        assertThat(seen.get(0).state()).isEqualTo(ItemState.RUNNING);
        assertThat(seen.get(seen.size() - 1).state()).isEqualTo(ItemState.SUCCEEDED);
        assertThat(seen.get(seen.size() - 1).percent()).isEqualTo(100);
        ItemProgress last = seen.stream().filter(p -> "rendering".equals(p.stage()) && p.state() == ItemState.RUNNING)
                .reduce((x, y) -> y).orElseThrow();
        assertThat(last.framesTotal()).isEqualTo(100);
        assertThat(last.framesDone()).isEqualTo(100);
        assertThat(store.item(item).orElseThrow().stage()).isEqualTo("rendering");
    }

    @Test
    void aCancelledItemStaysCancelledForWatchersThoughItsRenderReportsAfterTheCancel() throws Exception {
        String slow = template("chatty.mp4");
        slowTemplates.add(slow);
        String b = batch("chatty.mp4");
        String item = store.items(b).get(0).id();
        List<ItemProgress> seen = Collections.synchronizedList(new ArrayList<>());
        try (BatchQueue q = queue(1); AutoCloseable l = q.progress().listen(seen::add)) {
            q.submit(b);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.stream().noneMatch(p -> "rendering".equals(p.stage())) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            q.cancel(item);
            // A render reports until it notices its cancel (up to half a second later): one more
            // report from its reporter after the cancel went out is that race, made certain.
            reporters.get(item).flush();
        }
        List<ItemProgress> events = List.copyOf(seen);
        int canceledAt = -1;
        for (int k = 0; k < events.size() && canceledAt < 0; k++) {
            canceledAt = events.get(k).state() == ItemState.CANCELED ? k : -1;
        }
        assertThat(canceledAt).as("a CANCELED report in %s", events).isGreaterThan(0);
        assertThat(events.subList(canceledAt, events.size())).anyMatch(p -> p.state() == ItemState.RUNNING);
        ItemProgress shown = null;
        double percent = 0;
        for (ItemProgress p : events) {
            if (p.supersedes(shown)) {
                shown = p;
                if (p.state() == ItemState.RUNNING) {
                    assertThat(p.percent()).as("progress never goes back").isGreaterThanOrEqualTo(percent);
                    percent = p.percent();
                }
            }
        }
        assertThat(shown.state()).isEqualTo(ItemState.CANCELED);
        assertThat(shown.revision()).isEqualTo(store.item(item).orElseThrow().revision());
        assertThat(store.item(item).orElseThrow().state()).as("a late report never writes a state back")
                .isEqualTo(ItemState.CANCELED);
    }

    @Test
    void aBatchDeletedWhileItsItemRunsLeavesNoFolder() throws Exception {
        String slow = template("deleted.mp4");
        slowTemplates.add(slow);
        String b = batch("deleted.mp4");
        List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
        ItemRunner runner = new ItemRunner() {
            @Override
            public String run(BatchStore.Item item, BooleanSupplier cancelled, ProgressReporter progress) throws Exception {
                return fakeRender(item, cancelled, progress);
            }

            @Override
            public void forget(String batchId) {
                forgotten.add(batchId);
            }
        };
        try (BatchQueue q = new BatchQueue(db.dataSource(), store, runner, 1, Duration.ofSeconds(1))) {
            q.submit(b);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (started.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(store.deleteBatch(b)).isTrue();
            while (forgotten.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
        }
        assertThat(forgotten).containsExactly(b);
    }

    @Test
    void aSubmitRacingTheRepairNeverFails() throws Exception {
        // The repair (every 15 s, any node) and a submit can queue the same new item at once; the
        // loser used to throw "duplicate key" out of POST /api/v1/batches (seen once in five runs).
        try (BatchQueue q = queue(0)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (int k = 0; k < 30; k++) {
                    String b = batch("race" + k + "a.mp4", "race" + k + "b.mp4", "race" + k + "c.mp4", "race" + k + "d.mp4");
                    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
                    List<java.util.concurrent.Future<?>> all = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        boolean repairs = t == 3;
                        all.add(pool.submit(() -> {
                            start.await();
                            if (repairs) {
                                q.repair();
                            } else {
                                q.submit(b); // the same batch from three places at once: the widest race
                            }
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : all) {
                        f.get();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aResultFinishedJustAfterACancelIsDiscarded() throws Exception {
        String b = batch("late.mp4");
        String item = store.items(b).get(0).id();
        List<String> discarded = Collections.synchronizedList(new ArrayList<>());
        ItemRunner runner = new ItemRunner() {
            @Override
            public String run(BatchStore.Item i, BooleanSupplier cancelled, ProgressReporter progress) {
                store.transition(i.id(), ItemState.RUNNING, ItemState.CANCELED); // the cancel lands now
                return "outputs/late.mp4";
            }

            @Override
            public void discard(String result) {
                discarded.add(result);
            }
        };
        try (BatchQueue q = new BatchQueue(db.dataSource(), store, runner, 1, Duration.ofSeconds(1))) {
            q.submit(b);
            awaitFinished(List.of(b), Duration.ofSeconds(10));
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (discarded.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
        }
        assertThat(store.item(item).orElseThrow().state()).isEqualTo(ItemState.CANCELED);
        assertThat(store.item(item).orElseThrow().resultPath()).isNull();
        assertThat(discarded).containsExactly("outputs/late.mp4");
    }

    @Test
    void anItemWhoseNodeDiedRunsAgainFromTheStart() throws Exception {
        String b = batch("interrupted.mp4");
        String item = store.items(b).get(0).id();
        // What a node killed mid-render leaves behind: the item RUNNING, its execution picked by
        // that node, whose heartbeat stopped a while ago.
        assertThat(store.transition(item, ItemState.QUEUED, ItemState.RUNNING)).isTrue();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement("insert into scheduled_tasks (task_name, task_instance,"
                        + " execution_time, picked, picked_by, last_heartbeat, version) values (?, ?, ?, true, ?, ?, 1)")) {
            Timestamp old = Timestamp.from(Instant.now().minusSeconds(3600));
            p.setString(1, BatchQueue.TASK);
            p.setString(2, item);
            p.setTimestamp(3, old);
            p.setString(4, "dead-node");
            p.setTimestamp(5, old);
            p.executeUpdate();
        }
        try (BatchQueue q = queue(1)) {
            awaitFinished(List.of(b), Duration.ofSeconds(30));
        }
        BatchStore.Item done = store.item(item).orElseThrow();
        assertThat(done.state()).isEqualTo(ItemState.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(started).containsExactly(item);
    }
}
