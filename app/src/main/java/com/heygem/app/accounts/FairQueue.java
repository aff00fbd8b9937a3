package com.heygem.app.accounts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Work of many accounts on a few threads, taking turns. Each account's tasks start in the order
 * they came; the accounts take turns; no account runs more than {@code runningEach} at once nor
 * holds more than {@code heldEach} waiting or running (more is refused at once with {@link Full}).
 * One person sending hundreds of tasks then delays only their own: anyone else's next task starts
 * as soon as a thread is free, not after theirs.
 */
public final class FairQueue implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FairQueue.class);

    /** Refused: the account already holds as many tasks as it may. */
    public static final class Full extends RuntimeException {
        private final int limit;

        Full(String what, int limit) {
            super(what + ": " + limit + " per account at once");
            this.limit = limit;
        }

        /** How many one account may hold. */
        public int limit() {
            return limit;
        }
    }

    /** A queued task: {@link #cancel} takes it out while it has not started. */
    public final class Ticket {
        private final String account;
        private final Runnable task;
        private final long seq;

        private Ticket(String account, Runnable task, long seq) {
            this.account = account;
            this.task = task;
            this.seq = seq;
        }

        /** @return whether it was still waiting (it will never run); false once it has started */
        public boolean cancel() {
            synchronized (lock) {
                ArrayDeque<Ticket> q = waiting.get(account);
                if (q == null || !q.remove(this)) {
                    return false;
                }
                if (q.isEmpty()) {
                    waiting.remove(account);
                }
                held.merge(account, -1, Integer::sum);
                held.remove(account, 0);
                return true;
            }
        }
    }

    private final String name;
    private final int runningEach;
    private final int heldEach;
    private final Object lock = new Object();
    /** Accounts with waiting tasks. */
    private final Map<String, ArrayDeque<Ticket>> waiting = new HashMap<>();
    /** When each account's last task started (a count of starts): a few bytes per account ever seen. */
    private final Map<String, Long> lastStart = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, Integer> held = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private long starts;
    private long submitted;
    private boolean closed;

    /**
     * @param name        what the tasks are, in thread names and refusals ("imports")
     * @param threads     tasks running at once in all
     * @param runningEach tasks of one account running at once
     * @param heldEach    tasks of one account waiting or running
     */
    public FairQueue(String name, int threads, int runningEach, int heldEach) {
        if (threads < 1 || runningEach < 1 || heldEach < runningEach) {
            throw new IllegalArgumentException(name + ": threads " + threads + ", running " + runningEach + ", held " + heldEach);
        }
        this.name = name;
        this.runningEach = runningEach;
        this.heldEach = heldEach;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, name + "-" + i);
            t.setDaemon(true);
            this.threads.add(t);
            t.start();
        }
    }

    /**
     * Queues {@code task} for {@code account}.
     *
     * @throws Full when the account already holds {@code heldEach} tasks, or the queue is closed
     */
    public Ticket submit(String account, Runnable task) {
        synchronized (lock) {
            if (closed) {
                throw new Full(name + " are stopping", 0);
            }
            int now = held.getOrDefault(account, 0);
            if (now >= heldEach) {
                throw new Full(name, heldEach);
            }
            held.put(account, now + 1);
            Ticket t = new Ticket(account, task, ++submitted);
            waiting.computeIfAbsent(account, a -> new ArrayDeque<>()).add(t);
            lock.notifyAll();
            return t;
        }
    }

    /** Tasks of {@code account} waiting or running. */
    public int held(String account) {
        synchronized (lock) {
            return held.getOrDefault(account, 0);
        }
    }

    /**
     * The next task: of the account, among those that may run one more, whose last task started
     * longest ago (or never; between equals, whose task came first); null if none.
     */
    private Ticket next() {
        String pick = null;
        long pickStarted = Long.MAX_VALUE;
        long pickSeq = Long.MAX_VALUE;
        for (Map.Entry<String, ArrayDeque<Ticket>> e : waiting.entrySet()) {
            String account = e.getKey();
            long started = lastStart.getOrDefault(account, -1L);
            long seq = e.getValue().peek().seq;
            if (running.getOrDefault(account, 0) < runningEach
                    && (started < pickStarted || started == pickStarted && seq < pickSeq)) {
                pick = account;
                pickStarted = started;
                pickSeq = seq;
            }
        }
        if (pick == null) {
            return null;
        }
        ArrayDeque<Ticket> q = waiting.get(pick);
        Ticket t = q.poll();
        if (q.isEmpty()) {
            waiting.remove(pick);
        }
        running.merge(pick, 1, Integer::sum);
        lastStart.put(pick, ++starts);
        return t;
    }

    private void work() {
        while (true) {
            Ticket t = null;
            synchronized (lock) {
                while (!closed && (t = next()) == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            try {
                t.task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: a task of {} failed", name, t.account, e);
            } finally {
                synchronized (lock) {
                    running.merge(t.account, -1, Integer::sum);
                    held.merge(t.account, -1, Integer::sum);
                    running.remove(t.account, 0);
                    held.remove(t.account, 0);
                    lock.notifyAll();
                }
            }
        }
    }

    /** Waiting tasks never start; running ones are interrupted (their own stop flags end them sooner). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            waiting.clear();
            lock.notifyAll();
        }
        for (Thread t : threads) {
            t.interrupt();
        }
    }
}
