package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.testing.TestMedia;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results play everywhere: H.264 + AAC MP4, index first, sound and picture of equal length, never half-written. */
class VideoWriterTest {
    @TempDir
    Path dir;

    @Test
    void transcodeWritesAStreamableMp4() throws IOException {
        // Odd size, 44.1 kHz mono sound: the writer must still produce even H.264 and 48 kHz stereo AAC.
        Path input = TestMedia.ffmpeg(dir.resolve("odd.mkv"),
                "-f", "lavfi", "-i", "testsrc2=size=321x241:rate=30:duration=3",
                "-f", "lavfi", "-i", "sine=sample_rate=44100:duration=3",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", "-c:a", "flac");
        Path out = dir.resolve("out").resolve("result.mp4");
        Transcoder.Result r = Transcoder.transcode(input, out, EncoderSettings.DEFAULT.withPreset("ultrafast"),
                MediaLimits.DEFAULT, null, null);
        assertThat(r.frames()).isEqualTo(90);

        MediaInfo info = MediaProbe.probe(out, MediaLimits.DEFAULT);
        VideoStreamInfo v = info.video().orElseThrow();
        AudioStreamInfo a = info.audio().orElseThrow();
        assertThat(v.codec()).isEqualTo("h264");
        assertThat(v.pixelFormat()).isEqualTo("yuv420p");
        assertThat(v.width()).isEqualTo(320);
        assertThat(v.height()).isEqualTo(240);
        assertThat(a.codec()).isEqualTo("aac");
        assertThat(a.sampleRate()).isEqualTo(48000);
        assertThat(a.channels()).isEqualTo(2);
        assertThat(a.durationSeconds()).as("sound and picture agree within one frame")
                .isCloseTo(v.durationSeconds(), within(1 / 30.0));
        assertThat(v.durationSeconds()).isCloseTo(3.0, within(1 / 30.0));
        List<String> boxes = topLevelBoxes(out);
        assertThat(boxes.indexOf("moov")).as("index before media data (faststart): %s", boxes)
                .isLessThan(boxes.indexOf("mdat")).isNotNegative();
        assertThat(leftovers()).as("no temporary files remain").isEmpty();
    }

    @Test
    void abandonedWriteLeavesNothing() throws IOException {
        Path input = TestMedia.clip(dir.resolve("in.mp4"), 320, 240, 25, 4);
        Path out = dir.resolve("cancelled.mp4");
        long[] seen = new long[1];
        CancellationException e = catchThrowableOfType(() -> Transcoder.transcode(input, out,
                EncoderSettings.DEFAULT.withPreset("ultrafast"), MediaLimits.DEFAULT,
                done -> seen[0] = done, () -> seen[0] >= 20), CancellationException.class);
        assertThat(e).isNotNull();
        assertThat(out).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void processorFailureStopsThePipelineAndLeavesNothing() {
        Path input = TestMedia.clip(dir.resolve("in2.mp4"), 320, 240, 25, 2);
        Path out = dir.resolve("failed.mp4");
        IllegalStateException e;
        try (VideoReader reader = VideoReader.open(input, MediaLimits.DEFAULT, 1);
                VideoWriter writer = new VideoWriter(out, 320, 240, 25, EncoderSettings.DEFAULT, false)) {
            e = catchThrowableOfType(() -> FramePipeline.run(reader::read, (i, f) -> {
                if (i == 10) {
                    throw new IllegalStateException("boom at 10");
                }
            }, writer, 25, null, null, null), IllegalStateException.class);
        }
        assertThat(e).hasMessage("boom at 10");
        assertThat(out).doesNotExist();
    }

    @Test
    void processorEditsReachTheOutput() {
        Path input = TestMedia.clip(dir.resolve("in3.mp4"), 320, 240, 25, 1);
        Path out = dir.resolve("gray.mp4");
        try (VideoReader reader = VideoReader.open(input, MediaLimits.DEFAULT, 1);
                VideoWriter writer = new VideoWriter(out, 320, 240, 25, EncoderSettings.DEFAULT, false)) {
            FramePipeline.run(reader::read, (i, f) -> java.util.Arrays.fill(f.data, 0, f.byteCount(), (byte) 128),
                    writer, 25, null, null, null);
            writer.finish();
        }
        try (VideoReader check = VideoReader.open(out, MediaLimits.DEFAULT, 1)) {
            YuvImage frame = new YuvImage();
            assertThat(check.read(frame)).isTrue();
            assertThat(frame.luma(160, 120)).isBetween(126, 130);
        }
    }

    @Test
    void unwritableDestinationIsAUserError() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        HeyGemException e = catchThrowableOfType(
                () -> new VideoWriter(file.resolve("sub").resolve("out.mp4"), 64, 64, 25, EncoderSettings.DEFAULT, false),
                HeyGemException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.WRITE_FAILED);
    }

    @Test
    void invalidEncoderSettingsNameTheSetting() {
        HeyGemException e = catchThrowableOfType(() -> EncoderSettings.DEFAULT.withPreset("turbo"), HeyGemException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.messageEn()).contains("encoder.preset");
        assertThat(catchThrowableOfType(() -> EncoderSettings.DEFAULT.withCrf(99), HeyGemException.class).messageEn())
                .contains("encoder.crf");
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    /** Names of the top-level MP4 boxes in file order. */
    static List<String> topLevelBoxes(Path mp4) throws IOException {
        List<String> names = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(mp4.toFile(), "r")) {
            long pos = 0;
            while (pos + 8 <= f.length()) {
                f.seek(pos);
                long size = f.readInt() & 0xFFFFFFFFL;
                byte[] type = new byte[4];
                f.readFully(type);
                if (size == 1) {
                    size = f.readLong();
                } else if (size == 0) {
                    size = f.length() - pos;
                }
                names.add(new String(type, java.nio.charset.StandardCharsets.US_ASCII));
                if (size < 8) {
                    break;
                }
                pos += size;
            }
        }
        return names;
    }
}
