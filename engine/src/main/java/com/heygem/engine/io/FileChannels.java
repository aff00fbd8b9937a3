package com.heygem.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads and writes that finish the job: a channel may move fewer bytes per call. */
public final class FileChannels {
    private FileChannels() {
    }

    /** Fills {@code buffer} from {@code position} on. @throws EOFException when the file ends first */
    public static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("the file ends at " + at);
            }
            at += n;
        }
    }

    /** Writes all of {@code buffer} at {@code position}. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
