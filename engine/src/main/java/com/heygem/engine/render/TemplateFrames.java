package com.heygem.engine.render;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.FramePipeline;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.VideoReader;
import java.nio.file.Path;

/**
 * A template's frames in the order a render's timeline shows them — forward, then backward from a
 * turn, then forward again — read from the file itself, not from a copy of the whole decoded
 * template (a 5-minute 1080p template would be 28 GB). Forward stretches are decoded as they come.
 * A backward stretch is read a chunk at a time: the decoder seeks to the key frame before the
 * chunk, decodes it forward into a small ring of slots in a temporary file, and the chunk is given
 * out from the ring last frame first. The ring holds at most {@link #RING_BYTES}: the temporary
 * disk (and memory) a render needs no longer grows with the template's length, at the cost of
 * decoding a little more (what lies between each chunk's key frame and the chunk's start).
 */
final class TemplateFrames implements FramePipeline.FrameSource, AutoCloseable {
    /** The ring's size in bytes: within the 256 MB a render may keep in temporary files. */
    static final long RING_BYTES = 160L << 20;
    /** Forward gaps up to this many frames are decoded through rather than sought across. */
    private static final int READ_THROUGH = 48;

    private final Path template;
    private final MediaLimits limits;
    private final int[] timeline;
    private final int width;
    private final int height;
    private final SlotFile ring;
    private final int ringFrames;
    private VideoReader reader;
    /** The template frame the reader gives next. */
    private long readerAt;
    /** Template frames held in the ring: [ringFirst, ringLast], frame f in slot f % ringFrames. */
    private int ringFirst = -1;
    private int ringLast = -2;
    private int next;
    private final YuvImage scratch = new YuvImage();
    /** Frames decoded in all (for the performance figures: more than the timeline's when chunks overlap key frames). */
    private long decoded;

    /**
     * @param timeline the template frame shown at each output frame
     * @param tempDir  where the ring's file goes (deleted when closed)
     */
    TemplateFrames(Path template, MediaLimits limits, int[] timeline, int width, int height, Path tempDir) {
        this(template, limits, timeline, width, height, tempDir, RING_BYTES);
    }

    /** @param ringBytes the ring's size (tests make it small, to turn through many chunks) */
    TemplateFrames(Path template, MediaLimits limits, int[] timeline, int width, int height, Path tempDir,
            long ringBytes) {
        this.template = template;
        this.limits = limits;
        this.timeline = timeline;
        this.width = width;
        this.height = height;
        int frameBytes = new YuvImage(width, height).byteCount();
        this.ringFrames = (int) Math.max(8, Math.min(Integer.MAX_VALUE, ringBytes / frameBytes));
        this.ring = needsRing(timeline) ? new SlotFile(tempDir, "heygem-ring-", frameBytes) : null;
        this.reader = VideoReader.open(template, limits, 0);
    }

    /** Whether the timeline ever goes back (else frames come straight from the decoder). */
    static boolean needsRing(int[] timeline) {
        for (int t = 1; t < timeline.length; t++) {
            if (timeline[t] < timeline[t - 1]) {
                return true;
            }
        }
        return false;
    }

    /** Frames the decoder produced so far. */
    long decoded() {
        return decoded;
    }

    /** Frames the ring holds at most. */
    int ringFrames() {
        return ringFrames;
    }

    @Override
    public boolean next(YuvImage out) {
        if (next >= timeline.length) {
            return false;
        }
        int f = timeline[next++];
        out.reshape(width, height);
        if (f >= ringFirst && f <= ringLast) {
            ring.read(f % ringFrames, out.data, out.byteCount());
            return true;
        }
        boolean goingBack = next < timeline.length && timeline[next] < f;
        if (goingBack && ring != null) {
            // The chunk that ends at f, read forward into the ring; the timeline then takes it backwards.
            int first = Math.max(0, f - ringFrames + 1);
            fill(first, f);
            ring.read(f % ringFrames, out.data, out.byteCount());
            return true;
        }
        moveTo(f);
        read(out, f);
        if (ring != null) {
            // Kept as it passes: at the next turn the last frames shown are in the ring already.
            ring.write(f % ringFrames, out.data, out.byteCount());
            if (f == ringLast + 1) {
                ringLast = f;
                ringFirst = Math.max(ringFirst, f - ringFrames + 1);
            } else {
                ringFirst = f;
                ringLast = f;
            }
        }
        return true;
    }

    /**
     * Decodes frames first..last into the ring. When the key frame the decoder starts from lies
     * below {@code first} and the ring has room, the chunk begins at that key frame instead: the
     * frames decoded anyway are kept, and the next chunk down starts at the key frame before it,
     * so a template whose key frames are closer than the ring is long is decoded once a pass.
     */
    private void fill(int first, int last) {
        moveTo(first);
        long key = reader.landed();
        if (seeked && key >= 0 && key < first && last - key + 1 <= ringFrames && reader.seek(key)) {
            first = (int) key;
            readerAt = key;
        }
        for (int f = first; f <= last; f++) {
            read(scratch, f);
            ring.write(f % ringFrames, scratch.data, scratch.byteCount());
        }
        ringFirst = first;
        ringLast = last;
    }

    /** Makes frame {@code f} the reader's next: reading on through a short gap, seeking otherwise. */
    private void moveTo(int f) {
        seeked = false;
        if (f >= readerAt && f - readerAt <= READ_THROUGH) {
            while (readerAt < f) {
                read(scratch, (int) readerAt);
            }
            return;
        }
        if (!reader.seek(f)) {
            // A file that cannot seek: read it from its start again (slow, but right).
            reader.close();
            reader = VideoReader.open(template, limits, 0);
            readerAt = 0;
            while (readerAt < f) {
                read(scratch, (int) readerAt);
            }
            return;
        }
        readerAt = f;
        seeked = true;
    }

    /** Whether the last {@link #moveTo} sought (so the reader knows the key frame it landed on). */
    private boolean seeked;

    private void read(YuvImage into, int f) {
        if (!reader.read(into)) {
            throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, template.getFileName(),
                    "frame " + f + " could not be read again (the file ends earlier than when it was analysed)");
        }
        decoded++;
        readerAt++;
    }

    @Override
    public void close() {
        reader.close();
        if (ring != null) {
            ring.close();
        }
    }
}
