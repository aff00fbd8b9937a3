package com.heygem.engine.media;

import com.heygem.engine.image.YuvImage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs decode, processing and encoding on separate threads joined by bounded queues, so the
 * two cores stay busy with whichever stage is slowest and memory stays at a few frames.
 *
 * <p>Frames travel as I420, the encoder's own format, so no stage pays for a colour conversion
 * it does not need. Frame buffers circulate: the decoder fills a free buffer, the processor edits it in place,
 * the encoder writes it and hands it back. Nothing is allocated per frame. The first failure of
 * any stage stops the others and is rethrown to the caller.
 */
public final class FramePipeline {
    /** Buffers in flight; enough to absorb jitter between stages, few enough to stay small at 1080p. */
    static final int BUFFERS = 6;
    private static final Slot END = new Slot(null);

    /** Produces frames in output order; runs on the decode thread. */
    @FunctionalInterface
    public interface FrameSource {
        /** Fills {@code out} with the next frame; false when there are no more. */
        boolean next(YuvImage out);
    }

    /** Edits a frame in place; runs on the processing thread. */
    @FunctionalInterface
    public interface FrameProcessor {
        void process(long index, YuvImage frame);
    }

    /** Called on the encoding thread after each written frame. */
    @FunctionalInterface
    public interface ProgressListener {
        void onFrame(long framesDone);
    }

    /** Called on the encoding thread after each frame to write the sound up to the frame's end. */
    @FunctionalInterface
    public interface AudioFeed {
        void writeUpTo(double seconds, VideoWriter writer);
    }

    private static final class Slot {
        final YuvImage image;
        long index;

        Slot(YuvImage image) {
            this.image = image;
        }
    }

    private FramePipeline() {
    }

    /**
     * Runs the pipeline to the end of {@code source}.
     *
     * @param processor may be null: frames go straight from decoder to encoder
     * @param audio     may be null: no sound is written
     * @return frames written
     * @throws CancellationException when {@code cancelled} turned true; nothing is finished
     */
    public static long run(FrameSource source, FrameProcessor processor, VideoWriter writer, double fps,
            AudioFeed audio, ProgressListener progress, BooleanSupplier cancelled) {
        BlockingQueue<Slot> free = new ArrayBlockingQueue<>(BUFFERS);
        BlockingQueue<Slot> decoded = new ArrayBlockingQueue<>(BUFFERS + 1);
        BlockingQueue<Slot> processed = processor == null ? decoded : new ArrayBlockingQueue<>(BUFFERS + 1);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new Slot(new YuvImage()));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread decodeThread = decoder(source, free, decoded, failure);

        Thread processThread = processor == null ? null : new Thread(() -> {
            try {
                while (true) {
                    Slot slot = decoded.take();
                    if (slot == END) {
                        break;
                    }
                    processor.process(slot.index, slot.image);
                    processed.put(slot);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                processed.offer(END);
            }
        }, "heygem-process");

        decodeThread.start();
        if (processThread != null) {
            processThread.setDaemon(true);
            processThread.start();
        }
        long written = 0;
        try {
            while (true) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled after " + written + " frames");
                }
                Slot slot = processed.poll(100, TimeUnit.MILLISECONDS);
                if (failure.get() != null) {
                    break;
                }
                if (slot == null) {
                    continue;
                }
                if (slot == END) {
                    break;
                }
                writer.writeFrame(slot.image);
                written++;
                free.put(slot);
                if (audio != null) {
                    audio.writeUpTo(written / fps, writer);
                }
                if (progress != null) {
                    progress.onFrame(written);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            decodeThread.interrupt();
            if (processThread != null) {
                processThread.interrupt();
            }
            join(decodeThread);
            join(processThread);
        }
        rethrow(failure);
        return written;
    }

    /**
     * Decodes on a separate thread and hands each frame, in order, to {@code sink} on the
     * calling thread: the pipeline without an encoder, for analysis. Frame buffers circulate as
     * in {@link #run}; the sink must not keep the frame after it returns.
     *
     * @return frames consumed
     * @throws CancellationException when {@code cancelled} turned true
     */
    public static long consume(FrameSource source, FrameProcessor sink, BooleanSupplier cancelled) {
        BlockingQueue<Slot> free = new ArrayBlockingQueue<>(BUFFERS);
        BlockingQueue<Slot> decoded = new ArrayBlockingQueue<>(BUFFERS + 1);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new Slot(new YuvImage()));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread decodeThread = decoder(source, free, decoded, failure);
        decodeThread.start();
        long consumed = 0;
        try {
            while (true) {
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled after " + consumed + " frames");
                }
                Slot slot = decoded.take();
                if (slot == END) {
                    break;
                }
                sink.process(slot.index, slot.image);
                consumed++;
                free.put(slot);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            decodeThread.interrupt();
            join(decodeThread);
        }
        rethrow(failure);
        return consumed;
    }

    /** The decoding stage: fills free buffers from {@code source} until it ends, then queues END. */
    private static Thread decoder(FrameSource source, BlockingQueue<Slot> free, BlockingQueue<Slot> decoded,
            AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            long index = 0;
            try {
                while (true) {
                    Slot slot = free.take();
                    if (!source.next(slot.image)) {
                        break;
                    }
                    slot.index = index++;
                    decoded.put(slot);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                decoded.offer(END);
            }
        }, "heygem-decode");
        t.setDaemon(true);
        return t;
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            // Stages stop at their next queue operation; a native decode call in progress finishes first.
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
