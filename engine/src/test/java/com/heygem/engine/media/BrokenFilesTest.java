package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.testing.TestMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a user uploads by mistake fails fast, with the code that says what is wrong. */
class BrokenFilesTest {
    private static final long FIVE_SECONDS_NANOS = 5_000_000_000L;

    @TempDir
    static Path dir;
    static Path good;
    static Path goodFaststart;

    @BeforeAll
    static void makeGoodFiles() {
        good = TestMedia.clip(dir.resolve("good.mp4"), 320, 240, 25, 4);
        goodFaststart = TestMedia.ffmpeg(dir.resolve("good-faststart.mp4"),
                "-i", good.toString(), "-c", "copy", "-movflags", "+faststart");
    }

    @Test
    void zeroByteFile() throws IOException {
        Path f = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertFailsFast(f, ErrorCode.NOT_MEDIA);
    }

    @Test
    void randomBytes() throws IOException {
        byte[] junk = new byte[200_000];
        new Random(42).nextBytes(junk);
        Path f = Files.write(dir.resolve("random.mp4"), junk);
        assertFailsFast(f, ErrorCode.NOT_MEDIA);
    }

    @Test
    void textFileNamedMp4() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.mp4"),
                "Meeting notes\nThis is not a video, it only has a video's name.\n".repeat(200), StandardCharsets.UTF_8);
        assertFailsFast(f, ErrorCode.NOT_MEDIA);
    }

    @Test
    void truncatedMp4WithIndexAtTheEnd() throws IOException {
        assertFailsFast(truncate(good, "cut.mp4", 0.6), ErrorCode.CORRUPT_MEDIA);
    }

    @Test
    void truncatedMp4WithIndexFirst() throws IOException {
        HeyGemException e = assertFailsFast(truncate(goodFaststart, "cut-faststart.mp4", 0.6), ErrorCode.CORRUPT_MEDIA);
        assertThat(e.messageEn()).contains("truncated");
    }

    @Test
    void truncatedMatroskaFailsWhenReading() throws IOException {
        Path mkv = TestMedia.ffmpeg(dir.resolve("good.mkv"), "-i", good.toString(), "-c", "copy");
        Path cut = truncate(mkv, "cut.mkv", 0.5);
        long start = System.nanoTime();
        HeyGemException e = catchThrowableOfType(() -> readAll(cut), HeyGemException.class);
        assertThat(e).as("reading a cut-off MKV fails").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MEDIA);
        assertThat(System.nanoTime() - start).isLessThan(FIVE_SECONDS_NANOS);
    }

    @Test
    void missingFile() {
        assertFailsFast(dir.resolve("nope.mp4"), ErrorCode.FILE_NOT_FOUND);
    }

    @Test
    void audioFileUsedAsTemplate() {
        Path wav = TestMedia.ffmpeg(dir.resolve("speech.wav"), "-f", "lavfi", "-i", "sine=duration=1");
        HeyGemException e = catchThrowableOfType(() -> VideoReader.open(wav, MediaLimits.DEFAULT, 1),
                HeyGemException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.NO_VIDEO_STREAM);
    }

    @Test
    void silentVideoUsedAsSpeech() {
        Path silent = TestMedia.ffmpeg(dir.resolve("silent.mp4"), "-i", good.toString(), "-an", "-c", "copy");
        HeyGemException e = catchThrowableOfType(() -> AudioReader.readForAnalysis(silent, MediaLimits.DEFAULT),
                HeyGemException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.NO_AUDIO_STREAM);
    }

    @Test
    void limitsAreEnforced() {
        MediaLimits shortLimit = new MediaLimits(2, MediaLimits.DEFAULT_MAX_FILE_BYTES, 10);
        HeyGemException tooLong = catchThrowableOfType(() -> MediaProbe.probe(good, shortLimit), HeyGemException.class);
        assertThat(tooLong.code()).isEqualTo(ErrorCode.TOO_LONG);

        MediaLimits smallLimit = new MediaLimits(3600, 1000, 10);
        HeyGemException tooLarge = catchThrowableOfType(() -> MediaProbe.probe(good, smallLimit), HeyGemException.class);
        assertThat(tooLarge.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(tooLarge.getMessage()).contains("media.maxFileBytes");
    }

    @Test
    void messagesComeInEnglishAndChinese() {
        HeyGemException e = catchThrowableOfType(() -> MediaProbe.probe(dir.resolve("nope.mp4"), MediaLimits.DEFAULT),
                HeyGemException.class);
        assertThat(e.messageEn()).contains("File not found").contains("nope.mp4");
        assertThat(e.messageZh()).contains("找不到文件").contains("nope.mp4");
        assertThat(e.code().hintEn()).isNotBlank();
        assertThat(e.code().hintZh()).isNotBlank();
    }

    private static HeyGemException assertFailsFast(Path file, ErrorCode expected) {
        long start = System.nanoTime();
        HeyGemException e = catchThrowableOfType(() -> readAll(file), HeyGemException.class);
        long elapsed = System.nanoTime() - start;
        assertThat(e).as("%s is rejected", file.getFileName()).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(expected);
        assertThat(elapsed).as("fails within 5 s").isLessThan(FIVE_SECONDS_NANOS);
        return e;
    }

    private static void readAll(Path file) {
        try (VideoReader reader = VideoReader.open(file, MediaLimits.DEFAULT, 1)) {
            YuvImage frame = new YuvImage();
            while (reader.read(frame)) {
                // decode to the end: damage may only show there
            }
        }
    }

    private static Path truncate(Path source, String name, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(source);
        return Files.write(dir.resolve(name), Arrays.copyOf(all, (int) (all.length * fraction)));
    }
}
