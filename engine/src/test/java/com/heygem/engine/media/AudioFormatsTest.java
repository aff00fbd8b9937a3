package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.heygem.engine.testing.TestMedia;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every speech format decodes, to 16 kHz mono for analysis and 48 kHz stereo for muxing, with its true length. */
class AudioFormatsTest {
    private static final double SECONDS = 3.0;
    /** One video frame at 25 fps: the precision the output length must meet. */
    private static final double ONE_FRAME = 0.04;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "s16.wav,  pcm_s16le,  pcm_s16le, ''",
        "s24.wav,  pcm_s24le,  pcm_s24le, ''",
        "f32.wav,  pcm_f32le,  pcm_f32le, ''",
        "a.mp3,    libmp3lame, mp3,       ''",
        "a.m4a,    aac,        aac,       ''",
        "a.aac,    aac,        aac,       adts",
        "a.flac,   flac,       flac,      ''",
        "a.ogg,    vorbis,     vorbis,    ''",
        "a.opus,   libopus,    opus,      ''",
    })
    void decodesEveryAudioFormat(String name, String encoder, String codec, String format) {
        String[] base = {"-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=" + SECONDS,
            "-ac", "2", "-c:a", encoder, "-strict", "-2"};
        String[] args = format.isEmpty() ? base : concat(base, "-f", format);
        Path file = TestMedia.ffmpeg(dir.resolve(name), args);

        MediaInfo info = MediaProbe.probe(file, MediaLimits.DEFAULT);
        assertThat(info.hasVideo()).isFalse();
        assertThat(info.audio().orElseThrow().codec()).isEqualTo(codec);

        AudioClip analysis = AudioReader.readForAnalysis(file, MediaLimits.DEFAULT);
        assertThat(analysis.durationSeconds()).isCloseTo(SECONDS, within(ONE_FRAME));
        assertThat(ContainerFormatsTest.rms(analysis)).isCloseTo(ContainerFormatsTest.SINE_RMS, within(0.01));

        AudioClip output = AudioReader.read(file, MediaLimits.DEFAULT, AudioReader.OUTPUT_RATE, 2);
        assertThat(output.channels()).isEqualTo(2);
        assertThat(output.durationSeconds()).isCloseTo(SECONDS, within(ONE_FRAME));
        assertThat(output.durationSeconds()).isCloseTo(analysis.durationSeconds(), within(0.002));
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
