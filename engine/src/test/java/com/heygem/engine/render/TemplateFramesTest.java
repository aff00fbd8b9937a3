package com.heygem.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template played forward, backward and forward again from the file itself, a chunk at a time
 * through a small ring: every frame is exactly the one a plain forward read gives at that index,
 * with key frames 30 apart and B-frames, in an MP4 and in a transport stream whose clock starts
 * at 5 s; the ring's file never holds more than its chunk.
 */
class TemplateFramesTest {
    @TempDir
    Path temp;

    @Test
    void aPingPongTimelineGivesTheSameFramesAsAForwardRead() throws Exception {
        for (String name : List.of("gop30.mp4", "offset.ts")) {
            List<String> args = new ArrayList<>(List.of(TestMedia.testInputs(160, 120, 25, 8, 48000)));
            args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-bf", "2", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest"));
            if (name.endsWith(".ts")) {
                args.addAll(List.of("-output_ts_offset", "5"));
            }
            Path video = TestMedia.ffmpeg(temp.resolve(name), args.toArray(String[]::new));
            List<byte[]> reference = new ArrayList<>();
            try (VideoReader r = VideoReader.open(video)) {
                YuvImage f = new YuvImage();
                while (r.read(f)) {
                    reference.add(Arrays.copyOf(f.data, f.byteCount()));
                }
            }
            int n = reference.size();
            assertThat(n).as(name).isBetween(195, 205);
            // Forward to the end, back to the start, forward again, back part of the way.
            List<Integer> order = new ArrayList<>();
            for (int f = 0; f < n; f++) {
                order.add(f);
            }
            for (int f = n - 2; f >= 0; f--) {
                order.add(f);
            }
            for (int f = 1; f < n; f++) {
                order.add(f);
            }
            for (int f = n - 2; f >= n / 3; f--) {
                order.add(f);
            }
            int[] timeline = order.stream().mapToInt(Integer::intValue).toArray();
            // A ring shorter than the key-frame distance (chunks start between key frames), and one longer
            // (chunks start at key frames: each frame decoded once a pass).
            for (int ringFrames : new int[] {20, 45}) {
            Path dir = Files.createDirectories(temp.resolve("tmp-" + name + "-" + ringFrames));
            long ringBytes = (long) ringFrames * new YuvImage(160, 120).byteCount();
            try (TemplateFrames frames = new TemplateFrames(video, MediaLimits.DEFAULT, timeline, 160, 120, dir, ringBytes)) {
                assertThat(frames.ringFrames()).isEqualTo(ringFrames);
                YuvImage out = new YuvImage();
                for (int t = 0; t < timeline.length; t++) {
                    assertThat(frames.next(out)).isTrue();
                    assertThat(Arrays.copyOf(out.data, out.byteCount())).as(name + ": output " + t + " = template frame "
                            + timeline[t]).isEqualTo(reference.get(timeline[t]));
                    if (t % 97 == 0) {
                        assertThat(ringFileBytes(dir)).as("the ring's file").isLessThanOrEqualTo(ringBytes);
                    }
                }
                assertThat(frames.next(out)).isFalse();
                System.out.printf("%s: %d output frames, %d read from the decoder (%.2f per frame shown), ring of %d%n", name,
                        timeline.length, frames.decoded(), frames.decoded() / (double) timeline.length, frames.ringFrames());
                // Backward stretches are read again from each chunk, but not everything many times over.
                assertThat(frames.decoded()).isLessThan(3L * timeline.length);
            }
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).as("the ring's file is gone once closed").isEmpty();
            }
            }
        }
    }

    @Test
    void aForwardTimelineNeedsNoRing() {
        assertThat(TemplateFrames.needsRing(new int[] {0, 1, 2, 3, 3, 4})).isFalse();
        assertThat(TemplateFrames.needsRing(new int[] {0, 1, 2, 1})).isTrue();
    }

    private static long ringFileBytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
