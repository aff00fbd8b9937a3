package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real file users would bring (../shared/media) probes and decodes completely. */
class SharedMediaTest {

    static List<Path> templates() {
        return SharedMedia.templates();
    }

    static List<Path> audios() {
        return SharedMedia.audios();
    }

    static List<Path> images() {
        return SharedMedia.images();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void templateDecodesToItsFullTimeline(Path file) {
        MediaInfo info = MediaProbe.probe(file, MediaLimits.DEFAULT);
        VideoStreamInfo v = info.video().orElseThrow();
        double fps = v.timelineFps();
        long frames = 0;
        try (VideoReader reader = VideoReader.open(file, MediaLimits.DEFAULT, 0)) {
            YuvImage frame = new YuvImage();
            while (reader.read(frame)) {
                assertThat(frame.width).isEqualTo(v.width());
                assertThat(frame.height).isEqualTo(v.height());
                frames++;
            }
        }
        // The constant-rate timeline lasts as long as the video stream, within one frame.
        assertThat(frames / fps).isCloseTo(v.durationSeconds(), within(1.0 / fps));
        assertThat(frames).isCloseTo(v.frameCount(), within(1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audios")
    void speechDecodesWithItsTrueLength(Path file) {
        MediaInfo info = MediaProbe.probe(file, MediaLimits.DEFAULT);
        AudioClip clip = AudioReader.readForAnalysis(file, MediaLimits.DEFAULT);
        // Containers count AAC/MP3 encoder priming and padding in their duration (up to ~2048 samples);
        // the decoded length is the speech itself.
        assertThat(clip.durationSeconds()).isCloseTo(info.audio().orElseThrow().durationSeconds(), within(0.05));
        assertThat(ContainerFormatsTest.rms(clip)).as("speech is not silence").isGreaterThan(0.005);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void stillImagesReadAsOneFrame(Path file) {
        try (VideoReader reader = VideoReader.open(file, MediaLimits.DEFAULT, 1)) {
            BgrImage frame = new BgrImage();
            assertThat(reader.read(frame)).isTrue();
            assertThat(frame.width).isGreaterThan(100);
        }
    }

    @Test
    void variableFrameRateBecomesConstantWithTheSameDuration() {
        Path file = SharedMedia.template("man_suit_vfr.mp4");
        VideoStreamInfo v = MediaProbe.probe(file, MediaLimits.DEFAULT).video().orElseThrow();
        assertThat(v.variableFrameRate()).isTrue();
        assertThat(v.nominalFps()).isCloseTo(30, within(0.01));
        assertThat(v.averageFps()).isBetween(20.0, 24.0);
        assertThat(v.timelineFps()).isCloseTo(30, within(0.01));

        long frames = 0;
        long repeats = 0;
        try (VideoReader reader = VideoReader.open(file, MediaLimits.DEFAULT, 0)) {
            YuvImage frame = new YuvImage();
            YuvImage previous = new YuvImage();
            while (reader.read(frame)) {
                if (frames > 0 && java.util.Arrays.equals(frame.data, 0, frame.byteCount(), previous.data, 0,
                        previous.byteCount())) {
                    repeats++;
                }
                previous.copyFrom(frame);
                frames++;
            }
        }
        assertThat(frames / 30.0).isCloseTo(v.durationSeconds(), within(1 / 30.0));
        // About 22 distinct pictures a second fill 30 slots: roughly a quarter of the slots repeat.
        assertThat(repeats).isBetween(frames / 6, frames / 3);
    }

    @Test
    void hevcPortraitKeepsItsSize() {
        VideoStreamInfo v = MediaProbe.probe(SharedMedia.template("man_standing_portrait_hevc.mp4"),
                MediaLimits.DEFAULT).video().orElseThrow();
        assertThat(v.codec()).isEqualTo("hevc");
        assertThat(v.width()).isEqualTo(1080);
        assertThat(v.height()).isEqualTo(1920);
    }
}
