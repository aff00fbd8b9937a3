package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_check;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Streams the sound of any audio file, or the sound track of a video, as interleaved float
 * samples at a chosen rate and channel count. Pull-based so a one-hour track never sits in
 * memory at 48 kHz; {@link AudioReader} collects it when the whole clip is wanted.
 */
public final class AudioDecoder implements AutoCloseable {
    private final MediaInput input;
    private final StreamDecoder decoder;
    private final int sampleRate;
    private final int channels;
    private final AVFrame frame;
    private final AVChannelLayout outLayout = new AVChannelLayout();
    private SwrContext swr;
    private int swrInFormat = -1;
    private int swrInRate = -1;
    private int swrInChannels = -1;

    private FloatPointer converted = new FloatPointer(0);
    private final PointerPointer<FloatPointer> convertedPlanes = new PointerPointer<>(1);
    private float[] pending = new float[0];
    private int pendingPos;
    private int pendingLen;
    private boolean flushed;
    private long framesOut;

    private AudioDecoder(MediaInput input, MediaLimits limits, int sampleRate, int channels) {
        if (sampleRate < 8000 || sampleRate > 192000) {
            throw new IllegalArgumentException("sample rate out of range: " + sampleRate);
        }
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("channel count out of range: " + channels);
        }
        this.input = input;
        if (input.audioIndex() < 0) {
            throw new HeyGemException(ErrorCode.NO_AUDIO_STREAM, input.name());
        }
        this.decoder = new StreamDecoder(input, limits, input.audioIndex(), "audio", 1);
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.frame = av_frame_alloc();
        av_channel_layout_default(outLayout, channels);
    }

    /** Opens the sound of {@code path} for decoding to {@code sampleRate} Hz with {@code channels} channels. */
    public static AudioDecoder open(Path path, MediaLimits limits, int sampleRate, int channels) {
        MediaInput input = MediaInput.open(path, limits);
        try {
            return new AudioDecoder(input, limits, sampleRate, channels);
        } catch (RuntimeException e) {
            input.close();
            throw e;
        }
    }

    public MediaInfo mediaInfo() {
        return input.info();
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Sample frames (one sample per channel) returned so far. */
    public long framesRead() {
        return framesOut;
    }

    /**
     * Fills {@code dst} from {@code offsetFrames} with up to {@code maxFrames} interleaved frames.
     *
     * @return frames written; fewer than asked only at the end, 0 once everything was read
     */
    public int read(float[] dst, int offsetFrames, int maxFrames) {
        int written = 0;
        while (written < maxFrames) {
            if (pendingLen == pendingPos && !refill()) {
                break;
            }
            int n = Math.min(maxFrames - written, (pendingLen - pendingPos) / channels);
            System.arraycopy(pending, pendingPos, dst, (offsetFrames + written) * channels, n * channels);
            pendingPos += n * channels;
            written += n;
        }
        framesOut += written;
        return written;
    }

    private boolean refill() {
        pendingPos = 0;
        pendingLen = 0;
        while (pendingLen == 0) {
            if (flushed) {
                return false;
            }
            if (decoder.next(frame)) {
                try {
                    convert(frame);
                } finally {
                    av_frame_unref(frame);
                }
            } else {
                flushed = true;
                if (swr != null) {
                    convert(null); // drain the resampler's delay line: the last milliseconds of speech
                }
            }
        }
        return true;
    }

    private void convert(AVFrame f) {
        int inSamples = 0;
        PointerPointer<?> inPlanes = null;
        if (f != null) {
            ensureResampler(f);
            inSamples = f.nb_samples();
            inPlanes = f.extended_data();
        }
        int capacity = swr_get_out_samples(swr, inSamples) + 32;
        if (converted.capacity() < (long) capacity * channels) {
            converted.close();
            converted = new FloatPointer((long) capacity * channels);
            convertedPlanes.put(0, converted);
        }
        int produced = swr_convert(swr, convertedPlanes, capacity, inPlanes, inSamples);
        if (produced < 0) {
            throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, input.name(), "audio: " + Ffmpeg.describe(produced));
        }
        int values = produced * channels;
        if (pending.length < values) {
            pending = new float[Math.max(values, pending.length * 2)];
        }
        converted.position(0).get(pending, 0, values);
        pendingLen = values;
    }

    private void ensureResampler(AVFrame f) {
        int inChannels = f.ch_layout().nb_channels();
        if (swr != null && f.format() == swrInFormat && f.sample_rate() == swrInRate && inChannels == swrInChannels) {
            return;
        }
        if (swr != null) {
            // Format changed mid-stream (concatenated recordings): finish with the old settings first.
            swr_free(swr);
            swr = null;
        }
        AVChannelLayout inLayout = new AVChannelLayout();
        try {
            if (inChannels <= 0 || f.ch_layout().order() == AV_CHANNEL_ORDER_UNSPEC
                    || av_channel_layout_check(f.ch_layout()) == 0) {
                av_channel_layout_default(inLayout, Math.max(1, inChannels));
            } else {
                inLayout = f.ch_layout();
            }
            SwrContext ctx = new SwrContext(null);
            int ret = swr_alloc_set_opts2(ctx, outLayout, AV_SAMPLE_FMT_FLT, sampleRate,
                    inLayout, f.format(), f.sample_rate(), 0, null);
            if (ret < 0 || (ret = swr_init(ctx)) < 0) {
                throw new HeyGemException(ErrorCode.UNSUPPORTED_CODEC, Text.kind("audio"),
                        "sample format " + f.format() + " (" + Ffmpeg.describe(ret) + ")", input.name());
            }
            swr = ctx;
            swrInFormat = f.format();
            swrInRate = f.sample_rate();
            swrInChannels = inChannels;
        } finally {
            if (inLayout != f.ch_layout()) {
                av_channel_layout_uninit(inLayout);
            }
        }
    }

    @Override
    public void close() {
        decoder.close();
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
        av_frame_free(frame);
        av_channel_layout_uninit(outLayout);
        convertedPlanes.close();
        converted.close();
        input.close();
    }
}
