package com.heygem.app.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Free space in the data directory against the reserve (setting {@code storage.reserveBytes}).
 * Below it, the queue pauses (items stay queued) and uploads and new batches are refused with
 * 507, so that nothing already acknowledged has to be written to a full disk; when space
 * returns, everything goes on by itself. Free space is read at most once a second.
 */
public final class StorageGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);
    private static final long LOOK_NANOS = 1_000_000_000L;
    /** ENOSPC as Java, the JDBC drivers and FFmpeg ("error -28") report it. */
    private static final Pattern NO_SPACE = Pattern.compile("No space left on device|error -28\\b|ENOSPC"
            + "|could not extend file|Disk full", Pattern.CASE_INSENSITIVE);

    private final Path dir;
    private final long reserve;
    /** How much more must be free after a render ran out before the next one is tried. */
    static final long RETRY_GROWTH = 16L << 20;
    /** How long a render that ran out waits for space to grow before it is tried anyway. */
    static final java.time.Duration RETRY_AFTER = java.time.Duration.ofMinutes(10);

    /** Free space the queue waits for after a render ran out (until {@link #neededUntil}). */
    private volatile long needed;
    private volatile long neededUntil = System.nanoTime();
    private volatile long free = Long.MAX_VALUE;
    private volatile long lookedAt = Long.MIN_VALUE / 2;
    private volatile SpareRoom room;
    private ScheduledExecutorService watch;

    /** @param reserve bytes to keep free; 0 turns the guard off */
    public StorageGuard(Path dir, long reserve) {
        this.dir = dir;
        this.reserve = reserve;
    }

    /** A guard that never says low (tests, tools). */
    public static StorageGuard off(Path dir) {
        return new StorageGuard(dir, 0);
    }

    /** Bytes free for this process in the data directory's file system (as last read). */
    public long free() {
        long now = System.nanoTime();
        if (now - lookedAt >= LOOK_NANOS) {
            lookedAt = now;
            try {
                free = Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                free = Long.MAX_VALUE; // cannot tell: the writes themselves will say
            }
        }
        return free;
    }

    /**
     * Keeps {@code room} for the embedded database, looking at the free space every second
     * whether or not anyone asks: the disk can fill up while the server is idle, and the room
     * must be back before the database's next write (a heartbeat within seconds).
     */
    public synchronized void keep(SpareRoom room) {
        if (watch != null) {
            throw new IllegalStateException("already keeping " + this.room);
        }
        this.room = room;
        watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(this::look, 0, 1, TimeUnit.SECONDS);
    }

    private void look() {
        try {
            lookedAt = Long.MIN_VALUE / 2;
            if (room.adjust(free(), base())) {
                lookedAt = Long.MIN_VALUE / 2;
                free();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not look at the free space: {}", e.toString()); // looked at again in a second
        }
    }

    /** A write of the embedded database failed for lack of space: its room is given back at once. */
    public void databaseRanOut() {
        SpareRoom r = room;
        if (r != null) {
            r.release("a write of the database failed: the disk is full");
            lookedAt = Long.MIN_VALUE / 2;
        }
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.shutdownNow();
        }
    }

    public long reserve() {
        return reserve;
    }

    /** Whether free space is below the reserve, or not yet grown since a render ran out of it. */
    public boolean low() {
        return free() < required();
    }

    /**
     * Bytes free that the queue waits for: the reserve, or more for a while after a render ran
     * out; and, while the database's spare room is given back, that room besides (else the queue
     * would take the space given back as free and render into it).
     */
    public long required() {
        SpareRoom r = room;
        return base() + (r != null && r.owed() ? r.size() : 0);
    }

    private long base() {
        return Math.max(reserve, System.nanoTime() - neededUntil < 0 ? needed : 0);
    }

    /**
     * A render ran out of space. Read now, after its partial files are gone, the free space is
     * what it had used up (the disk was full then): the queue waits until more is free
     * ({@link #RETRY_GROWTH}: someone freed space) rather than failing again at once, or until
     * {@link #RETRY_AFTER} has passed. A render that needs still more raises the bar again.
     */
    public void ranOut() {
        lookedAt = Long.MIN_VALUE / 2;
        SpareRoom r = room;
        // The database's room, if given back meanwhile, is not what the render had.
        needed = free() - (r != null && r.owed() ? r.size() : 0) + RETRY_GROWTH;
        neededUntil = System.nanoTime() + RETRY_AFTER.toNanos();
    }

    /** A render finished: whatever it needed was there. */
    public void fitted() {
        neededUntil = System.nanoTime();
    }

    /** Whether {@code e} (or what caused it) is a write that failed because the disk is full. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && NO_SPACE.matcher(m).find()) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
