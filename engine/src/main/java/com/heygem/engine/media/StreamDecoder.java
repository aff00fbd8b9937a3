package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Pumps one stream's packets through its decoder. Damaged packets are skipped the way players
 * skip them; only a file that is mostly damaged, or a read that stalls, is an error.
 */
final class StreamDecoder implements AutoCloseable {
    private static final int EAGAIN = -11;
    /** Past this many undecodable packets a file is "damaged", not "has a glitch". */
    private static final int MAX_BAD_PACKETS = 50;

    private final MediaInput input;
    private final MediaLimits limits;
    private final int streamIndex;
    private final AVStream stream;
    private AVCodecContext codec;
    private final AVPacket packet;
    private boolean draining;
    private int badPackets;
    private int readError;

    StreamDecoder(MediaInput input, MediaLimits limits, int streamIndex, String kind, int threads) {
        this.input = input;
        this.limits = limits;
        this.streamIndex = streamIndex;
        this.stream = input.format().streams(streamIndex);
        input.requireDecoder(streamIndex, kind);
        AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
        codec = avcodec_alloc_context3(decoder);
        packet = av_packet_alloc();
        int ret = avcodec_parameters_to_context(codec, stream.codecpar());
        if (ret >= 0) {
            codec.pkt_timebase(stream.time_base());
            codec.thread_count(Math.max(0, threads));
            ret = avcodec_open2(codec, decoder, (PointerPointer<?>) null);
        }
        if (ret < 0) {
            close();
            throw new HeyGemException(ErrorCode.UNSUPPORTED_CODEC, Text.kind(kind),
                    decoder.name().getString() + " (" + Ffmpeg.describe(ret) + ")", input.name());
        }
    }

    AVStream stream() {
        return stream;
    }

    AVCodecContext codec() {
        return codec;
    }

    /** A read error other than the end of the file, or 0: the tail of the file is damaged. */
    int readError() {
        return readError;
    }

    /**
     * Moves to the key frame at or before {@code pts} (the stream's time base) and forgets what the
     * decoder held: the next frames decoded start there.
     *
     * @return false when the file cannot seek (read it again from its start instead)
     */
    boolean seek(long pts) {
        // Anywhere at or before pts, never after it: the frames from there on settle what shows at pts.
        int ret = avformat_seek_file(input.format(), streamIndex, Long.MIN_VALUE, pts, pts, 0);
        if (ret < 0) {
            return false;
        }
        avcodec_flush_buffers(codec);
        draining = false;
        return true;
    }

    /** Decodes the next frame into {@code frame}; false once the stream is exhausted. */
    boolean next(AVFrame frame) {
        while (true) {
            int ret = avcodec_receive_frame(codec, frame);
            if (ret >= 0) {
                return true;
            }
            if (ret == AVERROR_EOF) {
                return false;
            }
            if (ret != EAGAIN) {
                countBadPacket(ret);
            }
            if (draining) {
                return false;
            }
            feed();
        }
    }

    private void feed() {
        while (true) {
            input.arm(limits.openTimeoutSeconds());
            int ret = av_read_frame(input.format(), packet);
            input.disarm();
            if (ret < 0) {
                if (ret == AVERROR_EXIT) {
                    throw input.timeout(limits);
                }
                if (ret != AVERROR_EOF) {
                    readError = ret;
                }
                draining = true;
                avcodec_send_packet(codec, null);
                return;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    ret = avcodec_send_packet(codec, packet);
                    if (ret < 0 && ret != EAGAIN) {
                        countBadPacket(ret);
                        continue;
                    }
                    return;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private void countBadPacket(int ret) {
        if (++badPackets > MAX_BAD_PACKETS) {
            throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, input.name(),
                    badPackets + " damaged packets, last: " + Ffmpeg.describe(ret));
        }
    }

    @Override
    public void close() {
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (packet != null && !packet.isNull()) {
            av_packet_free(packet);
        }
    }
}
