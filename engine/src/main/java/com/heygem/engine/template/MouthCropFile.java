package com.heygem.engine.template;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every frame's lower face at native resolution (I420: Y, then U, then V, each packed), cut out
 * while the analysis decodes the template anyway, so that a render of a cached template decodes
 * it once instead of twice. Layout: the crops one after another, then an index (x, y, width,
 * height, offset per frame; offset -1 without a face), then a trailer (frames, index offset,
 * version, magic). Written to a temporary name and renamed into place when complete, so a
 * half-written file is never read.
 *
 * <p>Read and written through {@link RandomAccessFile}, not a {@code FileChannel}: an interrupt
 * of the thread that uses a channel closes it, which would throw away a nearly complete file
 * (or break a render's reads) for a reason that has nothing to do with the file.
 */
public final class MouthCropFile implements AutoCloseable {
    private static final long MAGIC = 0x4847_4D4F_5554_4831L; // "HGMOUTH1"
    private static final int VERSION = 1;
    private static final int TRAILER = 4 + 8 + 4 + 8;
    private static final int ENTRY = 4 * 4 + 8;
    /** Around the jaw and the nose's underside: room for another frame's chin and for the warp. */
    static final float MARGIN_SIDE = 0.10f;
    static final float MARGIN_TOP = 0.03f;
    static final float MARGIN_BOTTOM = 0.45f;

    private final RandomAccessFile file;
    private final int[] rects;
    private final long[] offsets;
    private final int maxBytes;

    private MouthCropFile(RandomAccessFile file, int[] rects, long[] offsets, int maxBytes) {
        this.file = file;
        this.rects = rects;
        this.offsets = offsets;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens a complete crop file of {@code frames} frames; empty when it is missing, of another
     * version or length, or damaged (the caller then cuts the crops itself).
     */
    public static Optional<MouthCropFile> open(Path file, int frames) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        RandomAccessFile in = null;
        try {
            in = new RandomAccessFile(file.toFile(), "r");
            long size = in.length();
            if (size < TRAILER) {
                in.close();
                return Optional.empty();
            }
            ByteBuffer trailer = read(in, size - TRAILER, TRAILER);
            int count = trailer.getInt();
            long indexAt = trailer.getLong();
            int version = trailer.getInt();
            long magic = trailer.getLong();
            if (magic != MAGIC || version != VERSION || count != frames || indexAt < 0
                    || indexAt + (long) count * ENTRY != size - TRAILER) {
                in.close();
                return Optional.empty();
            }
            ByteBuffer index = read(in, indexAt, count * ENTRY);
            int[] rects = new int[4 * count];
            long[] offsets = new long[count];
            int maxBytes = 16;
            for (int f = 0; f < count; f++) {
                for (int k = 0; k < 4; k++) {
                    rects[4 * f + k] = index.getInt();
                }
                offsets[f] = index.getLong();
                int bytes = bytes(rects[4 * f + 2], rects[4 * f + 3]);
                if (offsets[f] >= 0 && offsets[f] + bytes > indexAt) {
                    in.close();
                    return Optional.empty();
                }
                maxBytes = Math.max(maxBytes, bytes);
            }
            // Used: the store evicts the least recently used crop files first.
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            return Optional.of(new MouthCropFile(in, rects, offsets, maxBytes));
        } catch (IOException | RuntimeException e) {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // already failing: the crops will be cut from the video instead
                }
            }
            return Optional.empty();
        }
    }

    private static ByteBuffer read(RandomAccessFile file, long at, int length) throws IOException {
        byte[] bytes = new byte[length];
        file.seek(at);
        file.readFully(bytes);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int bytes(int width, int height) {
        return width * height * 3 / 2;
    }

    public int frames() {
        return offsets.length;
    }

    /** Whether frame {@code f} has a crop (it had a face when analysed). */
    public boolean has(int f) {
        return offsets[f] >= 0;
    }

    public int x(int f) {
        return rects[4 * f];
    }

    public int y(int f) {
        return rects[4 * f + 1];
    }

    public int width(int f) {
        return rects[4 * f + 2];
    }

    public int height(int f) {
        return rects[4 * f + 3];
    }

    /** Size of the largest crop: a buffer this long holds any of them. */
    public int maxBytes() {
        return maxBytes;
    }

    /** Reads frame {@code f}'s crop into {@code out}. */
    public synchronized void load(int f, byte[] out) {
        try {
            file.seek(offsets[f]);
            file.readFully(out, 0, bytes(width(f), height(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The even-aligned box around a face's jaw and nose underside, grown by the margins: what
     * any lip-sync region on this face (and any chin mapped onto it) can reach.
     *
     * @param out x, y, width, height at {@code out[0..3]}
     */
    public static void region(float[] points, int imageWidth, int imageHeight, int[] out) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = 0; i < Landmarks.POINTS; i++) {
            boolean jaw = i <= 16;
            boolean noseUnderside = i >= 31 && i <= 35;
            if (!jaw && !noseUnderside) {
                continue;
            }
            minX = Math.min(minX, points[2 * i]);
            maxX = Math.max(maxX, points[2 * i]);
            minY = Math.min(minY, points[2 * i + 1]);
            maxY = Math.max(maxY, points[2 * i + 1]);
        }
        float w = (float) Landmarks.distance(points, 0, 16);
        int x0 = Math.max(0, (int) Math.floor(minX - MARGIN_SIDE * w)) & ~1;
        int y0 = Math.max(0, (int) Math.floor(minY - MARGIN_TOP * w)) & ~1;
        int x1 = Math.min(imageWidth & ~1, ((int) Math.ceil(maxX + MARGIN_SIDE * w) + 1) & ~1);
        int y1 = Math.min(imageHeight & ~1, ((int) Math.ceil(maxY + MARGIN_BOTTOM * w) + 1) & ~1);
        out[0] = x0;
        out[1] = y0;
        out[2] = Math.max(0, x1 - x0);
        out[3] = Math.max(0, y1 - y0);
    }

    /** Appends frames in order while a template is decoded; {@link #finish} makes the file visible. */
    public static final class Writer implements AutoCloseable {
        private final Path temp;
        private final RandomAccessFile out;
        private int[] rects = new int[4 * 1024];
        private long[] offsets = new long[1024];
        private final int[] rect = new int[4];
        private byte[] buffer = new byte[0];
        private int frames;
        private long position;
        private boolean finished;
        private IOException failure;

        public Writer(Path dir, String name) throws IOException {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + name + ".", ".partial");
            out = new RandomAccessFile(temp.toFile(), "rw");
        }

        /**
         * Adds the next frame: its lower face cut out of {@code image} around {@code points}, or
         * nothing when {@code points} is null (no face). A write error (full disk) does not stop
         * the analysis: it only means there is no crop file, and {@link #finish} says so.
         */
        public void add(YuvImage image, float[] points) {
            if (failure != null) {
                return;
            }
            try {
                append(image, points);
            } catch (IOException e) {
                failure = e;
            }
        }

        private void append(YuvImage image, float[] points) throws IOException {
            if (frames == offsets.length) {
                offsets = Arrays.copyOf(offsets, 2 * frames);
                rects = Arrays.copyOf(rects, 8 * frames);
            }
            int f = frames++;
            if (points == null) {
                offsets[f] = -1;
                return;
            }
            region(points, image.width, image.height, rect);
            System.arraycopy(rect, 0, rects, 4 * f, 4);
            int bytes = bytes(rect[2], rect[3]);
            if (buffer.length < bytes) {
                buffer = new byte[bytes];
            }
            int o = 0;
            for (int y = 0; y < rect[3]; y++) {
                System.arraycopy(image.data, (rect[1] + y) * image.width + rect[0], buffer, o, rect[2]);
                o += rect[2];
            }
            int cw = rect[2] / 2;
            for (int plane = 0; plane < 2; plane++) {
                int base = plane == 0 ? image.uOffset() : image.vOffset();
                for (int y = 0; y < rect[3] / 2; y++) {
                    System.arraycopy(image.data, base + (rect[1] / 2 + y) * image.chromaWidth() + rect[0] / 2,
                            buffer, o, cw);
                    o += cw;
                }
            }
            offsets[f] = position;
            write(buffer, o);
        }

        /** Appends: crops and index are written in order, so the file pointer is the position. */
        private void write(byte[] bytes, int length) throws IOException {
            out.write(bytes, 0, length);
            position += length;
        }

        /** Writes the index and moves the file to {@code target}, replacing any older one. */
        public void finish(Path target) throws IOException {
            if (failure != null) {
                throw failure;
            }
            ByteBuffer index = ByteBuffer.allocate(frames * ENTRY + TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < 4; k++) {
                    index.putInt(rects[4 * f + k]);
                }
                index.putLong(offsets[f]);
            }
            long indexAt = position;
            index.putInt(frames).putLong(indexAt).putInt(VERSION).putLong(MAGIC);
            write(index.array(), index.position());
            out.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            finished = true;
        }

        /** Deletes the unfinished file (a finished one has already moved). */
        @Override
        public void close() throws IOException {
            out.close(); // closing twice is harmless
            if (!finished) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
