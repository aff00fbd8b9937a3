package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_SCORE_MAX;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_format3;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entry;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVProbeData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * An opened media file: the demuxer, the chosen video and audio streams and what they hold.
 *
 * <p>Opening classifies every way a user's file can be wrong into an {@link ErrorCode}, and a
 * deadline stops a pathological file from holding the thread for long. One instance belongs to
 * one thread.
 */
public final class MediaInput implements AutoCloseable {
    private static final int SNIFF_BYTES = 64 * 1024;
    /** FFmpeg's own threshold for "this is surely that format" when probing by content. */
    private static final int CONFIDENT_PROBE_SCORE = AVPROBE_SCORE_MAX / 4;
    /** Attached pictures (cover art in MP3/M4A) are not video. */
    private static final int AV_DISPOSITION_ATTACHED_PIC = 0x0400;

    private final Path path;
    private final String name;
    private AVFormatContext format;
    private final LongPointer deadline;
    private final int videoIndex;
    private final int audioIndex;
    private final MediaInfo info;

    private MediaInput(Path path, MediaLimits limits) {
        Ffmpeg.init();
        this.path = path;
        this.name = displayName(path);
        long size = checkFile(path, name, limits);

        deadline = new LongPointer(1);
        arm(limits.openTimeoutSeconds());
        AVFormatContext ctx = avformat_alloc_context();
        ctx.interrupt_callback().callback(Ffmpeg.deadlineCallback());
        ctx.interrupt_callback().opaque(deadline);
        int ret = avformat_open_input(ctx, path.toString(), (AVInputFormat) null, (AVDictionary) null);
        if (ret < 0) {
            // FFmpeg frees a user-supplied context when opening fails.
            deadline.close();
            throw classifyOpenFailure(ret, limits);
        }
        format = ctx;
        try {
            ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
            if (ret < 0) {
                throw ret == AVERROR_EXIT ? timeout(limits)
                        : new HeyGemException(ErrorCode.CORRUPT_MEDIA, name, Ffmpeg.describe(ret));
            }
            videoIndex = chooseVideoStream();
            audioIndex = chooseAudioStream();
            if (videoIndex < 0 && audioIndex < 0) {
                throw new HeyGemException(ErrorCode.NOT_MEDIA, name, new Text("no audio or video streams", "没有音频或视频流"));
            }
            checkIndexWithinFile(size);
            info = describe(size);
            if (info.durationSeconds() > limits.maxDurationSeconds()) {
                throw new HeyGemException(ErrorCode.TOO_LONG, name,
                        Units.duration(info.durationSeconds()), Units.duration(limits.maxDurationSeconds()));
            }
            disarm();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens and probes a file; throws {@link HeyGemException} for anything the user must fix. */
    public static MediaInput open(Path path, MediaLimits limits) {
        return new MediaInput(path, limits);
    }

    public Path path() {
        return path;
    }

    /** The file name shown to users in messages. */
    public String name() {
        return name;
    }

    public MediaInfo info() {
        return info;
    }

    AVFormatContext format() {
        return format;
    }

    int videoIndex() {
        return videoIndex;
    }

    int audioIndex() {
        return audioIndex;
    }

    /** Gives a long-running read a fresh deadline; a read that hangs past it fails with {@code AVERROR_EXIT}. */
    void arm(double seconds) {
        deadline.put(0, System.nanoTime() + (long) (seconds * TimeUnit.SECONDS.toNanos(1)) | 1L);
    }

    void disarm() {
        deadline.put(0, 0L);
    }

    HeyGemException timeout(MediaLimits limits) {
        return new HeyGemException(ErrorCode.MEDIA_TIMEOUT, name, Units.number(limits.openTimeoutSeconds()));
    }

    @Override
    public void close() {
        if (format != null) {
            avformat_close_input(format);
            format = null;
            deadline.close();
        }
    }

    private static long checkFile(Path path, String name, MediaLimits limits) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new HeyGemException(ErrorCode.FILE_NOT_FOUND, path.toString());
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.FILE_NOT_FOUND, e, path.toString());
        }
        if (size == 0) {
            throw new HeyGemException(ErrorCode.NOT_MEDIA, name, new Text("the file is empty", "文件是空的"));
        }
        if (size > limits.maxFileBytes()) {
            throw new HeyGemException(ErrorCode.TOO_LARGE, name, Units.bytes(size), Units.bytes(limits.maxFileBytes()));
        }
        return size;
    }

    /**
     * FFmpeg says "invalid data" both for a text file and for an MP4 cut off before its index.
     * Users need to hear different things (wrong file vs broken copy), so sniff the content: a
     * container FFmpeg recognises with confidence means the file is media, but damaged.
     */
    private HeyGemException classifyOpenFailure(int ret, MediaLimits limits) {
        if (ret == AVERROR_EXIT) {
            return timeout(limits);
        }
        String recognised = sniffContainer(path);
        if (recognised != null) {
            return new HeyGemException(ErrorCode.CORRUPT_MEDIA, name, recognised + ": " + Ffmpeg.describe(ret));
        }
        return new HeyGemException(ErrorCode.NOT_MEDIA, name,
                new Text("not a recognised audio or video format", "无法识别的音视频格式"));
    }

    private static String sniffContainer(Path path) {
        byte[] head = new byte[SNIFF_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return null;
        }
        try (BytePointer buf = new BytePointer((long) n + AVPROBE_PADDING_SIZE);
                BytePointer noName = new BytePointer("");
                AVProbeData probe = new AVProbeData()) {
            buf.position(0).put(head, 0, n);
            buf.position(n).fill(0);
            buf.position(0);
            probe.buf(buf).buf_size(n).filename(noName);
            int[] score = new int[1];
            AVInputFormat fmt = av_probe_input_format3(probe, 1, score);
            if (fmt == null || fmt.isNull() || score[0] < CONFIDENT_PROBE_SCORE || (fmt.flags() & AVFMT_NOFILE) != 0) {
                return null;
            }
            return fmt.name().getString();
        }
    }

    private int chooseVideoStream() {
        int best = -1;
        long bestArea = -1;
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream st = format.streams(i);
            AVCodecParameters par = st.codecpar();
            if (par.codec_type() != AVMEDIA_TYPE_VIDEO || (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
                continue;
            }
            long area = (long) par.width() * par.height();
            if (area > bestArea) {
                best = i;
                bestArea = area;
            }
        }
        return best;
    }

    /** The first sound track: recordings with several tracks put the main one first. */
    private int chooseAudioStream() {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters par = format.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_AUDIO && par.sample_rate() > 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * MP4/MOV read their whole sample index up front. If that index points past the end of the
     * file, the copy was cut off: say so now rather than after decoding half of it.
     */
    private void checkIndexWithinFile(long size) {
        for (int index : new int[] {videoIndex, audioIndex}) {
            if (index < 0) {
                continue;
            }
            AVStream st = format.streams(index);
            int n = avformat_index_get_entries_count(st);
            if (n <= 0) {
                continue;
            }
            AVIndexEntry last = avformat_index_get_entry(st, n - 1);
            if (last != null && !last.isNull() && last.pos() >= 0 && last.pos() + last.size() > size) {
                long reachable = 0;
                for (int k = 0; k < n; k++) {
                    AVIndexEntry e = avformat_index_get_entry(st, k);
                    if (e.pos() + e.size() > size) {
                        break;
                    }
                    reachable = k + 1;
                }
                throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, name, String.format(Locale.ROOT,
                        "truncated: only %d of %d frames are in the file", reachable, n));
            }
        }
    }

    private MediaInfo describe(long size) {
        double containerDuration = format.duration() != AV_NOPTS_VALUE && format.duration() > 0
                ? format.duration() / (double) AV_TIME_BASE : 0;
        Optional<VideoStreamInfo> video = videoIndex < 0 ? Optional.empty()
                : Optional.of(describeVideo(format.streams(videoIndex), containerDuration));
        Optional<AudioStreamInfo> audio = audioIndex < 0 ? Optional.empty()
                : Optional.of(describeAudio(format.streams(audioIndex), containerDuration));
        double duration = containerDuration;
        duration = Math.max(duration, video.map(VideoStreamInfo::durationSeconds).orElse(0.0));
        duration = Math.max(duration, audio.map(AudioStreamInfo::durationSeconds).orElse(0.0));
        return new MediaInfo(path, size, format.iformat().name().getString(),
                format.iformat().long_name() == null ? "" : format.iformat().long_name().getString(),
                duration, video, audio);
    }

    private VideoStreamInfo describeVideo(AVStream st, double containerDuration) {
        AVCodecParameters par = st.codecpar();
        int rotation = rotationOf(par);
        boolean swap = rotation == 90 || rotation == 270;
        double nominal = rate(st.r_frame_rate());
        double average = rate(st.avg_frame_rate());
        boolean variable = nominal > 0 && average > 0 && Math.abs(nominal - average) / nominal > 0.01;
        double fps = FrameRates.timelineRate(nominal, average, variable);
        double duration = streamDuration(st);
        if (duration <= 0) {
            duration = containerDuration;
        }
        long frames = Math.max(1, Math.round(duration * fps));
        BytePointer pixName = av_get_pix_fmt_name(par.format());
        return new VideoStreamInfo(codecName(par.codec_id()),
                pixName == null || pixName.isNull() ? "unknown" : pixName.getString(),
                par.width(), par.height(),
                swap ? par.height() : par.width(), swap ? par.width() : par.height(),
                rotation, nominal, average, variable, fps, duration, frames, par.bit_rate());
    }

    private AudioStreamInfo describeAudio(AVStream st, double containerDuration) {
        AVCodecParameters par = st.codecpar();
        double duration = streamDuration(st);
        if (duration <= 0) {
            duration = containerDuration;
        }
        return new AudioStreamInfo(codecName(par.codec_id()), par.sample_rate(), par.ch_layout().nb_channels(),
                duration, par.bit_rate());
    }

    /** Throws {@code UNSUPPORTED_CODEC} if this FFmpeg build cannot decode the stream. */
    void requireDecoder(int streamIndex, String kind) {
        AVCodecParameters par = format.streams(streamIndex).codecpar();
        if (avcodec_find_decoder(par.codec_id()) == null) {
            throw new HeyGemException(ErrorCode.UNSUPPORTED_CODEC, Text.kind(kind), codecName(par.codec_id()), name);
        }
    }

    static double rate(AVRational r) {
        return r.num() > 0 && r.den() > 0 ? r.num() / (double) r.den() : 0;
    }

    static double streamDuration(AVStream st) {
        if (st.duration() == AV_NOPTS_VALUE || st.duration() <= 0) {
            return 0;
        }
        return st.duration() * rate(st.time_base());
    }

    private static int rotationOf(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.data() == null || sd.size() < 36) {
            return 0;
        }
        double ccw = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(ccw)) {
            return 0;
        }
        // The matrix gives counter-clockwise degrees; players turn the picture clockwise by its negation.
        long cw = Math.round(-ccw / 90.0) * 90;
        return (int) (((cw % 360) + 360) % 360);
    }

    private static String codecName(int codecId) {
        BytePointer p = avcodec_get_name(codecId);
        return p == null || p.isNull() ? "unknown" : p.getString();
    }

    static String displayName(Path path) {
        Path file = path.getFileName();
        return file == null ? path.toString() : file.toString();
    }
}
