package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.Picture;
import com.heygem.engine.image.Rotate;
import com.heygem.engine.image.YuvImage;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Streams a video's pictures as upright frames on a constant-frame-rate timeline, either as BGR
 * ({@link BgrImage}) or as I420 ({@link YuvImage}, no colour conversion for the usual 4:2:0
 * input: what the render pipeline uses).
 *
 * <p>Timeline frame {@code i} shows the picture on screen at {@code i / fps}: each decoded
 * picture takes the slot nearest its timestamp, gaps repeat the previous picture and pictures
 * that share a slot keep the last one (as FFmpeg's {@code fps} filter does). Variable-rate phone
 * footage thus becomes an evenly spaced sequence of the same duration. Display rotation is
 * applied. Memory is three frames whatever the video's length.
 */
public final class VideoReader implements AutoCloseable {
    private static final int ROW_ALIGN = 64;

    private final MediaInput input;
    private final VideoStreamInfo info;
    private final StreamDecoder decoder;
    private final double timeBase;
    private final double fps;

    private final AVFrame frame;
    private SwsContext sws;
    private int swsTarget = -1;
    private BytePointer nativeBuffer;
    private final PointerPointer<BytePointer> nativePlanes = new PointerPointer<>(3);
    private final IntPointer nativeStrides = new IntPointer(3);
    /** Decoded picture before rotation; only used for rotated videos. */
    private Picture unrotated;

    /** The picture on screen at the next slot, and the next decoded one waiting for its slot. */
    private Picture held;
    private Picture staged;
    private boolean heldValid;
    private boolean stagedValid;
    private long stagedSlot;
    private boolean endOfStream;
    private long endSlot = -1;
    private long nextIndex;

    private long originPts = AV_NOPTS_VALUE;
    private long lastPts = AV_NOPTS_VALUE;
    private long lastDuration;

    private VideoReader(MediaInput input, MediaLimits limits, int threads) {
        this.input = input;
        this.info = input.info().video().orElseThrow(
                () -> new HeyGemException(ErrorCode.NO_VIDEO_STREAM, input.name()));
        this.decoder = new StreamDecoder(input, limits, input.videoIndex(), "video", threads);
        this.timeBase = MediaInput.rate(decoder.stream().time_base());
        this.fps = info.timelineFps();
        long start = decoder.stream().start_time();
        if (start != AV_NOPTS_VALUE) {
            originPts = start;
        }
        frame = av_frame_alloc();
    }

    /** Opens the video stream of {@code path}; {@code decoderThreads} 0 lets FFmpeg choose. */
    public static VideoReader open(Path path, MediaLimits limits, int decoderThreads) {
        MediaInput input = MediaInput.open(path, limits);
        try {
            return new VideoReader(input, limits, decoderThreads);
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
    }

    public static VideoReader open(Path path) {
        return open(path, MediaLimits.DEFAULT, 0);
    }

    public MediaInfo mediaInfo() {
        return input.info();
    }

    public VideoStreamInfo info() {
        return info;
    }

    /** Width as displayed (after rotation). */
    public int width() {
        return info.width();
    }

    public int height() {
        return info.height();
    }

    /** Frame rate of the constant-rate timeline. */
    public double fps() {
        return fps;
    }

    /** Frames the timeline is expected to have, from the container's duration. */
    public long expectedFrames() {
        return info.frameCount();
    }

    /** Frames returned so far (after a {@link #seek}: the index of the next frame). */
    public long framesRead() {
        return nextIndex;
    }

    /**
     * Makes timeline frame {@code slot} the next one {@link #read} returns: the decoder moves to the
     * key frame before it and decodes on from there (the pictures before {@code slot} only settle
     * which one is on screen at it, as when reading from the start). Reading a template backwards
     * a stretch at a time, without a copy of all its frames, rests on this.
     *
     * @return false when the file cannot seek (the caller reads it from a new reader instead)
     */
    public boolean seek(long slot) {
        if (originPts == AV_NOPTS_VALUE) {
            return false; // nothing decoded yet to anchor the timeline: read on from the start instead
        }
        // A container without an index (MPEG-TS) lands near the time asked for, and the decoder's
        // first picture is then the next key frame, which may lie after it: ask again a little
        // earlier each time. The first picture must not stand in for frames before it.
        for (double earlier : SEEK_MARGINS) {
            long pts = originPts + (long) Math.floor((slot / fps - earlier) / timeBase);
            if (!decoder.seek(pts)) {
                return false;
            }
            heldValid = false;
            stagedValid = false;
            endOfStream = false;
            nextIndex = slot;
            stageNext();
            if (stagedValid && stagedSlot <= slot) {
                landed = stagedSlot;
                return true;
            }
        }
        return false;
    }

    /** The frame the last {@link #seek} landed on: the key frame the decoder started from. */
    public long landed() {
        return landed;
    }

    private long landed = -1;

    /** Seconds before the frame asked for that a seek tries, in turn. */
    private static final double[] SEEK_MARGINS = {0, 1, 4, 12};

    /**
     * Writes the next timeline frame into {@code out} (reshaped to the displayed size). Every
     * call on one reader must pass the same kind of picture.
     *
     * @return false after the last frame
     */
    public boolean read(Picture out) {
        if (held == null) {
            held = blankLike(out);
            staged = blankLike(out);
            unrotated = blankLike(out);
        } else if (out.getClass() != held.getClass()) {
            throw new IllegalStateException("a reader delivers one kind of picture; it started with "
                    + held.getClass().getSimpleName());
        }
        while (true) {
            if (!stagedValid && !endOfStream) {
                stageNext();
            }
            if (stagedValid) {
                if (!heldValid || stagedSlot <= nextIndex) {
                    // The first picture also fills any gap before it; a later picture in an
                    // already-shown slot replaces the held one.
                    Picture t = held;
                    held = staged;
                    staged = t;
                    heldValid = true;
                    stagedValid = false;
                    continue;
                }
                return emit(out);
            }
            if (!heldValid) {
                throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, input.name(), "no picture could be decoded");
            }
            if (nextIndex < endSlot) {
                return emit(out);
            }
            return false;
        }
    }

    private static Picture blankLike(Picture p) {
        return p instanceof BgrImage ? new BgrImage() : new YuvImage();
    }

    private boolean emit(Picture out) {
        out.copyFrom(held);
        nextIndex++;
        return true;
    }

    private void stageNext() {
        if (!decoder.next(frame)) {
            endOfStream = true;
            finishTimeline();
            return;
        }
        try {
            long pts = frame.best_effort_timestamp();
            if (pts == AV_NOPTS_VALUE) {
                pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + Math.max(1, lastDuration);
            }
            if (originPts == AV_NOPTS_VALUE) {
                originPts = pts;
            }
            if (frame.duration() > 0) {
                lastDuration = frame.duration();
            } else if (lastPts != AV_NOPTS_VALUE && pts > lastPts) {
                lastDuration = pts - lastPts;
            }
            lastPts = pts;
            stagedSlot = Math.max(0, Math.round((pts - originPts) * timeBase * fps));
            convert(frame, staged);
            stagedValid = true;
        } finally {
            av_frame_unref(frame);
        }
    }

    /**
     * The timeline ends where the last picture stops being shown. A container that promises far
     * more than the file delivers was cut off; that is the user's broken copy, not a short video.
     */
    private void finishTimeline() {
        if (lastPts == AV_NOPTS_VALUE) {
            return;
        }
        double lastFrameSeconds = lastDuration > 0 ? lastDuration * timeBase : 1.0 / fps;
        double end = (lastPts - originPts) * timeBase + lastFrameSeconds;
        endSlot = Math.max(nextIndex + (heldValid ? 1 : 0), Math.round(end * fps));
        double promised = info.durationSeconds();
        if (promised - end > Math.max(1.0, 0.1 * promised)) {
            throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, input.name(), String.format(Locale.ROOT,
                    "truncated: pictures end at %.1f s of %.1f s%s", end, promised,
                    decoder.readError() != 0 ? " (" + Ffmpeg.describe(decoder.readError()) + ")" : ""));
        }
    }

    private void convert(AVFrame f, Picture dst) {
        int w = info.codedWidth();
        int h = info.codedHeight();
        Picture target = info.rotation() == 0 ? dst : unrotated;
        target.reshape(w, h);
        if (target instanceof BgrImage bgr) {
            toBgr(f, bgr);
        } else {
            toYuv(f, (YuvImage) target);
        }
        if (info.rotation() != 0) {
            if (dst instanceof BgrImage bgr) {
                Rotate.clockwise((BgrImage) unrotated, info.rotation(), bgr);
            } else {
                Rotate.clockwise((YuvImage) unrotated, info.rotation(), (YuvImage) dst);
            }
        }
    }

    private void toBgr(AVFrame f, BgrImage dst) {
        int stride = align(dst.width * 3);
        scale(f, AV_PIX_FMT_BGR24, (long) stride * dst.height, stride, 0, 0);
        copyRows(nativeBuffer, 0, stride, dst.data, 0, dst.stride, dst.width * 3, dst.height);
    }

    private void toYuv(AVFrame f, YuvImage dst) {
        int w = dst.width;
        int h = dst.height;
        int cw = dst.chromaWidth();
        int ch = dst.chromaHeight();
        if (f.format() == AV_PIX_FMT_YUV420P && f.width() == w && f.height() == h) {
            // The common case: the decoder already holds I420; copy the planes as they are.
            copyRows(f.data(0), 0, f.linesize(0), dst.data, 0, w, w, h);
            copyRows(f.data(1), 0, f.linesize(1), dst.data, dst.uOffset(), cw, cw, ch);
            copyRows(f.data(2), 0, f.linesize(2), dst.data, dst.vOffset(), cw, cw, ch);
            return;
        }
        int ys = align(w);
        int cs = align(cw);
        long ySize = (long) ys * h;
        long cSize = (long) cs * ch;
        scale(f, AV_PIX_FMT_YUV420P, ySize + 2 * cSize, ys, cs, ySize);
        copyRows(nativeBuffer, 0, ys, dst.data, 0, w, w, h);
        copyRows(nativeBuffer, ySize, cs, dst.data, dst.uOffset(), cw, cw, ch);
        copyRows(nativeBuffer, ySize + cSize, cs, dst.data, dst.vOffset(), cw, cw, ch);
    }

    /** Converts {@code f} into {@link #nativeBuffer} as {@code pixelFormat} at the stream's starting size. */
    private void scale(AVFrame f, int pixelFormat, long bytes, int stride0, int strideC, long chromaOffset) {
        int w = info.codedWidth();
        int h = info.codedHeight();
        // A stream may change size mid-way; scaling to the size it started with keeps every frame alike.
        sws = sws_getCachedContext(sws, f.width(), f.height(), f.format(), w, h, pixelFormat,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new HeyGemException(ErrorCode.UNSUPPORTED_CODEC, "pixel format", f.format(), input.name());
        }
        if (nativeBuffer == null || nativeBuffer.capacity() < bytes || swsTarget != pixelFormat) {
            if (nativeBuffer != null) {
                nativeBuffer.close();
            }
            nativeBuffer = new BytePointer(bytes);
            swsTarget = pixelFormat;
            nativePlanes.put(0, nativeBuffer);
            nativeStrides.put(0, stride0);
            if (pixelFormat == AV_PIX_FMT_YUV420P) {
                long cSize = (long) strideC * ((h + 1) >> 1);
                nativePlanes.put(1, new BytePointer(nativeBuffer).position(chromaOffset));
                nativePlanes.put(2, new BytePointer(nativeBuffer).position(chromaOffset + cSize));
                nativeStrides.put(1, strideC).put(2, strideC);
            }
        }
        sws_scale(sws, f.data(), f.linesize(), 0, f.height(), nativePlanes, nativeStrides);
    }

    private static void copyRows(BytePointer src, long srcOffset, int srcStride, byte[] dst, int dstOffset,
            int dstStride, int rowBytes, int rows) {
        if (srcStride == rowBytes && dstStride == rowBytes) {
            src.position(srcOffset).get(dst, dstOffset, rowBytes * rows);
        } else {
            for (int y = 0; y < rows; y++) {
                src.position(srcOffset + (long) y * srcStride).get(dst, dstOffset + y * dstStride, rowBytes);
            }
        }
        src.position(0);
    }

    private static int align(int bytes) {
        return (bytes + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    }

    @Override
    public void close() {
        decoder.close();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_frame_free(frame);
        nativePlanes.close();
        nativeStrides.close();
        if (nativeBuffer != null) {
            nativeBuffer.close();
        }
        input.close();
    }
}
