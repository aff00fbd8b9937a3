package com.heygem.engine.render;

import com.heygem.engine.io.FileChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fixed-size byte slots in a temporary file that deletes itself: decoded pixels a render needs
 * again later (mouth crops, frames played backwards) without holding a long template in the
 * heap. The operating system's page cache keeps it in memory when there is room.
 */
final class SlotFile implements AutoCloseable {
    private final FileChannel channel;
    private final int slotBytes;

    SlotFile(Path dir, String prefix, int slotBytes) {
        this.slotBytes = slotBytes;
        try {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, prefix, ".tmp");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int slotBytes() {
        return slotBytes;
    }

    void write(int slot, byte[] data, int length) {
        try {
            FileChannels.writeFully(channel, ByteBuffer.wrap(data, 0, length), (long) slot * slotBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void read(int slot, byte[] data, int length) {
        try {
            FileChannels.readFully(channel, ByteBuffer.wrap(data, 0, length), (long) slot * slotBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("slot " + slot + " was never written", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
