package com.heygem.app.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Space set aside in the data directory for the embedded database, given back to it when the
 * disk is full to the last byte. H2 cannot write on a full disk: the first failed write (a
 * heartbeat, a cancel, the delete that would free space) closes the database, and every request
 * reading it failed until the pool had reopened it, only for the next write to close it again
 * (the 2-hour soak counted 27 such answers). With this room given back, the database keeps
 * reading and writing while the queue stays paused and someone frees space.
 */
public final class SpareRoom {
    private static final Logger LOG = LoggerFactory.getLogger(SpareRoom.class);
    /** Enough for the database's own small writes (heartbeats, cancels, deletes) for a long while. */
    public static final long SIZE = 32L << 20;
    /** Free space under which the disk counts as full to the last byte: the room is given back. */
    static final long FULL_BELOW = 4L << 20;

    private final Path file;
    private final long size;
    private boolean held;
    /** Given back and not yet set aside again. */
    private volatile boolean owed;

    public SpareRoom(Path file, long size) {
        this.file = file;
        this.size = size;
        this.held = sizeOnDisk() >= size;
    }

    /**
     * The room of the embedded database in {@code dataDir}: {@link #SIZE}, or half the reserve
     * when that is smaller (the room is carved from the same disk as what the reserve keeps free).
     */
    public static SpareRoom forDatabase(Path dataDir, long reserve) {
        return new SpareRoom(dataDir.resolve("db").resolve("spare-room"), Math.min(SIZE, reserve / 2));
    }

    public long size() {
        return size;
    }

    public synchronized boolean held() {
        return held;
    }

    /** Whether the room was given back to the database and is not yet set aside again. */
    public boolean owed() {
        return owed;
    }

    /**
     * Looks at the free space: gives the room back when the disk is full, sets it aside again
     * once there is space for it and {@code required} besides (at the first start, too).
     *
     * @return whether free space changed (read it again)
     */
    synchronized boolean adjust(long free, long required) {
        if (held && free < FULL_BELOW) {
            release("the disk is full");
            return true;
        }
        if (!held && free >= required + size) {
            hold();
            return true;
        }
        return false;
    }

    /** Gives the room back to the database (a write of it failed for lack of space). */
    public synchronized void release(String why) {
        if (!held) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            held = false;
            owed = true;
            LOG.warn("{}: the {} MiB set aside for the database are given back to it so it keeps working; free space in"
                    + " the data directory (delete old batches or run the clean-up), and they are set aside again",
                    why, size >> 20);
        } catch (IOException e) {
            LOG.warn("could not give back the database's spare room {}: {}", file, e.toString());
        }
    }

    /**
     * Writes the room out. Random bytes, not zeros: a compressing or deduplicating file system
     * would keep zeros in no space at all.
     */
    private void hold() {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer block = ByteBuffer.allocate(1 << 20);
                new SplittableRandom(size).nextBytes(block.array());
                for (long left = size; left > 0; left -= block.capacity()) {
                    block.clear().limit((int) Math.min(block.capacity(), left));
                    while (block.hasRemaining()) {
                        out.write(block);
                    }
                }
                out.force(false);
            }
            Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            held = true;
            owed = false;
            LOG.info("{} MiB set aside for the database, for when the disk is full", size >> 20);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // nothing more to do: the next look tries again
            }
            LOG.debug("could not set aside the database's spare room: {}", e.toString());
        }
    }

    private long sizeOnDisk() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
