package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.heygem.engine.image.YuvImage;
import com.heygem.engine.testing.TestMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every container users bring templates in decodes to the right number of frames and the right duration. */
class ContainerFormatsTest {
    private static final int FPS = 25;
    private static final double SECONDS = 2.0;
    private static final double ONE_FRAME = 1.0 / FPS;
    static final double SINE_RMS = 0.125 / Math.sqrt(2);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1} + {2}")
    @CsvSource({
        "clip.mp4,  libx264,    aac,        h264,  aac,    50",
        "clip.flv,  libx264,    aac,        h264,  aac,    50",
        "clip.mov,  libx264,    aac,        h264,  aac,    50",
        "clip.mkv,  libx264,    vorbis,     h264,  vorbis, 50",
        "clip.webm, libvpx-vp9, libopus,    vp9,   opus,   50",
        // AVI stores MPEG-4 part 2 with timestamps 0, 2, 3 ... 50 (a packed-bitstream artefact):
        // the picture at 0 is on screen for two slots, as in any player.
        "clip.avi,  mpeg4,      libmp3lame, mpeg4, mp3,    51",
        "clip.ts,   libx264,    aac,        h264,  aac,    50",
        "clip.m4v,  libx264,    aac,        h264,  aac,    50",
    })
    void decodesEveryContainer(String name, String videoEncoder, String audioEncoder, String videoCodec,
            String audioCodec, int expectedFrames) {
        List<String> args = new ArrayList<>(List.of(TestMedia.testInputs(320, 240, FPS, SECONDS, 48000)));
        args.addAll(List.of("-c:v", videoEncoder, "-pix_fmt", "yuv420p", "-c:a", audioEncoder, "-ac", "2"));
        if (videoEncoder.equals("libx264")) {
            args.addAll(List.of("-preset", "ultrafast"));
        }
        if (videoEncoder.equals("libvpx-vp9")) {
            args.addAll(List.of("-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"));
        }
        if (audioEncoder.equals("vorbis")) {
            args.addAll(List.of("-strict", "-2"));
        }
        if (name.endsWith(".m4v")) {
            args.addAll(List.of("-f", "mp4")); // Apple's .m4v is an MP4, not a raw MPEG-4 stream
        }
        Path file = TestMedia.ffmpeg(dir.resolve(name), args.toArray(String[]::new));

        MediaInfo info = MediaProbe.probe(file, MediaLimits.DEFAULT);
        VideoStreamInfo video = info.video().orElseThrow();
        AudioStreamInfo audio = info.audio().orElseThrow();
        assertThat(video.codec()).isEqualTo(videoCodec);
        assertThat(audio.codec()).isEqualTo(audioCodec);
        assertThat(video.width()).isEqualTo(320);
        assertThat(video.height()).isEqualTo(240);
        assertThat(video.timelineFps()).isCloseTo(FPS, within(0.01));
        assertThat(info.durationSeconds()).isCloseTo(SECONDS, within(0.1));

        long frames = 0;
        try (VideoReader reader = VideoReader.open(file, MediaLimits.DEFAULT, 1)) {
            YuvImage frame = new YuvImage();
            while (reader.read(frame)) {
                assertThat(frame.width).isEqualTo(320);
                frames++;
            }
        }
        assertThat(frames).isEqualTo(expectedFrames);

        AudioClip clip = AudioReader.readForAnalysis(file, MediaLimits.DEFAULT);
        assertThat(clip.sampleRate()).isEqualTo(16000);
        assertThat(clip.channels()).isEqualTo(1);
        assertThat(clip.durationSeconds()).isCloseTo(SECONDS, within(ONE_FRAME));
        // lavfi's sine has amplitude 1/8: RMS 0.125 / sqrt 2.
        assertThat(rms(clip)).as("the tone survives decoding").isCloseTo(SINE_RMS, within(0.01));
    }

    static double rms(AudioClip clip) {
        double sum = 0;
        int n = clip.frames() * clip.channels();
        for (int i = 0; i < n; i++) {
            sum += clip.samples()[i] * clip.samples()[i];
        }
        return Math.sqrt(sum / Math.max(1, n));
    }
}
