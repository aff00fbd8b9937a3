package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.YuvImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes a live render once and sends it where it goes: an RTMP address, an HLS folder
 * ({@code live.m3u8} and one-second segments, the last {@link #HLS_SEGMENTS} kept), and, when
 * asked, an MP4 recording as well (FFmpeg's tee muxer: one encoding, several outputs). x264 runs
 * with {@code tune=zerolatency} (no frames held back) and a key frame every second, where HLS
 * segments start.
 */
public final class LiveWriter implements AutoCloseable {
    /** Segments an HLS playlist lists (a minute); older ones are deleted. */
    public static final int HLS_SEGMENTS = 60;
    /** Name of the playlist in an HLS folder. */
    public static final String PLAYLIST = "live.m3u8";

    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final ByteBuffer frameBuffer;
    private FloatBuffer audioBuffer = FloatBuffer.allocate(0);
    private final String shown;
    private long frames;

    /**
     * @param out    {@code rtmp(s)://…} or a folder for HLS
     * @param record an MP4 to record to as well, or null
     */
    public LiveWriter(String out, Path record, int width, int height, double fps, EncoderSettings settings) {
        Ffmpeg.init();
        this.width = width & ~1;
        this.height = height & ~1;
        this.shown = out;
        List<String> targets = new ArrayList<>();
        boolean rtmp = out.toLowerCase(Locale.ROOT).startsWith("rtmp");
        int gop = Math.max(1, (int) Math.round(fps));
        if (rtmp) {
            targets.add("[f=flv:onfail=abort]" + escape(out));
        } else {
            Path dir = Path.of(out);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new HeyGemException(ErrorCode.WRITE_FAILED, e, dir, e.getMessage());
            }
            targets.add("[f=hls:hls_time=1:hls_list_size=" + HLS_SEGMENTS + ":hls_flags=delete_segments+independent_segments"
                    + ":hls_segment_filename=" + escape(dir.resolve("seg%05d.ts").toString()) + "]"
                    + escape(dir.resolve(PLAYLIST).toString()));
        }
        if (record != null) {
            targets.add("[f=mp4:movflags=+faststart:onfail=ignore]" + escape(record.toAbsolutePath().toString()));
        }
        recorder = new FFmpegFrameRecorder(String.join("|", targets), this.width, this.height, 2);
        recorder.setFormat("tee");
        recorder.setVideoCodecName("libx264");
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(gop);
        recorder.setVideoOption("preset", settings.preset());
        recorder.setVideoOption("tune", "zerolatency");
        recorder.setVideoOption("crf", Integer.toString(settings.crf()));
        recorder.setVideoOption("threads", Integer.toString(settings.threads()));
        recorder.setVideoOption("flags", "+global_header"); // the MP4 needs it; the others take it too
        recorder.setAudioOption("flags", "+global_header");
        recorder.setAudioCodec(AV_CODEC_ID_AAC);
        recorder.setSampleRate(AudioReader.OUTPUT_RATE);
        recorder.setAudioChannels(2);
        recorder.setAudioBitrate(settings.audioBitrate());
        frameBuffer = ByteBuffer.allocateDirect(this.width * this.height * 3 / 2);
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, out, e.getMessage());
        }
    }

    /** The tee muxer's special characters in a path or address. */
    private static String escape(String s) {
        if (s.contains("|") || s.contains("[") || s.contains("]")) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "--out", s + " (| [ ] cannot be in a live output's name)");
        }
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    public long framesWritten() {
        return frames;
    }

    public void writeFrame(YuvImage image) {
        frameBuffer.clear();
        put(image.data, 0, image.width, width, height);
        put(image.data, image.uOffset(), image.chromaWidth(), width / 2, height / 2);
        put(image.data, image.vOffset(), image.chromaWidth(), width / 2, height / 2);
        frameBuffer.flip();
        try {
            recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, AV_PIX_FMT_YUV420P, frameBuffer);
        } catch (FrameRecorder.Exception e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, shown, e.getMessage());
        }
        frames++;
    }

    private void put(byte[] src, int offset, int stride, int rowBytes, int rows) {
        for (int y = 0; y < rows; y++) {
            frameBuffer.put(src, offset + y * stride, rowBytes);
        }
    }

    /** {@code count} interleaved stereo frames at 48 kHz. */
    public void writeAudio(float[] stereo, int count) {
        if (count <= 0) {
            return;
        }
        if (audioBuffer.capacity() < count * 2) {
            audioBuffer = FloatBuffer.allocate(count * 2);
        }
        audioBuffer.clear();
        audioBuffer.put(stereo, 0, count * 2);
        audioBuffer.flip();
        try {
            recorder.recordSamples(AudioReader.OUTPUT_RATE, 2, audioBuffer);
        } catch (FrameRecorder.Exception e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, shown, e.getMessage());
        }
    }

    /** Flushes the encoders and closes every output (the HLS playlist gets its end mark). */
    @Override
    public void close() {
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, shown, e.getMessage());
        }
    }
}
