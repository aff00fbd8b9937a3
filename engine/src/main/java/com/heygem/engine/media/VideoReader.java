package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
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
import com.heygem.engine.image.Rotate;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Streams a video's pictures as upright BGR frames on a constant-frame-rate timeline.
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
    private final BytePointer nativeBgr;
    private final PointerPointer<BytePointer> nativePlanes;
    private final IntPointer nativeStrides;
    private final int nativeStride;
    /** Decoded picture before rotation; only used for rotated videos. */
    private final BgrImage unrotated = new BgrImage();

    /** The picture on screen at the next slot, and the next decoded one waiting for its slot. */
    private BgrImage held;
    private BgrImage staged;
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
        nativeStride = (info.codedWidth() * 3 + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        nativeBgr = new BytePointer((long) nativeStride * info.codedHeight());
        nativePlanes = new PointerPointer<>(1);
        nativePlanes.put(0, nativeBgr);
        nativeStrides = new IntPointer(1).put(0, nativeStride);
        held = new BgrImage(info.width(), info.height());
        staged = new BgrImage(info.width(), info.height());
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

    /** Frames returned so far. */
    public long framesRead() {
        return nextIndex;
    }

    /**
     * Writes the next timeline frame into {@code out} (reshaped to the displayed size).
     *
     * @return false after the last frame
     */
    public boolean read(BgrImage out) {
        while (true) {
            if (!stagedValid && !endOfStream) {
                stageNext();
            }
            if (stagedValid) {
                if (!heldValid || stagedSlot <= nextIndex) {
                    // The first picture also fills any gap before it; a later picture in an
                    // already-shown slot replaces the held one.
                    BgrImage t = held;
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

    private boolean emit(BgrImage out) {
        out.setTo(held);
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

    private void convert(AVFrame f, BgrImage dst) {
        int w = info.codedWidth();
        int h = info.codedHeight();
        // A stream may change size mid-way; scaling to the size it started with keeps every frame alike.
        sws = sws_getCachedContext(sws, f.width(), f.height(), f.format(), w, h, AV_PIX_FMT_BGR24,
                SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new HeyGemException(ErrorCode.UNSUPPORTED_CODEC, "pixel format", f.format(), input.name());
        }
        sws_scale(sws, f.data(), f.linesize(), 0, f.height(), nativePlanes, nativeStrides);
        BgrImage target = info.rotation() == 0 ? dst : unrotated;
        target.reshape(w, h);
        int row = w * 3;
        if (row == nativeStride) {
            nativeBgr.position(0).get(target.data, 0, row * h);
        } else {
            for (int y = 0; y < h; y++) {
                nativeBgr.position((long) y * nativeStride).get(target.data, y * target.stride, row);
            }
        }
        nativeBgr.position(0);
        if (info.rotation() != 0) {
            Rotate.clockwise(unrotated, info.rotation(), dst);
        }
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
        nativeBgr.close();
        input.close();
    }
}
