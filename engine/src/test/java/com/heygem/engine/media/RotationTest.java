package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.Rotate;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Phone videos carry their orientation as metadata; HeyGem shows them upright, as players do. */
class RotationTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "stored with {0}° counter-clockwise display rotation")
    @ValueSource(ints = {90, 180, 270})
    void rotatedVideoComesOutUpright(int ccw) throws IOException {
        Path plain = TestMedia.clip(dir.resolve("plain.mp4"), 320, 180, 25, 0.4);
        // Same bitstream, only the display matrix added.
        Path rotated = TestMedia.ffmpeg(dir.resolve("rotated.mp4"),
                "-display_rotation", Integer.toString(ccw), "-i", plain.toString(), "-c", "copy");
        // What ffmpeg itself shows (it applies the display matrix by default), as raw I420.
        Path reference = TestMedia.ffmpeg(dir.resolve("upright.yuv"),
                "-i", rotated.toString(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p");

        int cw = (360 - ccw) % 360;
        VideoStreamInfo info = MediaProbe.probe(rotated, MediaLimits.DEFAULT).video().orElseThrow();
        assertThat(info.rotation()).isEqualTo(cw);
        boolean swap = cw % 180 != 0;
        assertThat(info.width()).isEqualTo(swap ? 180 : 320);
        assertThat(info.height()).isEqualTo(swap ? 320 : 180);

        YuvImage yuv = new YuvImage();
        try (VideoReader reader = VideoReader.open(rotated, MediaLimits.DEFAULT, 1)) {
            assertThat(reader.read(yuv)).isTrue();
        }
        byte[] expected = Files.readAllBytes(reference);
        assertThat(expected).hasSize(yuv.byteCount());
        assertThat(java.util.Arrays.equals(yuv.data, 0, expected.length, expected, 0, expected.length))
                .as("all three planes match ffmpeg's upright picture exactly").isTrue();

        // The BGR path turns the same way: compare with the unrotated decode turned by hand.
        BgrImage upright = new BgrImage();
        BgrImage stored = new BgrImage();
        BgrImage turned = new BgrImage();
        try (VideoReader a = VideoReader.open(rotated, MediaLimits.DEFAULT, 1);
                VideoReader b = VideoReader.open(plain, MediaLimits.DEFAULT, 1)) {
            assertThat(a.read(upright)).isTrue();
            assertThat(b.read(stored)).isTrue();
        }
        Rotate.clockwise(stored, cw, turned);
        assertThat(java.util.Arrays.equals(upright.data, 0, upright.byteCount(), turned.data, 0, turned.byteCount()))
                .isTrue();
    }
}
