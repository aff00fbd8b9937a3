package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.Picture;
import com.heygem.engine.image.YuvImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes an MP4 that plays everywhere: H.264 yuv420p with even dimensions, AAC 48 kHz stereo,
 * index first (faststart) so browsers start playing before the download ends.
 *
 * <p>Everything goes to a hidden temporary file beside the target, renamed into place by
 * {@link #finish()}: a crash never leaves a half-written result under the real name.
 * Audio must be written in step with video ({@link #writeAudio} after each frame or so), or the
 * muxer buffers the whole video waiting for it.
 */
public final class VideoWriter implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final boolean withAudio;
    private final ByteBuffer frameBuffer;
    private FloatBuffer audioBuffer = FloatBuffer.allocate(0);
    private long framesWritten;
    private boolean finished;
    private boolean closed;

    /**
     * @param width  source width; an odd width is cropped by one column (H.264 4:2:0 needs even sizes)
     * @param height source height; cropped likewise
     */
    public VideoWriter(Path target, int width, int height, double fps, EncoderSettings settings, boolean withAudio) {
        Ffmpeg.init();
        this.target = target.toAbsolutePath();
        this.width = width & ~1;
        this.height = height & ~1;
        if (this.width < 2 || this.height < 2) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "video size", width + "x" + height);
        }
        this.withAudio = withAudio;
        Path dir = this.target.getParent();
        this.temporary = dir.resolve("." + this.target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, target, e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, target, "the folder is not writable");
        }
        recorder = new FFmpegFrameRecorder(temporary.toFile(), this.width, this.height, withAudio ? 2 : 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName("libx264");
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setVideoOption("preset", settings.preset());
        recorder.setVideoOption("crf", Integer.toString(settings.crf()));
        recorder.setVideoOption("threads", Integer.toString(settings.threads()));
        recorder.setOption("movflags", "+faststart");
        if (withAudio) {
            recorder.setAudioCodec(AV_CODEC_ID_AAC);
            recorder.setSampleRate(AudioReader.OUTPUT_RATE);
            recorder.setAudioChannels(2);
            recorder.setAudioBitrate(settings.audioBitrate());
        }
        frameBuffer = ByteBuffer.allocateDirect(this.width * this.height * 3);
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            deleteTemporary();
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, target, e.getMessage());
        }
    }

    public Path target() {
        return target;
    }

    public long framesWritten() {
        return framesWritten;
    }

    /** Encodes one frame of either kind; it must have the size the writer was made for (odd edges are cropped). */
    public void writeFrame(Picture picture) {
        if (picture instanceof YuvImage yuv) {
            writeFrame(yuv);
        } else {
            writeFrame((BgrImage) picture);
        }
    }

    /**
     * Encodes an I420 frame. The encoder takes I420 as it is, so the only work is packing the
     * planes into the native buffer (cropping an odd edge on the way).
     */
    public void writeFrame(YuvImage image) {
        requireSize(image);
        frameBuffer.clear();
        putRows(image.data, 0, image.width, width, height);
        int cw = width / 2;
        int ch = height / 2;
        putRows(image.data, image.uOffset(), image.chromaWidth(), cw, ch);
        putRows(image.data, image.vOffset(), image.chromaWidth(), cw, ch);
        encode(1, width, AV_PIX_FMT_YUV420P);
    }

    private void requireSize(Picture image) {
        if (image.width() < width || image.height() < height) {
            throw new IllegalArgumentException("frame " + image.width() + "x" + image.height()
                    + " smaller than the output " + width + "x" + height);
        }
    }

    private void putRows(byte[] src, int offset, int srcStride, int rowBytes, int rows) {
        if (srcStride == rowBytes) {
            frameBuffer.put(src, offset, rowBytes * rows);
        } else {
            for (int y = 0; y < rows; y++) {
                frameBuffer.put(src, offset + y * srcStride, rowBytes);
            }
        }
    }

    /** Encodes a BGR frame (converted to I420 by the encoder's scaler). */
    public void writeFrame(BgrImage image) {
        requireSize(image);
        frameBuffer.clear();
        putRows(image.data, 0, image.stride, width * 3, height);
        encode(3, width * 3, AV_PIX_FMT_BGR24);
    }

    /** Hands the packed {@link #frameBuffer} to the encoder. */
    private void encode(int channels, int stride, int pixelFormat) {
        frameBuffer.flip();
        try {
            recorder.recordImage(width, height, Frame.DEPTH_UBYTE, channels, stride, pixelFormat, frameBuffer);
        } catch (FrameRecorder.Exception e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, target, e.getMessage());
        }
        framesWritten++;
    }

    /** Encodes {@code frames} interleaved stereo frames at 48 kHz from {@code samples}. */
    public void writeAudio(float[] samples, int frames) {
        if (!withAudio) {
            throw new IllegalStateException("writer was created without audio");
        }
        if (frames <= 0) {
            return;
        }
        int values = frames * 2;
        if (audioBuffer.capacity() < values) {
            audioBuffer = FloatBuffer.allocate(values);
        }
        audioBuffer.clear();
        audioBuffer.put(samples, 0, values);
        audioBuffer.flip();
        try {
            recorder.recordSamples(AudioReader.OUTPUT_RATE, 2, audioBuffer);
        } catch (FrameRecorder.Exception e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, target, e.getMessage());
        }
    }

    /** Flushes the encoders and moves the file to its name; the result exists only after this returns. */
    public Path finish() {
        if (finished) {
            return target;
        }
        try {
            recorder.stop();
            recorder.release();
            closed = true;
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            finished = true;
            return target;
        } catch (IOException e) {
            deleteTemporary();
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, target, e.getMessage());
        }
    }

    /** Abandons an unfinished file: nothing is left behind. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                recorder.release();
            } catch (FrameRecorder.Exception e) {
                // Already failing or abandoning; the temporary file is removed below either way.
            }
        }
        if (!finished) {
            deleteTemporary();
        }
    }

    private void deleteTemporary() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // A leftover hidden .partial file is harmless; the next attempt at this result removes it.
        }
    }
}
